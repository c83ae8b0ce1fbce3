// Does Strata measure what onnxruntime does? Per model:
//  1. Latency: Strata's warm p50 (worker process, profiler off) against a minimal onnxruntime-node
//     loop in this process with the same model, inputs, threads and optimisation level.
//     Goal: within 10%.
//  2. Per-layer times: the Report's per-layer means summed, against the kernel durations summed per
//     run in onnxruntime's raw trace of the same profiled pass, re-read here with a parser of its own
//     (no code shared with electron/core/profile/). Once over every kernel, once over top-level ones
//     (what an If's subgraph runs lies inside the If). Goal: within 1%.
//  3. What profiling costs, stated rather than checked: the profiled run's mean against the warm p50
//     (the profiler's cost, per node too), and the share of a profiled run no kernel accounts for.
// Exits non-zero, naming the model and the goal, when a goal is missed. Writes bench/results/.
//   npx tsx bench/engine-agreement.ts [--runs N]
import { fork } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { defaultPlan, type ProfilePlan } from '../shared/plan.js';
import type { Report } from '../shared/report.js';
import { pinInputShapes } from '../electron/core/model/pin-dims.js';
import { summarizeModelFile } from '../electron/core/model/open-model.js';
import { percentile } from '../electron/core/profile/stats.js';
import { profileModel } from '../electron/core/profile/profiler.js';
import { makeInputData, resolveInputs } from '../electron/core/runner/inputs.js';
import type { WorkerMessage } from '../electron/core/runner/protocol.js';
import { removeOrtLitter } from '../electron/core/runner/temp-files.js';
import { setWorkerForker } from '../electron/core/runner/worker-client.js';
import { OCR_CLS, OCR_DET, REPO, SAMPLE, SILERO_16K } from '../test/fixtures/paths.js';

const { values } = parseArgs({ options: { runs: { type: 'string' } } });
const runs = Number(values.runs ?? 200);
const P50_GOAL = 0.1;
const LAYER_SUM_GOAL = 0.01;

const models: { name: string; path: string; plan: Partial<ProfilePlan> }[] = [
  { name: 'sample transformer', path: SAMPLE, plan: {} },
  { name: 'PP-OCR cls 48x192', path: OCR_CLS, plan: { shapes: { x: [1, 3, 48, 192] } } },
  { name: 'PP-OCRv4 det 320x320', path: OCR_DET, plan: { shapes: { x: [1, 3, 320, 320] } } },
  {
    name: 'Silero VAD 16k (If)',
    path: SILERO_16K,
    plan: { shapes: { input: [1, 512] }, dims: { batch: 1 }, inputs: { sr: { kind: 'scalar', value: 16000 } } },
  },
];

