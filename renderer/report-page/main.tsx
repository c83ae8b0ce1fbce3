/**
 * The self-contained HTML pages: the app's own result views, read-only, over the report or the
 * comparison embedded in the page. Built as one script that electron/core/report/html.ts inlines,
 * so the file opens offline anywhere with no request leaving the page.
 */
import { createRoot } from 'react-dom/client';
import type { Comparison } from '../../shared/compare.js';
import type { Report } from '../../shared/report.js';
import { ComparisonHeader, ReportHeader } from './ReportHeader.js';
import { useAppStore } from '../store/index.js';
import { firstChoice } from '../store/compare-slice.js';
import { CompareResults } from '../views/compare/CompareView.js';
import { ResultsView } from '../views/results/ResultsView.js';
import '../styles.css';
import './report-page.css';

function embedded<T>(id: string): T | null {
  const text = document.getElementById(id)?.textContent;
  return text ? (JSON.parse(text) as T) : null;
}

const report = embedded<Report>('strata-report');
const comparison = embedded<Comparison>('strata-comparison');
if (!report && !comparison) throw new Error('This page has no embedded Strata report or comparison.');
document.getElementById('static-summary')?.remove(); // the no-script fallback, not needed now
const root = createRoot(document.getElementById('root')!);
if (comparison) {
  useAppStore.setState({ comparison, chosenModel: firstChoice(comparison), view: 'compare' });
  root.render(
    <div className="report-page">
      <ComparisonHeader comparison={comparison} />
      <main className="main">
        <section className="results compare" aria-label="Compare">
          <CompareResults comparison={comparison} readOnly />
        </section>
      </main>
    </div>,
  );
} else {
  useAppStore.setState({ report, selectedLayer: null, tab: 'summary' });
  root.render(
    <div className="report-page">
      <ReportHeader report={report!} />
      <main className="main">
        <ResultsView />
      </main>
    </div>,
  );
}
