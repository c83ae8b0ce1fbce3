/**
 * `npm run fuzz -- [--count N] [--seed S] [--jobs J] [--ws N] [--keep]`: N generated models (seeds
 * S..S+N-1) through the CLI's commands and N malformed WebSocket cases against `strata serve`,
 * then a tally. Exits 1 when any case was unclear, hung or leaked; failing cases are listed with
 * their seed, so `--seed S --count 1 --keep` replays one and keeps its files. Needs `npm run build:node`.
 */
import { parseArgs } from 'node:util';
import { runModelCases, runWsCases, tally } from './suite.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    jobs: { type: 'string', default: '1' },
    ws: { type: 'string' },
    keep: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '120' },
  },
});
const count = Number(values.count);
const first = Number(values.seed);
const started = Date.now();
const seeds = Array.from({ length: count }, (_, i) => first + i);
let done = 0;
const records = await runModelCases(seeds, {
  jobs: Number(values.jobs),
  keep: values.keep,
  timeoutMs: Number(values.timeout) * 1000,
  onResult: (r) => {
    done++;
    const bad = r.outcome !== 'success' && r.outcome !== 'clear';
    if (bad || done % 50 === 0) {
      process.stdout.write(
        `[${done}/${count}] seed ${r.seed} ${r.kind} via ${r.command}: ${r.outcome}${bad ? ` (${r.why}) — ${r.what}${r.errorLine ? `\n    ${r.errorLine.slice(0, 300)}` : ''}` : ''}\n`,
      );
    }
  },
});
const counts = tally(records);
const byKind = new Map<string, Record<string, number>>();
for (const r of records) {
  const k = byKind.get(`${r.kind} via ${r.command}`) ?? {};
  k[r.outcome] = (k[r.outcome] ?? 0) + 1;
  byKind.set(`${r.kind} via ${r.command}`, k);
}
process.stdout.write(`\nmodels: ${count} cases in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
for (const [kind, k] of [...byKind].sort())
  process.stdout.write(
    `  ${kind.padEnd(28)} ${Object.entries(k)
      .map(([o, n]) => `${o} ${n}`)
      .join(', ')}\n`,
  );
process.stdout.write(
  `  total: success ${counts.success}, clear error ${counts.clear}, unclear ${counts.unclear}, hang ${counts.hang}, leak ${counts.leak}, failure (wrote a model that does not load) ${counts.failure}\n`,
);

const wsCount = Number(values.ws ?? values.count);
const ws = await runWsCases(first, wsCount, (r) => {
  if (!r.ok) process.stdout.write(`websocket: ${r.name}: ${r.outcome}\n`);
});
const wsBad = ws.filter((r) => !r.ok).length;
process.stdout.write(
  `websocket: ${ws.length} cases, ${ws.filter((r) => r.ok).length} answered or closed as they should, ${wsBad} not\n`,
);
process.exitCode = counts.unclear + counts.hang + counts.leak + counts.failure + wsBad > 0 ? 1 : 0;
