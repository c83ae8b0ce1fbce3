/** Drag and drop anywhere: a model opens (or joins the comparison, in the Compare view), a saved report opens back. */
import { useEffect, useState } from 'react';
import { useAppStore } from '../../store/index.js';

/** Shows a drop target while a file is dragged over the window. */
export function DropOverlay() {
  const [dragging, setDragging] = useState(false);
  const comparing = useAppStore((s) => s.view === 'compare' && s.summary !== null);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => e.preventDefault();
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      const state = useAppStore.getState();
      if (state.view === 'compare' && state.summary && /\.onnx$/i.test(file.name)) void state.bringModelFile(file);
      else void state.openFile(file);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  if (!dragging) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div>
        {comparing ? 'Drop an ONNX model to add it to the comparison' : 'Drop an ONNX model or a Strata report'}
      </div>
    </div>
  );
}
