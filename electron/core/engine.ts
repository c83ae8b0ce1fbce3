/**
 * The engine: the one object the CLI and both front doors (Electron main, browser-mode server) hold.
 * It owns the cache of open models, so opening, inspecting and profiling a file read it once, and
 * the job table, so one measuring job runs at a time. The config folder is the process's
 * (config-dir.ts: STRATA_CONFIG_DIR or the platform's), read where it is used.
 */
import { resolve } from 'node:path';
import type { ModelInspection, ModelSummary } from '../../shared/model.js';
import type { ProfilePlan } from '../../shared/plan.js';
import type { Report } from '../../shared/report.js';
import { JobTable } from './jobs.js';
import { inspectOpenModel } from './model/inspect.js';
import { defaultModelCache, ModelCache, type OpenModel } from './model/open-model.js';
import { profileModel, type ProfileOptions } from './profile/profiler.js';

/** How to build an engine. */
export interface EngineOptions {
  /** Its own job table (a front door's tests); default a new one. */
  readonly jobs?: JobTable;
  /** Its own cache of open models (tests); default the process-wide one the free functions share. */
  readonly models?: ModelCache;
}

/** What the front doors and the CLI call. */
export interface Engine {
  readonly models: ModelCache;
  /** One measuring job at a time (see jobs.ts). */
  readonly jobs: JobTable;
  /** The open model at `path`: read once per path, size and mtime, weights never. */
  openModel(path: string): Promise<OpenModel>;
  /** Its summary, content hash included (streamed once per open model). */
  summarize(path: string): Promise<ModelSummary>;
  /** Its structure for `strata inspect`, without hashing or reading weights. */
  inspect(path: string): Promise<ModelInspection>;
  /** Profiles it with `plan` (see profileModel), through the same open model. */
  profile(path: string, plan: ProfilePlan, options?: ProfileOptions): Promise<Report>;
}

/** Builds an engine. */
export function createEngine(options: EngineOptions = {}): Engine {
  const models = options.models ?? defaultModelCache;
  const openModel = (path: string) => models.open(resolve(path));
  return {
    models,
    jobs: options.jobs ?? new JobTable(),
    openModel,
    summarize: async (path) => (await openModel(path)).summary(),
    inspect: async (path) => inspectOpenModel(await openModel(path)),
    profile: (path, plan, profileOptions = {}) => profileModel(path, plan, { ...profileOptions, models }),
  };
}
