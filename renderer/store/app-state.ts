/**
 * The app's state, one store built from slices: the model, the run, and the UI around them.
 * Engine calls live in actions here, never in components.
 */
import type { ConnectionState } from '../api/client.js';
import type { AppInfo, ExportFormat, GeneratedVariant, RecentFile, SavedFile, StrataApi } from '../../shared/api.js';
import type { CompareStage, Comparison } from '../../shared/compare.js';
import type { EpInfo } from '../../shared/eps.js';
import type { ErrorInfo } from '../../shared/errors.js';
import type { ModelSummary, TensorInfo } from '../../shared/model.js';
import type { ProfilePlan } from '../../shared/plan.js';
import type { ProfileProgress } from '../../shared/progress.js';
import type { MachineMeasurement, Report } from '../../shared/report.js';
import type { VariantGrid } from '../view-models/variant-grid.js';
import type { GenerateSlice } from './generate-slice.js';
import type { DevicesSlice } from './devices-slice.js';

/** The workspaces: profile one model, compare it with its variants, or profile its generation (a decoder). */
export type View = 'profile' | 'compare' | 'generate';

/** The results tabs. */
export type Tab = 'summary' | 'layers' | 'flame' | 'timeline' | 'memory' | 'cache';

/** The model side. */
export interface ModelSlice {
  summary: ModelSummary | null;
  /** The model of an opened report whose file is not available (then `summary` is null). */
  missingModel: { readonly path: string; readonly fileName: string; readonly reason: string | null } | null; // reason: null when the file is gone
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
  /** This machine measured again from the Cache & memory tab, while and after it runs. */
  remeasure: { readonly running: boolean; readonly result: MachineMeasurement | null };
  setPlan(change: Partial<ProfilePlan>): void;
  /** Measures this machine's caches, staircase and ceilings again (at the report's thread count). */
  remeasureMachine(threads: number): Promise<void>;
  loadEps(): Promise<void>;
  start(): Promise<void>;
  cancel(): Promise<void>;
  exportReport(format: ExportFormat): Promise<void>;
}

/** A model the user brought into a comparison (a distilled one, say). */
export interface BroughtModel {
  readonly path: string;
  readonly fileName: string;
  readonly bytes: number;
  readonly inputs: readonly TensorInfo[]; // checked against each new baseline's
}

/** Where a comparison is: making variant files, profiling every model, timing them, reading their outputs. */
export interface CompareProgress {
  readonly stage: CompareStage;
  readonly model: number; // 0-based
  readonly models: number;
  readonly progress: ProfileProgress | null;
  /** The whole job's fraction and time left, from the engine. */
  readonly job?: { readonly fraction: number; readonly etaMs: number | null };
}

/** The Compare view: the variant grid, models brought in, the running comparison and its result. */
export interface CompareSlice {
  grid: VariantGrid;
  brought: BroughtModel[];
  compareRunId: string | null;
  compareProgress: CompareProgress | null;
  comparison: Comparison | null;
  generated: GeneratedVariant[];
  /** The model whose layers and drift the charts show, and which "Export chosen model" saves. */
  chosenModel: number;
  setGrid(change: Partial<VariantGrid>): void;
  bringModelFile(file: File): Promise<void>;
  pickBroughtModel(): Promise<void>;
  dropBroughtModel(path: string): void;
  startCompare(): Promise<void>;
  cancelCompare(): Promise<void>;
  chooseModel(index: number): void;
  exportComparison(format: 'html' | 'json'): Promise<void>;
  exportChosenModel(): Promise<void>;
}

/** The UI around them. */
export interface UiSlice {
  info: AppInfo | null;
  view: View;
  tab: Tab;
  selectedLayer: number | null;
  error: ErrorInfo | null;
  notice: string | null;
  connection: ConnectionState;
  /** A run or comparison was going when the connection went: said in the connection banner. */
  runLostToConnection: boolean;
  /** Run-settings fields whose text is not a value, by field label: Run stays off until they are fixed. */
  fieldProblems: Readonly<Record<string, string>>;
  setFieldProblem(field: string, problem: string | null): void;
  setView(view: View): void;
  setTab(tab: Tab): void;
  selectLayer(index: number | null): void;
  showError(error: ErrorInfo | null): void;
  showNotice(notice: string | null): void;
}

/** The whole state. */
export type AppState = ModelSlice & RunSlice & CompareSlice & UiSlice & GenerateSlice & DevicesSlice;

/** What the store needs from its surroundings (the API, and how to save a file). */
export interface StoreDeps {
  readonly api: () => StrataApi;
  readonly upload: (file: File) => Promise<{ ok: true; value: string } | { ok: false; error: ErrorInfo }>;
  /** Finishes a save the engine made: downloads the file in browser mode. */
  readonly save: (saved: SavedFile) => void;
}
