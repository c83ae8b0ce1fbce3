// The CI slice of the fuzz suite (`npm run fuzz -- --count N` runs more): a fixed, seeded handful of
// corrupted and crafted models, one of each kind, through the CLI's commands, and seeded malformed
// WebSocket traffic against `strata serve`. Every case must end in success or one clear line, with
// no hang and no process or temp file left behind.
import { describe, expect, it } from 'vitest';
import { KINDS } from './models.js';
import { runModelCases, runWsCases, tally } from './suite.js';

describe('fuzz slice', () => {
  it('gets success or one clear error from each kind of bad model, and leaves nothing behind', async () => {
    // Seeds 1..9 give one case of each kind (seed % 9) through profile; 40..48 vary the commands;
    // 64 and 151 go through generate: a fuzzed model, and a decoder beside another model's config.json.
    const seeds = [...Array.from({ length: KINDS.length }, (_, i) => i + 1), 37, 40, 47, 48, 64, 151];
    const records = await runModelCases(seeds, { jobs: 2, timeoutMs: 90_000 });
    const bad = records.filter((r) => r.outcome !== 'success' && r.outcome !== 'clear');
    expect(
      bad.map((r) => `seed ${r.seed} ${r.kind} via ${r.command}: ${r.outcome} (${r.why}) ${r.errorLine ?? ''}`),
    ).toEqual([]);
    const counts = tally(records);
    expect(counts.clear).toBeGreaterThan(0);
  });

  it('keeps strata serve answering through malformed frames and messages', async () => {
    const records = await runWsCases(7, 30);
    expect(records.filter((r) => !r.ok).map((r) => `${r.name}: ${r.outcome}`)).toEqual([]);
  });
});
