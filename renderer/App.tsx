/** The window: top bar, the model and run panel on the left, the results on the right. */
import { useEffect } from 'react';
import { pickFile } from './api/platform.js';
import { ViewBoundary } from './components/view-boundary.js';
import { useAppStore } from './store/index.js';
import { DropOverlay } from './views/shell/DropOverlay.js';
import { MessageBar } from './views/shell/MessageBar.js';
import { ModelOverview } from './views/shell/ModelOverview.js';
import { RunProgressStrip } from './views/shell/RunProgress.js';
import { RunSettings } from './views/shell/RunSettings.js';
import { TopBar } from './views/shell/TopBar.js';
import { CompareView } from './views/compare/CompareView.js';
import { ResultsView } from './views/results/ResultsView.js';
import { GenerateView } from './views/generate/GenerateView.js';
import { DevicesDialog } from './views/devices/DevicesDialog.js';

/** The whole app. */
export function App() {
  useKeyboardShortcuts();
  const view = useAppStore((s) => s.view);
  const report = useAppStore((s) => s.report);
  return (
    <div className="app">
      <TopBar />
      <MessageBar />
      <div className="workspace">
        <aside className="sidebar" aria-label="Model and run settings">
          <ViewBoundary what="The model panel" resetKeys={[report]}>
            <ModelOverview />
            <RunSettings />
          </ViewBoundary>
        </aside>
        <main className="main">
          <RunProgressStrip />
          <ViewBoundary what={`The ${view} view`} resetKeys={[report, view]}>
            {view === 'compare' ? <CompareView /> : view === 'generate' ? <GenerateView /> : <ResultsView />}
          </ViewBoundary>
        </main>
      </div>
      <DropOverlay />
      <DevicesDialog />
    </div>
  );
}

// Ctrl/Cmd+O open, Ctrl/Cmd+Enter run (the profile, or the comparison in the Compare view), Esc cancel.
function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Taken already (an open menu closes on Esc before a run is cancelled).
      if (event.defaultPrevented) return;
      const mod = event.ctrlKey || event.metaKey;
      const state = useAppStore.getState();
      if (mod && event.key.toLowerCase() === 'o') {
        event.preventDefault();
        pickFile(state.pickModel, 'open-model-input');
      } else if (mod && event.key === 'Enter') {
        event.preventDefault();
        void (state.view === 'compare' ? state.startCompare() : state.start());
      } else if (event.key === 'Escape' && (state.runId || state.progress)) {
        event.preventDefault();
        void state.cancel();
      } else if (event.key === 'Escape' && state.compareProgress) {
        event.preventDefault();
        void state.cancelCompare();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
