/**
 * The one contract between the UI and the engine. Electron's preload and the browser-mode WebSocket
 * both carry exactly these channels; nothing else crosses the boundary.
 *
 * Invoke channels answer once with a `Result` (expected failures are values, since only data survives
 * IPC); event channels are pushed from the engine to the UI.
 */
import type { CompareStage, Comparison } from './compare.js';
import type { Device, DeviceCheck } from './devices.js';
import type { EpInfo } from './eps.js';
import type { GenerateReport, GenerateSettings } from './generate.js';
import type { GenerateComparison } from './generate-compare.js';
import type { ErrorInfo, Result } from './errors.js';
import type { ModelSummary } from './model.js';
import type { ProfilePlan } from './plan.js';
import type { ProfileProgress } from './progress.js';
import type { MachineMeasurement, Report } from './report.js';

/** Which front door the UI is behind. */
export type AppMode = 'electron' | 'browser';

/** Facts the UI needs at start-up. */
export interface AppInfo {
  readonly version: string;
  readonly mode: AppMode;
  readonly platform: string; // process.platform of the engine's machine
  readonly sampleModelPath: string; // the model opened on first launch
  readonly initialModelPath: string | null; // given on the command line, if any
}

/** A model the user opened before. */
export interface RecentFile {
  readonly path: string;
  readonly fileName: string;
  readonly openedAt: string; // ISO 8601
  /** The run settings of its last profile, brought back when it is opened again. */
  readonly lastPlan?: ProfilePlan;
}

/** Export formats of a report. */
export type ExportFormat = 'html' | 'json' | 'csv' | 'trace';

/**
 * A rendered export, before the front door saves it: its text whole, or in pieces (a big report's
 * JSON, written or sent piece by piece, never held as one string; the pieces are read once).
 */
export interface ExportedFile {
  readonly fileName: string;
  readonly mimeType: string;
  readonly content: string | Iterable<string>;
}

/**
 * Where an export went. The engine renders and saves it, so only this crosses back: in the desktop
 * app the path the user chose in the save dialog (null when cancelled); in browser mode a one-time
 * URL on the server the page downloads the file from.
 */
export type SavedFile =
  | { readonly fileName: string; readonly savedTo: string | null }
  | { readonly fileName: string; readonly downloadUrl: string };

/**
 * A saved report's bytes as `report:open` hands them over, unparsed: the page parses and checks them
 * (shared/report-check.ts). In browser mode a one-time URL on the server to fetch them from (an HTTP
 * stream, not one 26 MB WebSocket message); in the desktop app the bytes themselves (IPC copies a
 * Uint8Array as it is).
 */
export type ReportBytes =
  | { readonly fileName: string; readonly url: string; readonly bytes: number }
  | { readonly fileName: string; readonly data: Uint8Array };

/** How static quantization picks activation ranges from calibration data. */
export type CalibrationMethod = 'minmax' | 'percentile' | 'entropy';

/** A variant to generate from a model. */
export type VariantSpec =
  | {
      readonly kind: 'quantize';
      /** dynamic: int8 compute (ConvInteger, DynamicQuantizeMatMul); static: calibrated QDQ; weight-only: int8 weights, float compute. */
      readonly mode: 'dynamic' | 'static' | 'weight-only';
      readonly perChannel: boolean;
      readonly symmetric: boolean;
      readonly weightType: 'int8' | 'uint8';
      readonly calibrate?: CalibrationMethod; // static mode
    }
  | { readonly kind: 'fp16' }
  | { readonly kind: 'prune'; readonly sparsity: number; readonly pattern: 'unstructured' | '2:4' };

/** A generated variant file. */
export interface GeneratedVariant {
  readonly spec: VariantSpec;
  readonly label: string; // "int8 dynamic per-channel symmetric"
  readonly path: string;
  readonly bytes: number;
  readonly detail: string; // what the transform did: coverage, sparsity, casts
}

