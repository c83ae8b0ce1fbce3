/**
 * One profile, end to end: read the model, run it in the worker (timing pass, then profiled pass),
 * analyse the trace and assemble the Report. The CLI, the app and comparisons all come through here.
 */
import { resolve } from 'node:path';
import { StrataError, toErrorInfo } from '../../../shared/errors.js';
import type { ModelSummary } from '../../../shared/model.js';
import type { ProfilePlan } from '../../../shared/plan.js';
import type { ProfileProgress } from '../../../shared/progress.js';
import {
  REPORT_SCHEMA_VERSION,
  type CacheSizes,
  type HardwareCounters,
  type Report,
  type ReportModel,
  type SystemTrace,
} from '../../../shared/report.js';
import { indexGraphs } from '../model/graph-index.js';
import { defaultModelCache, type ModelCache } from '../model/open-model.js';
import { assertExternalDataPresent } from '../model/summary.js';
import { assertEpsUsable, usableEpNames } from '../runner/eps.js';
import { runProfileJob } from '../runner/worker-client.js';
import { strataVersion } from '../version.js';
import { layerOriginResolver } from '../variants/lineage.js';
import { cacheLevelFor, parameterBytesOf, workingSetBytes } from './cache-fit.js';
import { raiseCeilingsSeen } from './ceilings.js';
import { readInt8Dot } from './cpu-flags.js';
import { fallbackOf, medianRunUs, profileDiagnostics, providerShares } from './diagnostics.js';
import { readDeviceInfo } from './device.js';
import { ceilingsFor, machineKey, withMeasuredCaches } from './machine.js';
import { startCounters, type CounterSession } from './hw-counters.js';
import { analyzeTrace, firstRunNodeTimes } from './layer-stats.js';
import { nodeWeightBytes, type LayerWeights } from './node-weights.js';
import { buildRoofline } from './roofline.js';
import { summarizeLatency } from './stats.js';
import { startSystemSampler } from './system-sampler.js';
import { modelRunEvents, readOrtTrace, type OrtTraceEvent } from './trace.js';
import { removeOwned } from '../temp-owner.js';

/** How a caller follows and stops a profile. */
export interface ProfileOptions {
  readonly onProgress?: (progress: ProfileProgress) => void;
  readonly signal?: AbortSignal;
  /** An already-read summary of the same file, to skip reading it twice. */
  readonly summary?: ModelSummary;
  /** The cache of open models to open it through (the engine's); default the process-wide one. */
  readonly models?: ModelCache;
  /** Place layers under this machine's roofline (ceilings measured once, then cached). Default true. */
  readonly roofline?: boolean;
  /** Sample CPU load and memory during the run, and count hardware events. Default true. */
  readonly system?: boolean;
  /** Measure the roofline ceilings and the memory hierarchy again instead of reading them from the cache. */
  readonly remeasureCeilings?: boolean;
  /** Measure this machine's memory hierarchy (once, then cached) and check read cache sizes against it. Default true. */
  readonly machineProbe?: boolean;
  /** Cache sizes to place layers with instead of this machine's (tests, or a target's known sizes). */
  readonly caches?: CacheSizes;
  /** Called with the worker's pid once it runs. */
  readonly onWorkerStart?: (pid: number) => void;
}

