/**
 * The one contract between the UI and the engine. Electron's preload and the browser-mode WebSocket
 * both carry exactly these channels; nothing else crosses the boundary.
 *
 * Invoke channels answer once with a `Result` (expected failures are values, since only data survives
 * IPC); event channels are pushed from the engine to the UI.
 */
import type { EpInfo } from './eps.js';
import type { ErrorInfo, Result } from './errors.js';
import type { ModelSummary } from './model.js';
import type { ProfilePlan } from './plan.js';
import type { ProfileProgress } from './progress.js';
import type { Report } from './report.js';

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
}

/** Export formats of a report. */
export type ExportFormat = 'html' | 'json' | 'csv' | 'trace';

/** A rendered export: the UI saves it (a download in the browser, a save dialog in Electron). */
export interface ExportedFile {
  readonly fileName: string;
  readonly mimeType: string;
  readonly content: string;
}

/** Request to start a profile. */
export interface ProfileRequest {
  readonly modelPath: string;
  readonly plan: ProfilePlan;
}

/** Every invoke channel: name -> (request) => response value. */
export interface InvokeChannels {
  'app:info': () => AppInfo;
  'model:open': (path: string) => ModelSummary;
  'model:recent': () => readonly RecentFile[];
  'eps:list': () => readonly EpInfo[];
  /** Starts a profile; progress and the result arrive as events carrying the returned runId. */
  'profile:start': (request: ProfileRequest) => { readonly runId: string };
  'profile:cancel': (runId: string) => { readonly cancelled: boolean };
  'report:export': (request: { readonly report: Report; readonly format: ExportFormat }) => ExportedFile;
  'report:open': (path: string) => Report;
  /** Electron only: the native open dialog. Returns null when the user cancels. */
  'dialog:openModel': () => string | null;
  /** Electron only: the native save dialog, then writes the file. Returns the path or null. */
  'dialog:saveFile': (file: ExportedFile) => string | null;
}

/** Every event channel: name -> payload. */
export interface EventChannels {
  'profile:progress': { readonly runId: string; readonly progress: ProfileProgress };
  'profile:done': { readonly runId: string; readonly report: Report };
  'profile:failed': { readonly runId: string; readonly error: ErrorInfo };
}

export type InvokeChannel = keyof InvokeChannels;
export type EventChannel = keyof EventChannels;
export type InvokeRequest<C extends InvokeChannel> = Parameters<InvokeChannels[C]>;
export type InvokeResponse<C extends InvokeChannel> = ReturnType<InvokeChannels[C]>;

/** The names of all invoke channels, for allowlists on both sides. */
export const INVOKE_CHANNELS: readonly InvokeChannel[] = [
  'app:info',
  'model:open',
  'model:recent',
  'eps:list',
  'profile:start',
  'profile:cancel',
  'report:export',
  'report:open',
  'dialog:openModel',
  'dialog:saveFile',
];

/** The names of all event channels. */
export const EVENT_CHANNELS: readonly EventChannel[] = ['profile:progress', 'profile:done', 'profile:failed'];

/** What the UI sees as `window.strata` (Electron) or gets from the WebSocket client (browser). */
export interface StrataApi {
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeRequest<C>): Promise<Result<InvokeResponse<C>>>;
  on<E extends EventChannel>(channel: E, listener: (payload: EventChannels[E]) => void): () => void;
}

/** The engine side of the contract: what main.ts and server.ts wire to their transports. */
export type ApiHandlers = {
  [C in InvokeChannel]: (...args: InvokeRequest<C>) => Promise<InvokeResponse<C>>;
};
