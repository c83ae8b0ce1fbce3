/** Progress of a running profile, streamed from the worker to the CLI's bar and the app's. */

/** The phases of a profile, in order. */
export type ProfilePhase =
  | 'reading' // parsing the model file
  | 'loading' // creating the timing session
  | 'cold' // the first run
  | 'warmup'
  | 'timing' // timed runs, profiler off
  | 'profiling' // profiled runs, profiler on
  | 'analysing' // turning the trace into statistics
  | 'measuring'; // measuring this machine once: cache latency and bandwidth, roofline ceilings

/** One progress event. `done`/`total` count runs within the phase where that makes sense. */
export interface ProfileProgress {
  readonly phase: ProfilePhase;
  readonly done: number;
  readonly total: number;
  readonly message: string; // "timed run 12 of 50"
  readonly fraction: number; // 0..1 over the whole profile, for one bar
  readonly etaMs: number | null; // estimate of the time left, once one run has been measured
}
