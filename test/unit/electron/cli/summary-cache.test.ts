import { describe, expect, it } from 'vitest';
import type { Report } from '../../../../shared/report.js';
import { formatCacheSummary, leastEfficientHeavy } from '../../../../electron/cli/summary-cache.js';
import { formatReportSummary } from '../../../../electron/cli/summary-text.js';
import { makeReport } from '../../../fixtures/make-report.js';

const base = makeReport({ layers: 80 });
const report: Report = {
  ...base,
  coldStart: {
    coldMs: 12,
    warmP50Ms: 4,
    profiledColdMs: 15,
    layers: base.layers.map((l) => ({
      layer: l.index,
      warmUs: l.meanUs,
      coldUs: l.index === 7 ? l.meanUs + 900 : l.meanUs,
    })),
  },
};

describe('the Cache & memory section of the CLI summary', () => {
  const text = formatCacheSummary(report).join('\n');

  it('lists the caches, the layers per level and the ceilings with the bound split', () => {
    expect(text).toContain('caches    L1d 32.0 KiB, L2 1.00 MiB, L3 32.0 MiB (Linux sysfs), one core');
    const l1 = report.layers.filter((l) => l.cacheLevel === 'L1').length;
    const l2 = report.layers.filter((l) => l.cacheLevel === 'L2').length;
    expect(text).toMatch(
      new RegExp(`fits in   L1 ${l1} layers \\(.+\\)  L2 ${l2} layers \\(.+\\)  L3 0 layers  DRAM 0 layers`),
    );
    const memory = report.roofline!.points.filter((p) => p.boundBy === 'memory').length;
    expect(text).toContain('roofline  peak 120 GFLOP/s  memory 14.5 GB/s  ridge 8.3 FLOP/byte  at 2 threads');
    expect(text).toContain(
      `${memory} memory-bound, ${report.roofline!.points.length - memory} compute-bound of ${report.roofline!.points.length} layers with FLOPs`,
    );
  });

  it('names the three least efficient of the ten slowest layers', () => {
    const worst = leastEfficientHeavy(report);
    expect(worst).toHaveLength(3);
    const slowest10 = [...report.roofline!.points]
      .sort((a, b) => report.layers[b.layer]!.meanUs - report.layers[a.layer]!.meanUs)
      .slice(0, 10);
    const minEff = Math.min(...slowest10.map((p) => p.efficiency));
    expect(worst[0]!.efficiency).toBe(minEff);
    for (const p of worst) expect(slowest10).toContain(p);
    for (const p of worst) expect(text).toContain(report.layers[p.layer]!.name.slice(-30));
  });

  it('gives cold against warm, the most slowed layer and the counters’ reason', () => {
    expect(text).toContain('cold      first run 12.0 ms against warm p50 4.00 ms (3.0×); profiled first run 15.0 ms');
    expect(text).toContain(`most slowed: ${report.layers[7]!.name}`);
    expect(text).toContain(`counters  unavailable: ${report.counters!.reason}`);
  });

  it('says what is missing when the report has no roofline, caches or counters', () => {
    const { roofline: _r, counters: _c, ...rest } = report;
    const { caches: _k, ...device } = rest.device;
    const lines = formatCacheSummary({ ...rest, device }).join('\n');
    expect(lines).toContain('caches    unknown on this machine');
    expect(lines).toContain('roofline  not measured');
    expect(lines).toContain('counters  not counted');
  });

  it('is part of the whole summary', () => {
    expect(formatReportSummary(report)).toContain('\nCache & memory\n  caches');
  });
});