// The worker reports where onnxruntime wrote its trace; the engine reads and deletes it right after.
// A copy is taken first, from the worker's own message, through the engine's public forker hook.
const traces = mkdtempSync(join(tmpdir(), 'strata-bench-traces-'));
let captured: { path: string; warmupRuns: number } | null; // set per model below, before its run
setWorkerForker((script, execArgv, env) => {
  const child = fork(script, [], {
    execArgv,
    env,
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  child.on('message', (m: WorkerMessage) => {
    if (m.type !== 'profile-result') return;
    const path = join(traces, `trace-${Date.now()}.json`);
    copyFileSync(m.result.tracePath, path);
    captured = { path, warmupRuns: m.result.profiledWarmupRuns };
  });
  return child;
});

async function minimalLoop(path: string, plan: ProfilePlan): Promise<number> {
  const summary = await summarizeModelFile(path);
  const { resolved, shapes } = resolveInputs(summary.inputs, plan);
  const feeds = Object.fromEntries(
    makeInputData(resolved, plan.inputs, plan.seed).map((i) => [
      i.name,
      new ort.Tensor(i.type as never, i.data as never, [...i.dims]),
    ]),
  );
  const options = {
    intraOpNumThreads: plan.intraOpThreads,
    interOpNumThreads: plan.interOpThreads,
    graphOptimizationLevel: plan.graphOptimizationLevel,
    executionMode: plan.executionMode,
    logSeverityLevel: 3,
  } as const;
  // Loaded as Strata loads it: from the file, or pinned bytes when a dim is open.
  const session = Object.keys(shapes).length
    ? await ort.InferenceSession.create(pinInputShapes(readFileSync(path), shapes), options)
    : await ort.InferenceSession.create(path, options);
  await session.run(feeds);
  for (let i = 0; i < plan.warmupRuns; i++) await session.run(feeds);
  const samples: number[] = [];
  for (let i = 0; i < plan.timedRuns; i++) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  await session.release();
  return percentile(samples, 50);
}

interface RawEvent {
  cat: string;
  name: string;
  ph: string;
  tid: number;
  ts: number;
  dur: number;
}

/** Per profiled run of a raw trace: its wall time, Σ of every kernel, Σ of top-level kernels, and their union. */
function readRawTrace(path: string, warmupRuns: number) {
  const events = (JSON.parse(readFileSync(path, 'utf8')) as RawEvent[]).filter((e) => e.ph === 'X');
  const runWindows = events
    .filter((e) => e.cat === 'Session' && e.name === 'model_run')
    .sort((a, b) => a.ts - b.ts)
    .slice(warmupRuns);
  const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
  return runWindows.map((run) => {
    const inRun = kernels.filter((k) => k.ts >= run.ts && k.ts + k.dur <= run.ts + run.dur);
    // Top level: not inside another kernel of the same thread (an If runs its subgraph inside itself).
    const top = inRun.filter(
      (k) =>
        !inRun.some((o) => o !== k && o.tid === k.tid && o.ts <= k.ts && k.ts + k.dur <= o.ts + o.dur && o.dur > k.dur),
    );
    const sorted = [...top].sort((a, b) => a.ts - b.ts);
    let union = 0;
    let end = -Infinity;
    for (const k of sorted) {
      if (k.ts + k.dur > end) {
        union += k.ts + k.dur - Math.max(k.ts, end);
        end = k.ts + k.dur;
      }
    }
    const sum = (list: RawEvent[]) => list.reduce((s, k) => s + k.dur, 0);
    return { durUs: run.dur, allUs: sum(inRun), topUs: sum(top), unionUs: union };
  });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const missed: string[] = [];
const results = [];
for (const model of models) {
  const plan: ProfilePlan = {
    ...defaultPlan(),
    intraOpThreads: 2,
    warmupRuns: 20,
    timedRuns: runs,
    profiledRuns: 20,
    ...model.plan,
  };
  // Minimal loop before and after Strata, so drift in the machine's state shows up in both.
  const before = await minimalLoop(model.path, plan);
  captured = null;
  const report: Report = await profileModel(model.path, plan, { roofline: false, system: false });
  const after = await minimalLoop(model.path, plan);
  const minimal = (before + after) / 2;
  if (!captured) throw new Error(`No raw trace was captured for ${model.name}.`);
  const { path: tracePath, warmupRuns } = captured as { path: string; warmupRuns: number };
  const raw = readRawTrace(tracePath, warmupRuns);
  rmSync(tracePath);

  const reportAllUs = report.layers.reduce((s, l) => s + l.meanUs, 0);
  const reportTopUs = report.layers.filter((l) => !l.parent).reduce((s, l) => s + l.meanUs, 0);
  const rawAllUs = mean(raw.map((r) => r.allUs));
  const rawTopUs = mean(raw.map((r) => r.topUs));
  const rawOverheadUs = mean(raw.map((r) => r.durUs - r.unionUs));
  const result = {
    model: model.name,
    strataP50Ms: report.latency.p50Ms,
    minimalP50Ms: minimal,
    p50Ratio: report.latency.p50Ms / minimal,
    profiledRuns: raw.length,
    reportLayerSumUs: reportAllUs,
    rawKernelSumUs: rawAllUs,
    layerSumRatio: reportAllUs / rawAllUs,
    topLevelRatio: reportTopUs / rawTopUs,
    profiledRunMs: report.profiledRunMeanMs,
    profilerCostRatio: report.profiledRunMeanMs / report.latency.p50Ms,
    profilerCostUsPerNode:
      ((report.profiledRunMeanMs - report.latency.p50Ms) * 1000) / Math.max(1, report.layers.length),
    overheadShare: report.overhead.share,
    rawOverheadShare: rawOverheadUs / mean(raw.map((r) => r.durUs)),
  };
  results.push(result);
  console.log(
    `${result.model.padEnd(22)} p50 strata ${result.strataP50Ms.toFixed(3)} ms / minimal ${result.minimalP50Ms.toFixed(3)} ms = ${result.p50Ratio.toFixed(3)}` +
      `   layers ${(reportAllUs / 1000).toFixed(3)} ms / raw trace ${(rawAllUs / 1000).toFixed(3)} ms = ${result.layerSumRatio.toFixed(4)}` +
      ` (top level ${result.topLevelRatio.toFixed(4)}, ${raw.length} runs)`,
  );
  console.log(
    `${''.padEnd(22)} profiled run ${result.profiledRunMs.toFixed(3)} ms = ${result.profilerCostRatio.toFixed(2)}x warm p50` +
      ` (profiler ~${result.profilerCostUsPerNode.toFixed(1)} µs per node per run); overhead ${(result.overheadShare * 100).toFixed(1)}% of a profiled run` +
      ` (raw trace: ${(result.rawOverheadShare * 100).toFixed(1)}%)`,
  );
  if (Math.abs(result.p50Ratio - 1) > P50_GOAL)
    missed.push(
      `${model.name}: p50 off by ${(Math.abs(result.p50Ratio - 1) * 100).toFixed(1)}% (goal: within ${P50_GOAL * 100}%)`,
    );
  for (const [what, ratio] of [
    ['layer sum', result.layerSumRatio],
    ['top-level layer sum', result.topLevelRatio],
  ] as const) {
    if (!(Math.abs(ratio - 1) <= LAYER_SUM_GOAL))
      missed.push(
        `${model.name}: ${what} off the raw trace by ${(Math.abs(ratio - 1) * 100).toFixed(2)}% (goal: within ${LAYER_SUM_GOAL * 100}%)`,
      );
  }
}
rmSync(traces, { recursive: true, force: true });
removeOrtLitter(process.pid); // this process ran the minimal loops
const out = join(REPO, 'bench', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'engine-agreement.json'),
  JSON.stringify(
    { runs, machine: process.arch, goals: { p50: P50_GOAL, layerSum: LAYER_SUM_GOAL }, missed, results },
    null,
    2,
  ),
);
const worst = Math.max(...results.map((r) => Math.abs(r.p50Ratio - 1)));
console.log(`worst p50 disagreement: ${(worst * 100).toFixed(1)}% (goal: within ${P50_GOAL * 100}%)`);
if (missed.length) {
  for (const line of missed) console.log(`GOAL MISSED: ${line}`);
  process.exitCode = 1;
} else {
  console.log(
    `every goal met: p50 within ${P50_GOAL * 100}% of a minimal loop, layer sums within ${LAYER_SUM_GOAL * 100}% of the raw trace`,
  );
}
