// A profile of a big model, end to end, where the time and the memory go (issues 12 and 16):
// builds a chain of N cheap Adds (default 50,000) with the project's ONNX writer, profiles it with
// `--runs 3 --warmup 1 --profiled-runs 2` in this process as the CLI does, and prints the time of
// each phase, the time from start to the worker's first run, the parent's peak RSS during the
// profile, the report's JSON size and where its bytes go.
// Goals: the 50,000-node profile under 30 s on a 2-core machine.
//   npx tsx bench/big-profile.ts [--nodes 50000] [--worker-cpu-prof DIR]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultPlan } from '../shared/plan.js';
import { buildAddChain } from '../test/support/synthetic-models.js';
import { measureMachine } from '../electron/core/profile/machine.js';
import { profileModel } from '../electron/core/profile/profiler.js';
import { serializeReport } from '../electron/core/report/report-json.js';
import { setWorkerForker } from '../electron/core/runner/worker-client.js';

const GOAL_S = 30;
const { values } = parseArgs({
  options: { nodes: { type: 'string' }, 'worker-cpu-prof': { type: 'string' }, keep: { type: 'boolean' } },
});
const nodes = Number(values.nodes ?? 50_000);
const dir = mkdtempSync(join(tmpdir(), 'strata-big-profile-'));
// Its own config folder: the machine is measured once there, and never from the user's cache.
process.env.STRATA_CONFIG_DIR ??= join(tmpdir(), 'strata-bench-config');
const workerProf = values['worker-cpu-prof'];
if (workerProf) {
  setWorkerForker((script, execArgv, env) =>
    fork(script, [], {
      execArgv: [...execArgv, '--cpu-prof', `--cpu-prof-dir=${workerProf}`],
      env,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    }),
  );
}

try {
  const modelPath = join(dir, `chain${nodes}.onnx`);
  writeFileSync(modelPath, buildAddChain(nodes).bytes);
  const plan = { ...defaultPlan(), timedRuns: 3, warmupRuns: 1, profiledRuns: 2 };
  // The machine is measured once per machine and cached (caches, roofline ceilings): done first,
  // apart, so the profile's time is the profile's. A 'measuring' phase below means it measured again.
  const m0 = performance.now();
  await measureMachine(profileModel);
  console.log(`machine measurement (cached after the first time): ${((performance.now() - m0) / 1000).toFixed(1)} s`);

  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  // Each phase, and within the parent's analysis each step it names (reading the trace, the
  // analysis, the machine), so a slow profile says where its time went.
  const phases: { phase: string; atMs: number }[] = [];
  let firstRunMs: number | null = null;
  let workerStartMs: number | null = null;
  const report = await profileModel(modelPath, plan, {
    onWorkerStart: () => (workerStartMs = performance.now() - t0),
    onProgress: (p) => {
      const at = performance.now() - t0;
      if (p.phase === 'cold') firstRunMs ??= at;
      const name = p.phase === 'analysing' ? `analysing: ${p.message}` : p.phase;
      if (phases[phases.length - 1]?.phase !== name) phases.push({ phase: name, atMs: at });
    },
  });
  const profileMs = performance.now() - t0;
  const s0 = performance.now();
  const json = serializeReport(report);
  const serializeMs = performance.now() - s0;
  clearInterval(rssTimer);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);

  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  console.log(
    `${nodes.toLocaleString('en-US')}-node chain, ${report.layers.length.toLocaleString('en-US')} layers, runs 3, warm-up 1, profiled runs 2`,
  );
  phases.forEach((p, i) =>
    console.log(
      `  ${p.phase.padEnd(60)} from ${(p.atMs / 1000).toFixed(1).padStart(6)} s  for ${(((phases[i + 1]?.atMs ?? profileMs) - p.atMs) / 1000).toFixed(1).padStart(6)} s`,
    ),
  );
  console.log(
    `  worker started after ${((workerStartMs ?? NaN) / 1000).toFixed(2)} s, its first run after ${((firstRunMs ?? NaN) / 1000).toFixed(2)} s`,
  );
  console.log(
    `  profile: ${(profileMs / 1000).toFixed(1)} s; report JSON: ${mb(json.length)} in ${serializeMs.toFixed(0)} ms; parent peak RSS ${mb(peakRss)}`,
  );
  // Where the report's bytes go, by top-level field.
  const sizes = Object.entries(report)
    .map(([key, value]) => [key, JSON.stringify(value)?.length ?? 0] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5);
  console.log(`  biggest sections (compact JSON): ${sizes.map(([k, n]) => `${k} ${mb(n)}`).join(', ')}`);
  if (nodes >= 50_000 && profileMs / 1000 > GOAL_S) {
    console.log(
      `GOAL MISSED: the ${nodes}-node profile took ${(profileMs / 1000).toFixed(1)} s (goal: under ${GOAL_S} s).`,
    );
    process.exitCode = 1;
  }
} finally {
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}
