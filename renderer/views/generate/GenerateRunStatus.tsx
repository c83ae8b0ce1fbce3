/**
 * A generation run in progress, where it was started (the Generation view, the Compare view's two
 * decoders): its Cancel button and what it is doing.
 */
import { useAppStore } from '../../store/index.js';

export function GenerateRunStatus() {
  const progress = useAppStore((s) => s.generateProgress);
  const { cancelGenerate } = useAppStore.getState();
  return (
    <>
      <button type="button" onClick={() => void cancelGenerate()}>
        Cancel
      </button>
      <span className="muted" role="status">
        {progress ? `${progress.message} (${Math.round(progress.fraction * 100)}%)` : 'Starting…'}
      </span>
    </>
  );
}