/** Request to start a profile. */
export interface ProfileRequest {
  readonly modelPath: string;
  readonly plan: ProfilePlan;
  /** An added device's name to run on over SSH; absent (or "local") for this machine. */
  readonly device?: string;
}

/** Every invoke channel: name -> (request) => response value. */
export interface InvokeChannels {
  'app:info': () => AppInfo;
  /**
   * Opens a model: its structure at once, weights unread. Its `sha256` is '' here (hashing a 1 GiB
   * file takes seconds): ask 'model:hash' for it.
   */
  'model:open': (path: string) => ModelSummary;
  /** An opened model's SHA-256, streamed once; while a job measures, it waits for the job to end. */
  'model:hash': (path: string) => string;
  'model:recent': () => readonly RecentFile[];
  'eps:list': () => readonly EpInfo[];
  /** Starts a profile; progress and the result arrive as events carrying the returned runId. */
  'profile:start': (request: ProfileRequest) => { readonly runId: string };
  /** Cancels a profile or a comparison by its runId. */
  'profile:cancel': (runId: string) => { readonly cancelled: boolean };
  /** Renders the report in `format` and saves it (see SavedFile). */
  'report:export': (request: { readonly report: Report; readonly format: ExportFormat }) => SavedFile;
  /** A saved report, checked by the page (readReport in renderer/api/report-reader.ts). */
  'report:open': (path: string) => ReportBytes;
  /** Electron only: the native open dialog. Returns null when the user cancels. */
  'dialog:openModel': () => string | null;
  /** Writes each variant of a model to a working folder (static quantization calibrates with `plan`). */
  'variants:create': (request: {
    readonly modelPath: string;
    readonly plan: ProfilePlan;
    readonly variants: readonly VariantSpec[];
  }) => readonly GeneratedVariant[];
  /**
   * Starts a comparison (the first path is the baseline); events carry the returned runId. With
   * `variants`, the job first makes those variants of the baseline (placed right after it), so one
   * cancel stops generation and measurement alike. Refused with BUSY while another job runs.
   */
  'compare:start': (request: {
    readonly paths: readonly string[];
    readonly labels?: readonly string[];
    readonly plan: ProfilePlan;
    readonly variants?: readonly VariantSpec[];
  }) => { readonly runId: string };
  /** Saves a model file (a chosen variant) the same way, copied or streamed from disk, never sent whole. */
  'model:download': (path: string) => SavedFile;
  /** A comparison rendered and saved (see SavedFile): a static HTML page or its JSON. */
  'compare:export': (request: { readonly comparison: Comparison; readonly format: 'html' | 'json' }) => SavedFile;
  /** This machine's caches, staircase and ceilings for `threads` (0 = every core), measured again now. */
  'machine:measure': (request: { readonly threads: number }) => MachineMeasurement;
  /** Starts a generation profile of a decoder (and a draft); events carry the runId; cancel with profile:cancel. */
  'generate:start': (request: {
    readonly modelPath: string;
    readonly draftPath?: string;
    /**
     * A second decoder (not with a draft): both are profiled as `strata generate A --vs B` does, A's
     * profile ending in alternating rounds of the two, and generate:done carries their comparison.
     */
    readonly vsPath?: string;
    readonly settings: GenerateSettings;
    readonly plan: ProfilePlan;
  }) => { readonly runId: string };
  /** A generation report rendered and saved (see SavedFile): its static HTML page or its JSON. */
  'generate:export': (request: {
    readonly report: GenerateReport;
    readonly format: 'html' | 'json';
    /** Export the comparison of `report` against this baseline decoder instead (see generate:compare). */
    readonly baseline?: GenerateReport;
  }) => SavedFile;
  /** Two decoders' generation reports compared: `b` against the baseline `a`, each speed with its interval and verdict. */
  'generate:compare': (request: { readonly a: GenerateReport; readonly b: GenerateReport }) => GenerateComparison;
  /** The devices added (strata devices), reached over SSH. */
  'devices:list': () => readonly Device[];
  /** Adds (or replaces) a device: a name and an SSH address (ssh://user@host[:port], user@host, an alias). */
  'devices:add': (request: { readonly name: string; readonly address: string }) => Device;
  'devices:remove': (name: string) => { readonly removed: boolean };
  /** Connects, reads the device's system and Node, deploys the engine if missing, lists its EPs. */
  'devices:check': (name: string) => DeviceCheck;
  /**
   * A devices comparison: one model on each device ("local" = this machine), devices in parallel;
   * events as for compare:start. Not interleaved across devices (the comparison's notes say so).
   */
  'compare:devices': (request: {
    readonly modelPath: string;
    readonly devices: readonly string[];
    readonly plan: ProfilePlan;
  }) => { readonly runId: string };
}

