import { describe, expect, it } from 'vitest';
import { packReport, packTable, unpackLayers, unpackReport, unpackTable } from '../../../shared/report-pack.js';
import type { Report } from '../../../shared/report.js';
import { makeReport } from '../../fixtures/make-report.js';

describe('report tables by column', () => {
  it('brings rows back exactly: missing keys stay missing, nulls stay null, order of keys kept', () => {
    const rows = [
      { a: 1, b: 'x', c: null },
      { a: 2, c: [1, 2] },
      { b: 'y', a: 3, d: false },
    ];
    const packed = packTable(rows);
    expect(packed.$columns).toEqual({
      a: [1, 2, 3],
      b: ['x', null, 'y'],
      c: [null, [1, 2], null],
      d: [null, null, false],
    });
    expect(packed.$absent).toEqual({ b: [1], c: [2], d: [0, 1] });
    expect(unpackTable(packed)).toEqual(rows);
    expect(unpackTable(packTable([]))).toEqual([]);
  });

  it('unpacks layers on its fast path exactly as the generic unpack does, optional keys absent where they were', () => {
    const layers = makeReport({ layers: 300 }).layers.map((l, i) =>
      i % 3 === 0 ? { ...l, parent: 'x', cacheLevel: 'L2' as const } : l,
    );
    const packed = JSON.parse(JSON.stringify(packTable(layers as never)));
    expect(packed.$absent.parent).toHaveLength(200);
    const fast = unpackLayers(packed);
    expect(fast).toEqual(unpackTable(packed));
    expect(fast).toEqual(JSON.parse(JSON.stringify(layers)));
    expect(Object.keys(fast[1] as object)).not.toContain('parent');
  });

  it('round-trips a whole report and makes a big one several times smaller', () => {
    const report: Report = makeReport({ layers: 2000 });
    const packed = JSON.parse(JSON.stringify(packReport(report)));
    expect(packed.schemaVersion).toBe(2);
    expect(unpackReport(packed, report.schemaVersion)).toEqual(JSON.parse(JSON.stringify(report)));
    // The fixture report carries system samples too; its layer and event tables shrink the whole by a third.
    expect(JSON.stringify(packed).length).toBeLessThan(0.75 * JSON.stringify(report).length);
  });
});
