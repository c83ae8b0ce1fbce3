import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTrace, firstRunNodeTimes } from '../../../../../electron/core/profile/layer-stats.js';
import { parseOrtTrace, readOrtTrace } from '../../../../../electron/core/profile/trace.js';
import { REPO } from '../../../../fixtures/paths.js';

// The analysis of each recorded trace as the quadratic version computed it (test/fixtures/traces/
// analysis/, written before the scale work): making it fast must not change one number.
const traces = join(REPO, 'test', 'fixtures', 'traces');

describe('trace analysis on the recorded traces', () => {
  for (const name of ['convnet', 'silero-if']) {
    it(`gives ${name} exactly the layers, runs and cold times it gave before the scale work`, async () => {
      const events = await readOrtTrace(join(traces, `${name}.json`));
      const analysis = analyzeTrace(events, { warmupRuns: 1 });
      const cold = firstRunNodeTimes(events);
      const golden = JSON.parse(readFileSync(join(traces, 'analysis', `${name}.analysis.json`), 'utf8'));
      expect(JSON.parse(JSON.stringify({ analysis, cold: { runUs: cold.runUs, byNode: [...cold.byNode] } }))).toEqual(
        golden,
      );
      expect(analysis.layers.length).toBeGreaterThan(10);
    });
  }

  it('reads the same events from the file as from its parsed JSON', async () => {
    const file = join(traces, 'silero-if.json');
    expect(await readOrtTrace(file)).toEqual(parseOrtTrace(JSON.parse(readFileSync(file, 'utf8'))));
  });
});