/** Every event channel: name -> payload. */
export interface EventChannels {
  'profile:progress': { readonly runId: string; readonly progress: ProfileProgress };
  'profile:done': { readonly runId: string; readonly report: Report };
  'profile:failed': { readonly runId: string; readonly error: ErrorInfo };
  'compare:progress': {
    readonly runId: string;
    readonly stage: CompareStage;
    readonly model: number;
    readonly models: number;
    readonly progress: ProfileProgress;
    /** The whole job: 0..1 over every stage, and the time left for all of it. */
    readonly job?: { readonly fraction: number; readonly etaMs: number | null };
  };
  'compare:done': { readonly runId: string; readonly comparison: Comparison };
  'compare:failed': { readonly runId: string; readonly error: ErrorInfo };
  'generate:progress': { readonly runId: string; readonly progress: ProfileProgress };
  'generate:done': {
    readonly runId: string;
    readonly report: GenerateReport;
    /** With generate:start's vsPath: B against A (`report`), both reports inside. */
    readonly comparison?: GenerateComparison;
  };
  'generate:failed': { readonly runId: string; readonly error: ErrorInfo };
}

export type InvokeChannel = keyof InvokeChannels;
export type EventChannel = keyof EventChannels;
export type InvokeRequest<C extends InvokeChannel> = Parameters<InvokeChannels[C]>;
export type InvokeResponse<C extends InvokeChannel> = ReturnType<InvokeChannels[C]>;

/**
 * How many arguments each invoke channel takes, checked against InvokeChannels by the compiler: a
 * request with more or fewer is refused before any handler sees it.
 */
export const INVOKE_ARITY: { readonly [C in InvokeChannel]: InvokeRequest<C>['length'] } = {
  'app:info': 0,
  'model:open': 1,
  'model:hash': 1,
  'model:recent': 0,
  'eps:list': 0,
  'profile:start': 1,
  'profile:cancel': 1,
  'report:export': 1,
  'report:open': 1,
  'dialog:openModel': 0,
  'variants:create': 1,
  'compare:start': 1,
  'model:download': 1,
  'compare:export': 1,
  'machine:measure': 1,
  'generate:start': 1,
  'generate:export': 1,
  'generate:compare': 1,
  'devices:list': 0,
  'devices:add': 1,
  'devices:remove': 1,
  'devices:check': 1,
  'compare:devices': 1,
};

/** The names of all invoke channels, for allowlists on both sides. */
export const INVOKE_CHANNELS = Object.keys(INVOKE_ARITY) as readonly InvokeChannel[];

/** The names of all event channels. */
export const EVENT_CHANNELS: readonly EventChannel[] = [
  'profile:progress',
  'profile:done',
  'profile:failed',
  'compare:progress',
  'compare:done',
  'compare:failed',
  'generate:progress',
  'generate:done',
  'generate:failed',
];

/** What the UI sees as `window.strata` (Electron) or gets from the WebSocket client (browser). */
export interface StrataApi {
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeRequest<C>): Promise<Result<InvokeResponse<C>>>;
  on<E extends EventChannel>(channel: E, listener: (payload: EventChannels[E]) => void): () => void;
}

/** The engine side of the contract: what main.ts and server.ts wire to their transports. */
export type ApiHandlers = {
  [C in InvokeChannel]: (...args: InvokeRequest<C>) => Promise<InvokeResponse<C>>;
};
