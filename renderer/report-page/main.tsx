/**
 * The self-contained HTML report: the app's own result views, read-only, over the report embedded
 * in the page. Built as one script that electron/core/report/html.ts inlines, so the file opens
 * offline anywhere with no request leaving the page.
 */
import { createRoot } from 'react-dom/client';
import type { Report } from '../../shared/report.js';
import { ReportHeader } from './ReportHeader.js';
import { useAppStore } from '../store/index.js';
import { ResultsView } from '../views/results/ResultsView.js';
import '../styles.css';
import './report-page.css';

function readEmbeddedReport(): Report {
  const element = document.getElementById('strata-report');
  if (!element?.textContent) throw new Error('This page has no embedded Strata report.');
  return JSON.parse(element.textContent) as Report;
}

const report = readEmbeddedReport();
useAppStore.setState({ report, selectedLayer: null, tab: 'summary' });
document.getElementById('static-summary')?.remove(); // the no-script fallback, not needed now
createRoot(document.getElementById('root')!).render(
  <div className="report-page">
    <ReportHeader report={report} />
    <main className="main">
      <ResultsView />
    </main>
  </div>,
);
