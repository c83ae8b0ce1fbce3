// Do comparisons tell a real difference from noise? `strata compare M copy1 copy2 copy3` (three
// byte-identical copies of the sample model) N times, with a busy loop pinned to one core
// (`taskset -c 1`) for half of them: every copy must come out "same" in every run. Then a variant
// doing 1.3x the work of its baseline (an MLP with a 1.3x wider hidden layer, same inputs and
// outputs) must come out "slower" in every run. Goals are stated and exit non-zero when missed.
//   npx tsx bench/compare-verdicts.ts [--runs N] [--skip-copies] [--skip-slower]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Comparison } from '../shared/compare.js';
import { buildMlp } from '../test/support/synthetic-models.js';
import { REPO, SAMPLE } from '../test/fixtures/paths.js';

const { values } = parseArgs({
  options: { runs: { type: 'string' }, 'skip-copies': { type: 'boolean' }, 'skip-slower': { type: 'boolean' } },
});
const runs = Number(values.runs ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'strata-bench-verdicts-'));
const hasTaskset = spawnSync('taskset', ['--version']).status === 0;

let hog: ChildProcess | null = null;
// The busy loop must not outlive the bench, however it ends.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => (hog?.kill('SIGKILL'), process.exit(130)));
process.on('exit', () => hog?.kill('SIGKILL'));

function compare(paths: string[], busy: boolean): Comparison {
  if (busy)
    hog = hasTaskset
      ? spawn('taskset', ['-c', '1', process.execPath, '-e', 'for(;;){}'], { stdio: 'ignore' })
      : spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
  try {
    const json = join(dir, 'c.json');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO, 'bench', 'strata-cli.ts'), 'compare', ...paths, '--json', json],
      { encoding: 'utf8', cwd: REPO },
    );
    if (run.status !== 0) throw new Error(`strata compare failed (${run.status}): ${run.stderr.slice(-500)}`);
    return JSON.parse(readFileSync(json, 'utf8')) as Comparison;
  } finally {
    hog?.kill('SIGKILL');
    hog = null;
  }
}

const fmt = (c: Comparison) =>
  c.models
    .slice(1)
    .map(
      (m) =>
        `${m.verdict} ${m.speedup!.ratio.toFixed(3)} [${m.speedup!.low.toFixed(3)}, ${m.speedup!.high.toFixed(3)}]`,
    )
    .join('  ') + `  (rounds ${c.timing!.rounds}, other CPU ${c.timing!.otherCpuCores?.toFixed(2) ?? '?'} cores)`;

const missed: string[] = [];
const results: unknown[] = [];
if (!values['skip-copies']) {
  const M = join(dir, 'M.onnx');
  copyFileSync(SAMPLE, M);
  const copies = [1, 2, 3].map((i) => join(dir, `copy${i}.onnx`));
  for (const c of copies) copyFileSync(SAMPLE, c);
  let same = 0;
  for (let i = 0; i < runs; i++) {
    const busy = i % 2 === 1;
    const c = compare([M, ...copies], busy);
    same += c.models.slice(1).filter((m) => m.verdict === 'same').length;
    console.log(`copies run ${i + 1}${busy ? ' (busy core)' : ''}: ${fmt(c)}`);
    results.push({
      kind: 'copies',
      busy,
      models: c.models.map((m) => ({ label: m.label, p50Ms: m.latency.p50Ms, speedup: m.speedup, verdict: m.verdict })),
      timing: c.timing,
    });
  }
  console.log(`identical copies called "same": ${same} of ${3 * runs} (goal: all)`);
  if (same !== 3 * runs) missed.push(`identical copies called "same" ${same} of ${3 * runs} times`);
}
if (!values['skip-slower']) {
  const base = join(dir, 'base.onnx');
  const heavier = join(dir, 'heavier.onnx');
  // FLOPs = 2·batch·(in·h + h·out): linear in h, so a 1.3x wider hidden layer is 1.3x the work.
  writeFileSync(base, buildMlp({ sizes: [256, 1000, 256], batch: 8, seed: 5 }).bytes);
  writeFileSync(heavier, buildMlp({ sizes: [256, 1300, 256], batch: 8, seed: 5 }).bytes);
  let slower = 0;
  for (let i = 0; i < runs; i++) {
    const busy = i % 2 === 1;
    const c = compare([base, heavier], busy);
    if (c.models[1]!.verdict === 'slower') slower++;
    console.log(`1.3x work run ${i + 1}${busy ? ' (busy core)' : ''}: ${fmt(c)}`);
    results.push({
      kind: '1.3x',
      busy,
      models: c.models.map((m) => ({ label: m.label, p50Ms: m.latency.p50Ms, speedup: m.speedup, verdict: m.verdict })),
      timing: c.timing,
    });
  }
  console.log(`1.3x-work variant called "slower": ${slower} of ${runs} (goal: all)`);
  if (slower !== runs) missed.push(`1.3x-work variant called "slower" ${slower} of ${runs} times`);
}
mkdirSync(join(REPO, 'bench', 'results'), { recursive: true });
writeFileSync(join(REPO, 'bench', 'results', 'compare-verdicts.json'), JSON.stringify(results, null, 1));
rmSync(dir, { recursive: true, force: true });
for (const m of missed) console.log(`GOAL MISSED: ${m}`);
process.exitCode = missed.length ? 1 : 0;
