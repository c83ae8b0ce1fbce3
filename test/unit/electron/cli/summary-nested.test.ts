// How nested time reads in the CLI summary and the CSV, on a real trace with If subgraphs (Silero VAD,
// recorded with optimisations off): kernels ranked by their time, containers apart with total and own
// time, op types and shares over own time so nothing counts twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../../shared/report.js';
import { formatReportSummary } from '../../../../electron/cli/summary-text.js';
import { analyzeTrace } from '../../../../electron/core/profile/layer-stats.js';
import { parseOrtTrace } from '../../../../electron/core/profile/trace.js';
import { layersToCsv } from '../../../../electron/core/report/csv.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { REPO } from '../../../fixtures/paths.js';

const analysis = analyzeTrace(
  parseOrtTrace(JSON.parse(readFileSync(join(REPO, 'test', 'fixtures', 'traces', 'silero-if.json'), 'utf8'))),
  { warmupRuns: 1 },
);
const base = makeReport({ layers: 1 });
const report: Report = {
  ...base,
  layers: analysis.layers,
  opTypes: analysis.opTypes,
  roofline: undefined,
  overhead: analysis.overhead,
  profiledRunMeanMs: analysis.profiledRunMeanMs,
};

describe('nested time in the CLI summary', () => {
  const text = formatReportSummary(report, 5);
  const section = (title: RegExp) =>
    text
      .split('\n\n')
      .find((block) => title.test(block))!
      .split('\n');

  it('ranks kernels only in the top layers, so no If sits above the layers it contains', () => {
    const lines = section(/^Top 5 of \d+ layers \(control-flow layers below\)/).slice(2);
    // Under the rows, a footnote when a row's mean is driven by one slow run (marked *).
    const rows = lines.filter((l) => !l.startsWith('* '));
    expect(rows).toHaveLength(5);
    if (rows.some((r) => r.includes(' * '))) expect(lines.at(-1)).toMatch(/^\* one slow profiled run/);
    for (const row of rows) expect(row).not.toMatch(/\sIf\s/);
    expect(rows.join('\n')).toMatch(/LSTM/);
  });

  it('lists control flow with total, own time and the layers inside', () => {
    const rows = section(/^Control flow: 6 layers running subgraphs/);
    expect(rows[1]).toMatch(/^layer\s+op\s+total\s+own\s+share\s+layers inside$/);
    // /model/decoder/If_1: 307 µs in all, 110 µs its own (mean), 19.6% share (of the median own time per run).
    expect(rows[2]).toMatch(/^\/model\/decoder\/If_1\s+If\s+307 µs\s+110 µs\s+19\.6%\s+\d+$/);
  });

  it('says op types are own time', () => {
    expect(section(/op types/)[0]).toBe(
      `Top 5 of ${analysis.opTypes.length} op types (own time: control flow counts without the layers inside it)`,
    );
  });
});

describe('nested time in the CSV', () => {
  const [header, ...rows] = layersToCsv(report)
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));
  const col = (name: string) => header!.indexOf(name);

  it('marks containers, gives own time, and shares that add up to 1 over all rows', () => {
    expect(header!.slice(-2)).toEqual(['own_us', 'container']);
    const ifRow = rows.find((r) => r[col('name')] === '/model/decoder/If_1')!;
    expect(ifRow[col('container')]).toBe('1');
    expect(Number(ifRow[col('own_us')])).toBeLessThan(Number(ifRow[col('mean_us')]));
    const lstm = rows.find((r) => r[col('op_type')] === 'LSTM')!;
    expect(lstm[col('container')]).toBe('0');
    expect(lstm[col('own_us')]).toBe(lstm[col('mean_us')]);
    expect(rows.reduce((s, r) => s + Number(r[col('share')]), 0)).toBeCloseTo(1, 9);
  });
});
