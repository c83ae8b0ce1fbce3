/**
 * The app's state, one store built from slices: the model, the run, and the UI around them.
 * Engine calls live in actions here, never in components.
 */
import type { AppInfo, ExportFormat, RecentFile, StrataApi } from '../../shared/api.js';
import type { EpInfo } from '../../shared/eps.js';
import type { ErrorInfo } from '../../shared/errors.js';
import type { ModelSummary } from '../../shared/model.js';
import type { ProfilePlan } from '../../shared/plan.js';
import type { ProfileProgress } from '../../shared/progress.js';
import type { Report } from '../../shared/report.js';

/** The results tabs. */
export type Tab = 'summary' | 'layers' | 'flame' | 'timeline' | 'memory' | 'cache';

/** The model side. */
export interface ModelSlice {
  summary: ModelSummary | null;
  recent: RecentFile[];
  opening: string | null; // file name being opened
  openPath(path: string): Promise<void>;
  openFile(file: File): Promise<void>;
  pickModel(): Promise<void>;
  loadRecent(): Promise<void>;
}

/** The run side. */
export interface RunSlice {
  plan: ProfilePlan;
  eps: EpInfo[];
  runId: string | null;
  progress: ProfileProgress | null;
  report: Report | null;
  setPlan(change: Partial<ProfilePlan>): void;
  loadEps(): Promise<void>;
  start(): Promise<void>;
  cancel(): Promise<void>;
  exportReport(format: ExportFormat): Promise<void>;
}

/** The UI around them. */
export interface UiSlice {
  info: AppInfo | null;
  tab: Tab;
  selectedLayer: number | null;
  error: ErrorInfo | null;
  notice: string | null;
  connection: 'connected' | 'reconnecting';
  setTab(tab: Tab): void;
  selectLayer(index: number | null): void;
  showError(error: ErrorInfo | null): void;
  showNotice(notice: string | null): void;
}

/** The whole state. */
export type AppState = ModelSlice & RunSlice & UiSlice;

/** What the store needs from its surroundings (the API, and how to save a file). */
export interface StoreDeps {
  readonly api: () => StrataApi;
  readonly upload: (file: File) => Promise<{ ok: true; value: string } | { ok: false; error: ErrorInfo }>;
  readonly save: (file: { fileName: string; mimeType: string; content: string }) => Promise<void>;
}
