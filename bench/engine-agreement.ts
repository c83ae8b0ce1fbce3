// Does Strata measure what onnxruntime does? For each model, Strata's warm p50 (worker process,
// profiler off) against a minimal onnxruntime-node loop in this process with the same model bytes,
// inputs, threads and optimisation level; and whether the per-layer times add up to the profiled
// run minus the reported overhead. Prints both ratios per model and writes bench/results/.
//   npx tsx bench/engine-agreement.ts [--runs N]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { defaultPlan, type ProfilePlan } from '../shared/plan.js';
import { pinInputShapes } from '../electron/core/model/pin-dims.js';
import { summarizeModelFile } from '../electron/core/model/summary.js';
import { percentile } from '../electron/core/profile/stats.js';
import { profileModel } from '../electron/core/profile/profiler.js';
import { makeInputData, resolveInputs } from '../electron/core/runner/inputs.js';
import { OCR_CLS, OCR_DET, REPO, SAMPLE, SILERO_16K } from '../test/fixtures/paths.js';

const { values } = parseArgs({ options: { runs: { type: 'string' } } });
const runs = Number(values.runs ?? 200);

const models: { name: string; path: string; plan: Partial<ProfilePlan> }[] = [
  { name: 'sample transformer', path: SAMPLE, plan: {} },
  { name: 'PP-OCR cls 48x192', path: OCR_CLS, plan: { shapes: { x: [1, 3, 48, 192] } } },
  { name: 'PP-OCRv4 det 320x320', path: OCR_DET, plan: { shapes: { x: [1, 3, 320, 320] } } },
  { name: 'Silero VAD 16k', path: SILERO_16K, plan: { shapes: { input: [1, 512] }, dims: { batch: 1 }, inputs: { sr: { kind: 'scalar', value: 16000 } } } },
];

async function minimalLoop(path: string, plan: ProfilePlan): Promise<number> {
  const summary = await summarizeModelFile(path);
  const { resolved, shapes } = resolveInputs(summary.inputs, plan);
  const feeds = Object.fromEntries(makeInputData(resolved, plan.inputs, plan.seed).map((i) => [i.name, new ort.Tensor(i.type as never, i.data as never, [...i.dims])]));
  const session = await ort.InferenceSession.create(pinInputShapes(readFileSync(path), shapes), {
    intraOpNumThreads: plan.intraOpThreads,
    interOpNumThreads: plan.interOpThreads,
    graphOptimizationLevel: plan.graphOptimizationLevel,
    executionMode: plan.executionMode,
    logSeverityLevel: 3,
  });
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

const results = [];
for (const model of models) {
  const plan: ProfilePlan = { ...defaultPlan(), intraOpThreads: 2, warmupRuns: 20, timedRuns: runs, profiledRuns: 20, ...model.plan };
  // Minimal loop before and after Strata, so drift in the machine's state shows up in both.
  const before = await minimalLoop(model.path, plan);
  const report = await profileModel(model.path, plan, { roofline: false, system: false });
  const after = await minimalLoop(model.path, plan);
  const minimal = (before + after) / 2;
  const layerSumUs = report.layers.filter((l) => !l.parent).reduce((s, l) => s + l.meanUs, 0);
  const result = {
    model: model.name,
    strataP50Ms: report.latency.p50Ms,
    minimalP50Ms: minimal,
    p50Ratio: report.latency.p50Ms / minimal,
    profiledRunMs: report.profiledRunMeanMs,
    overheadMs: report.overhead.meanUs / 1000,
    layerSumMs: layerSumUs / 1000,
    layerSumRatio: layerSumUs / (report.profiledRunMeanMs * 1000 - report.overhead.meanUs),
    profilerCostRatio: report.profiledRunMeanMs / report.latency.p50Ms,
  };
  results.push(result);
  console.log(
    `${result.model.padEnd(24)} p50 strata ${result.strataP50Ms.toFixed(3)} ms / minimal ${result.minimalP50Ms.toFixed(3)} ms = ${result.p50Ratio.toFixed(3)}` +
      `   layers ${result.layerSumMs.toFixed(3)} ms / (profiled ${result.profiledRunMs.toFixed(3)} - overhead ${result.overheadMs.toFixed(3)}) = ${result.layerSumRatio.toFixed(4)}`,
  );
}
const out = join(REPO, 'bench', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'engine-agreement.json'), JSON.stringify({ runs, machine: process.arch, results }, null, 2));
const worst = Math.max(...results.map((r) => Math.abs(r.p50Ratio - 1)));
console.log(`worst p50 disagreement: ${(worst * 100).toFixed(1)}% (goal: within 10%)`);
