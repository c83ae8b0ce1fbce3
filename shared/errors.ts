/**
 * Expected failures, as values that survive IPC, a WebSocket and a CLI exit. Messages are full
 * sentences that name the offending value and say what to do.
 */

/** Why something failed, for code that must react (the UI picks an icon, the CLI an exit code). */
export type ErrorCode =
  | 'MODEL_NOT_FOUND'
  | 'MODEL_INVALID' // not ONNX, truncated, corrupt
  | 'MODEL_EXTERNAL_DATA_MISSING'
  | 'MODEL_UNSUPPORTED' // ORT refused it: unknown op, bad opset
  | 'BAD_SHAPE'
  | 'BAD_INPUT'
  | 'BAD_ARGUMENT'
  | 'FILE_NOT_CHOSEN' // browser mode opens only files the user chose (or Strata wrote): a report's model path is not one
  | 'EP_UNAVAILABLE'
  | 'RUN_FAILED'
  | 'RUN_TIMEOUT'
  | 'RUN_CANCELLED'
  | 'BUSY' // another profile or comparison is running: one job at a time
  | 'WORKER_CRASHED'
  | 'IO_ERROR'
  | 'DEVICE_UNAVAILABLE' // an SSH device unreachable, refused, unknown host key, no Node
  | 'CONNECTION_LOST' // the SSH connection to a device dropped mid-job: no result
  | 'INTERNAL';

/** A failure's portable form. */
export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
  /** The underlying tool's own words (onnxruntime's raw message), for `--verbose`; not for the UI's headline. */
  readonly detail?: string;
}

/** The result of anything that can fail in an expected way. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorInfo };

/** An expected failure with a code; thrown inside the engine, turned into `ErrorInfo` at its edges. */
export class StrataError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The raw text behind the message (onnxruntime's own), shown only when asked for. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'StrataError';
  }

  /** The portable form of this error. */
  toInfo(): ErrorInfo {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

/** Turns anything thrown into `ErrorInfo`; unknown errors keep their message under INTERNAL. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof StrataError) return err.toInfo();
  if (isErrorInfo(err))
    return err.detail === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, detail: err.detail };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}

/** True for a value shaped like `ErrorInfo` (e.g. one that crossed a process boundary). */
export function isErrorInfo(value: unknown): value is ErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorInfo).code === 'string' &&
    typeof (value as ErrorInfo).message === 'string'
  );
}

/** For exhaustive switches: the compiler proves this is never reached. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value ${JSON.stringify(value)}.`);
}