/** Profiles the model at `modelPath` with `plan` and returns its Report. Throws StrataError. */
export async function profileModel(
  modelPath: string,
  plan: ProfilePlan,
  options: ProfileOptions = {},
): Promise<Report> {
  const { onProgress, signal } = options;
  const path = resolve(modelPath);
  onProgress?.({ phase: 'reading', done: 0, total: 1, message: 'Reading the model', fraction: 0, etaMs: null });
  // Opened once through the cache (structure only, weights unread): the inputs now, the graphs for
  // the analysis, the content hash after the job (never beside the timed runs).
  const opened = await (options.models ?? defaultModelCache).open(path);
  const structure = options.summary ?? opened.structure;
  assertExternalDataPresent(structure);
  await assertEpsUsable(plan.eps);
  // The page asks for the content hash after opening a model (off its open path); if that read
  // is still going, finish it first: a file streamed beside the timed runs would slow them.
  await opened.hashing();

  const sampler = options.system === false ? null : startSystemSampler();
  let systemTrace: SystemTrace | undefined;
  let hardwareCounters: HardwareCounters | undefined;
  let counters: Promise<CounterSession> | null = null;
  let job;
  try {
    job = await runProfileJob(
      { modelPath: path, modelInputs: structure.inputs, plan, nodeCount: structure.nodeCount },
      {
        signal,
        onWorkerStart: (pid) => {
          options.onWorkerStart?.(pid);
          sampler?.setPid(pid);
          // Attached at spawn: a fast model's worker can be gone before a later attach would land,
          // so the counts cover the worker's whole life, loading included.
          if (sampler) counters = startCounters(pid);
        },
        onProgress,
      },
    );
  } finally {
    // Stop sampling however the job ended, so no timer outlives a failed or cancelled profile.
    systemTrace = await sampler?.stop();
    hardwareCounters = await (await (counters as Promise<CounterSession> | null))?.stop();
  }
  onProgress?.({ phase: 'analysing', done: 0, total: 1, message: 'Analysing the trace', fraction: 0.99, etaMs: null });
  // EPs are probed after the job, never beside it (a probe worker would share the cores being
  // timed), but beside the trace analysis: the probe worker loads onnxruntime on the other core
  // while this one parses, instead of seconds after it.
  const machineRead = Promise.all([
    readDeviceInfo(job.ortVersion),
    usableEpNames(),
    options.summary ? Promise.resolve(options.summary) : opened.summary(),
  ]);
  machineRead.catch(() => undefined); // awaited below; an analysis that throws first must not leave it unhandled
  let analysis;
  let cold;
  let runStartsUs: number[];
  // The graph, decoded once: weight shapes the trace leaves out, tensor producers, weight bytes.
  const graphs = opened.graphs;
  try {
    const events = await readOrtTrace(job.tracePath);
    const step = (message: string) =>
      onProgress?.({ phase: 'analysing', done: 0, total: 1, message, fraction: 0.99, etaMs: null });
    step(`Analysing ${events.length.toLocaleString('en-US')} trace events`);
    analysis = analyzeTrace(events, {
      warmupRuns: job.profiledWarmupRuns,
      graph: graphs ? indexGraphs(graphs) : undefined,
    });
    cold = firstRunNodeTimes(events);
    runStartsUs = profiledRunStartsUs(events, job.profiledWarmupRuns);
  } finally {
    await removeOwned(job.tracePath);
  }
  onProgress?.({
    phase: 'analysing',
    done: 0,
    total: 1,
    message: 'Reading the machine and placing the layers on it',
    fraction: 0.99,
    etaMs: null,
  });
  const [deviceRead, usableEps, summary] = await machineRead;
  const readDevice = { ...deviceRead, usableEps, int8Dot: readInt8Dot() };
  // The machine is measured after the job too, once (then cached): the staircase, and the read
  // cache sizes checked against it.
  // A measurement of the machine that fails costs its part of the report, never the profile.
  const { device, notes: machineNotes } = await withMeasuredCaches(readDevice, {
    given: options.caches,
    probe: options.machineProbe,
    remeasure: options.remeasureCeilings,
    signal,
    onProgress,
  }).catch((err: unknown) => {
    if (signal?.aborted) throw err;
    return {
      device: readDevice,
      notes: [
        `Strata could not measure this machine's memory hierarchy (${toErrorInfo(err).message}); layers are placed with the cache sizes read from the system.`,
      ],
    };
  });
  const caches = device.caches;
  const notes = [...job.notes, ...machineNotes];
  // Prepacked weights are missing from onnxruntime's parameter count; the graph still has them.
  const graphWeights: LayerWeights = graphs ? nodeWeightBytes(graphs) : () => undefined;
  // In place (the analysis' rows are this profile's own): two spread copies of 50,000 rows cost
  // as much as the analysis.
  const layers = analysis.layers.map((layer) => {
    const withWeights = Object.assign(layer, { parameterBytes: parameterBytesOf(layer, graphWeights(layer.name)) });
    const workingSet = workingSetBytes(withWeights);
    return Object.assign(withWeights, {
      workingSetBytes: workingSet,
      ...(caches ? { cacheLevel: cacheLevelFor(workingSet, caches) } : {}),
    });
  });
  let roofline;
  if (options.roofline !== false && plan.eps.every((ep) => ep === 'cpu')) {
    const machine = {
      threads: plan.intraOpThreads || device.threads,
      cpu: machineKey(readDevice),
      onnxruntimeVersion: job.ortVersion,
    };
    const measured = await ceilingsFor(
      machine,
      (modelPath, ceilingPlan, ceilingOptions) =>
        profileModel(modelPath, ceilingPlan, {
          ...ceilingOptions,
          roofline: false,
          system: false,
          machineProbe: false,
        }),
      {
        remeasure: options.remeasureCeilings,
        signal,
        onProgress,
      },
    ).catch((err: unknown) => {
      if (signal?.aborted) throw err;
      notes.push(
        `Strata could not measure this machine's roofline ceilings (${toErrorInfo(err).message}), so this report has no roofline; \`strata ceilings --remeasure\` tries again.`,
      );
      return null;
    });
    if (measured) {
      notes.push(...measured.notes);
      const { ceilings, note } = await raiseCeilingsSeen(measured.ceilings, layers, machine);
      if (note) notes.push(note);
      roofline = buildRoofline(layers, ceilings);
    }
  }
  // A cancel that arrived while the trace was analysed still cancels: no report after "Cancel".
  if (signal?.aborted) throw new StrataError('RUN_CANCELLED', 'The profile was cancelled.');

  const latency = summarizeLatency(job.coldMs, job.samplesMs, job.timingCpu);
  if (latency.noise?.warning) notes.push(latency.noise.warning);
  // The silent-fallback alarm and "why is this slower?", from the same per-layer data.
  const runWallUs = medianRunUs(analysis.runs);
  const fallback = fallbackOf(layers, plan.eps, runWallUs);
  const diagnostics = profileDiagnostics(layers, {
    requested: plan.eps,
    runWallUs,
    int8Dot: device.int8Dot,
    origin: graphs ? layerOriginResolver(graphs) : undefined,
  });
  const coldStart = {
    coldMs: job.coldMs,
    warmP50Ms: latency.p50Ms,
    profiledColdMs: cold.runUs / 1000,
    layers: layers
      .filter((l) => !l.parent)
      .map((l) => ({ layer: l.index, coldUs: cold.byNode.get(l.name) ?? 0, warmUs: l.meanUs })),
  };

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    strataVersion: strataVersion(),
    createdAt: new Date().toISOString(),
    model: toReportModel(summary),
    device,
    settings: { plan, inputs: job.resolvedInputs },
    eps: { requested: plan.eps, used: analysis.providersUsed },
    notes,
    session: { loadMs: analysis.session.loadMs, initMs: analysis.session.initMs, createMs: job.createMs },
    latency,
    profiledRunMeanMs: analysis.profiledRunMeanMs,
    overhead: analysis.overhead,
    layers,
    opTypes: analysis.opTypes,
    // Each run's start on the trace clock, so the app can place runs among the system samples.
    runs: analysis.runs.map((run, i) => (runStartsUs[i] === undefined ? run : { ...run, startUs: runStartsUs[i] })),
    profiledStartEpochMs: job.profiledStartEpochMs,
    memory: {
      peakRssBytes: job.peakRssBytes,
      peakRssSource: job.peakRssSource,
      arenaPeakBytes: analysis.arenaPeakBytes,
      rssAfterLoadBytes: job.rssAfterLoadBytes,
    },
    ...(systemTrace ? { system: systemTrace } : {}),
    ...(hardwareCounters ? { counters: hardwareCounters } : {}),
    ...(roofline ? { roofline } : {}),
    coldStart,
    providers: providerShares(layers, runWallUs),
    ...(fallback ? { fallback } : {}),
    diagnostics,
  };
}

/** Start (µs from the trace's time 0) of each profiled run after the warm-up ones, as analyzeTrace counts runs. */
export function profiledRunStartsUs(events: readonly OrtTraceEvent[], warmupRuns: number): number[] {
  return modelRunEvents(events)
    .map((e) => e.ts)
    .slice(warmupRuns);
}

/** The part of a model summary a report keeps. */
export function toReportModel(summary: ModelSummary): ReportModel {
  return {
    path: summary.path,
    fileName: summary.fileName,
    sha256: summary.sha256,
    bytes: summary.bytes,
    producer: summary.producer,
    irVersion: summary.irVersion,
    opsets: summary.opsets,
    nodeCount: summary.nodeCount,
    parameterCount: summary.parameterCount,
    parameterBytes: summary.parameterBytes,
    inputs: summary.inputs,
    outputs: summary.outputs,
    opHistogram: summary.opHistogram,
  };
}
