/**
 * Entry page of bench/ui-frames.ts: loads the report JSON served next to it into the store and
 * shows the results views alone, so frame times measure the charts and not the rest of the app.
 * Not part of the app bundle (nothing imports it).
 */
import { createRoot } from 'react-dom/client';
import type { Report } from '../../../shared/report.js';
import { useAppStore } from '../../store/index.js';
import { ResultsView } from './ResultsView.js';

async function main(): Promise<void> {
  const response = await fetch('./report.json');
  const report = (await response.json()) as Report;
  useAppStore.setState({ report, selectedLayer: null });
  const root = document.getElementById('root');
  if (!root) throw new Error('The bench page has no #root element.');
  createRoot(root).render(<ResultsView />);
}

void main();
