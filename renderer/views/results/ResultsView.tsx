/**
 * The results of a profile as tabs: Summary, Layers, Flame graph, Timeline, Memory, Cache & memory. The report and
 * the selected layer live in the app store, so selecting a layer in one tab selects it in all.
 */
import { useRef, type KeyboardEvent } from 'react';
import type { Report } from '../../../shared/report.js';
import type { Tab } from '../../store/app-state.js';
import { ViewBoundary } from '../../components/view-boundary.js';
import { useAppStore } from '../../store/index.js';
import { CacheTab } from './CacheTab.js';
import { FlameTab } from './FlameTab.js';
import { LayerDetail } from './LayerDetail.js';
import { LayersTab } from './LayersTab.js';
import { MemoryTab } from './MemoryTab.js';
import { SummaryTab } from './SummaryTab.js';
import { TimelineTab } from './TimelineTab.js';
import './results.css';

/** The results tabs in display order. */
export const RESULT_TABS = [
  { id: 'summary', label: 'Summary' },
  { id: 'layers', label: 'Layers' },
  { id: 'flame', label: 'Flame graph' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'memory', label: 'Memory' },
  { id: 'cache', label: 'Cache & memory' },
] as const;

/** Id of one results tab: the store's tab. */
export type ResultTab = Tab;

/** The results area: a tab list, the active tab's panel and the selected layer's details. */
export function ResultsView() {
  const report = useAppStore((s) => s.report);
  const running = useAppStore((s) => s.progress !== null);
  const storeTab = useAppStore((s) => s.tab) as string;
  const setTab = useAppStore((s) => s.setTab);
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const tab: ResultTab = RESULT_TABS.some((t) => t.id === storeTab) ? (storeTab as ResultTab) : 'summary';

  if (!report) {
    return (
      <section className="results results-empty" aria-label="Results">
        <p>
          {running
            ? 'The results appear here when the run finishes.'
            : 'No results yet: open a model and press “Run profile”, or open a saved report.'}
        </p>
      </section>
    );
  }

  // Arrow keys move between tabs, as the WAI-ARIA tabs pattern expects.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const i = RESULT_TABS.findIndex((t) => t.id === tab);
    let next = -1;
    if (event.key === 'ArrowRight') next = (i + 1) % RESULT_TABS.length;
    else if (event.key === 'ArrowLeft') next = (i - 1 + RESULT_TABS.length) % RESULT_TABS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = RESULT_TABS.length - 1;
    if (next < 0) return;
    event.preventDefault();
    setTab(RESULT_TABS[next]!.id);
    tabRefs.current[next]?.focus();
  };

  return (
    <section className="results" aria-label="Results">
      <ModelMismatch report={report} />
      <div role="tablist" aria-label="Result views" className="results-tabs" onKeyDown={onKeyDown}>
        {RESULT_TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`results-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`results-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="results-tab"
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`results-panel-${tab}`}
        aria-labelledby={`results-tab-${tab}`}
        className="results-panel"
        tabIndex={0}
      >
        <ViewBoundary what={`The ${RESULT_TABS.find((t) => t.id === tab)!.label} tab`} resetKeys={[report, tab]}>
          {tab === 'summary' && <SummaryTab report={report} />}
          {tab === 'layers' && <LayersTab key={report.createdAt} report={report} />}
          {tab === 'flame' && <FlameTab report={report} />}
          {tab === 'timeline' && <TimelineTab report={report} />}
          {tab === 'memory' && <MemoryTab report={report} />}
          {tab === 'cache' && <CacheTab report={report} />}
        </ViewBoundary>
      </div>
      <ViewBoundary what="The layer's details" resetKeys={[report]}>
        <LayerDetail report={report} />
      </ViewBoundary>
    </section>
  );
}

/**
 * Says when the results are not of the model in the sidebar (another model was opened after them,
 * or a run of it failed), so nobody reads one model's numbers as another's.
 */
function ModelMismatch({ report }: { readonly report: Report }) {
  const summary = useAppStore((s) => s.summary);
  if (!summary || summary.sha256 === report.model.sha256) return null;
  if (summary.sha256 === '' && summary.path === report.model.path) return null; // its hash is on its way
  return (
    <p className="results-mismatch" role="note">
      {summary.path === report.model.path ? (
        <>
          These results were measured on an earlier version of <strong>{report.model.fileName}</strong>; the file has
          changed since. Run profile to measure it as it is now.
        </>
      ) : (
        <>
          These results are of <strong>{report.model.fileName}</strong>, not of <strong>{summary.fileName}</strong> open
          in the sidebar. Run profile to profile {summary.fileName}.
        </>
      )}
    </p>
  );
}
