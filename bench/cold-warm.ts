// Cold start against steady state on the issue-5 MLP (weights of 16 KiB, 64 KiB, 2 MiB, 128 MiB and
// 4 MiB): the first run of a fresh session against the warm p50, over several fresh workers.
// Timing, so it lives here and reports ratios rather than asserting in a test.
//   npx tsx bench/cold-warm.ts [--profiles N]
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultPlan } from '../shared/plan.js';
import { buildMlp } from '../test/support/synthetic-models.js';
import { profileModel } from '../electron/core/profile/profiler.js';
import { REPO } from '../test/fixtures/paths.js';

const { values } = parseArgs({ options: { profiles: { type: 'string' } } });
const profiles = Number(values.profiles ?? 5);
const path = join(mkdtempSync(join(tmpdir(), 'strata-bench-')), 'mlp.onnx');
writeFileSync(path, buildMlp({ sizes: [64, 64, 256, 2048, 16384, 64] }).bytes);

const rows = [];
for (let i = 0; i < profiles; i++) {
  const report = await profileModel(
    path,
    { ...defaultPlan(), graphOptimizationLevel: 'disabled', timedRuns: 30, profiledRuns: 3 },
    { roofline: false, system: false },
  );
  const row = {
    coldMs: report.latency.coldMs,
    warmP50Ms: report.latency.p50Ms,
    ratio: report.latency.coldMs / report.latency.p50Ms,
  };
  rows.push(row);
  console.log(
    `profile ${i + 1}: cold ${row.coldMs.toFixed(2)} ms, warm p50 ${row.warmP50Ms.toFixed(2)} ms, cold/warm ${row.ratio.toFixed(2)}`,
  );
}
const slower = rows.filter((r) => r.ratio > 1).length;
const ratios = rows.map((r) => r.ratio).sort((a, b) => a - b);
console.log(
  `cold slower than warm p50 in ${slower} of ${rows.length} fresh workers; median ratio ${ratios[Math.floor(rows.length / 2)]!.toFixed(2)}`,
);
mkdirSync(join(REPO, 'bench', 'results'), { recursive: true });
writeFileSync(join(REPO, 'bench', 'results', 'cold-warm.json'), JSON.stringify(rows, null, 2));
