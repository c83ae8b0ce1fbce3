import { describe, expect, it } from 'vitest';
import type { Report } from '../../../../shared/report.js';
import { buildColdWarmOption, coldWarmRatio, coldWarmRows, tailOf } from '../../../../renderer/charts/cold-warm.js';
import { LIGHT_THEME } from '../../../../renderer/charts/theme.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { renderSvg, tooltipFor } from './render-helpers.js';

// Cold times: every third layer 5× slower cold, others equal or faster.
function withColdStart(base: Report): Report {
  return {
    ...base,
    coldStart: {
      coldMs: base.latency.coldMs,
      warmP50Ms: base.latency.p50Ms,
      profiledColdMs: base.latency.coldMs * 1.1,
      layers: base.layers.map((l) => ({
        layer: l.index,
        warmUs: l.meanUs,
        coldUs: l.index % 3 === 0 ? l.meanUs * 5 : l.meanUs * 0.9,
      })),
    },
  };
}

const report = withColdStart(makeReport({ layers: 90 }));

describe('cold against warm chart', () => {
  it('keeps the 15 layers slowed most by a cold start, largest excess first', () => {
    const rows = coldWarmRows(report);
    expect(rows).toHaveLength(15);
    for (const r of rows) expect(r.layer % 3).toBe(0);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.excessUs).toBeGreaterThanOrEqual(rows[i]!.excessUs);
    const all = report.coldStart!.layers.map((l) => l.coldUs - l.warmUs).sort((a, b) => b - a);
    expect(rows[0]!.excessUs).toBe(all[0]);
    expect(coldWarmRows(report, 4)).toHaveLength(4);
  });

  it('draws cold and warm bars per layer with the largest excess at the top', () => {
    const option = buildColdWarmOption(report)!;
    const [cold, warm] = option.series as { data: { value: number }[] }[];
    const rows = coldWarmRows(report);
    const names = (option.yAxis as { data: string[] }).data;
    expect(names[names.length - 1]).toBe(tailOf(rows[0]!.name));
    expect(cold!.data[cold!.data.length - 1]!.value).toBe(rows[0]!.coldUs);
    expect(warm!.data[warm!.data.length - 1]!.value).toBe(rows[0]!.warmUs);
  });

  it('outlines the selected layer and tooltips both times and the excess', () => {
    const rows = coldWarmRows(report);
    const option = buildColdWarmOption(report, { selectedLayer: rows[0]!.layer, theme: LIGHT_THEME })!;
    const cold = (option.series as { data: { itemStyle: { borderColor?: string } }[] }[])[0]!;
    expect(cold.data[cold.data.length - 1]!.itemStyle.borderColor).toBe(LIGHT_THEME.accent);
    const html = tooltipFor(option, [{ dataIndex: rows.length - 1 }]);
    expect(html).toContain('First run');
    expect(html).toMatch(/Cold costs.*more \(5\.0×\)/);
  });

  it('gives the cold/warm ratio and nothing to draw when no layer was slower cold', () => {
    expect(coldWarmRatio(report)).toBeCloseTo(report.latency.coldMs / report.latency.p50Ms, 9);
    const flat: Report = {
      ...report,
      coldStart: { ...report.coldStart!, layers: report.coldStart!.layers.map((l) => ({ ...l, coldUs: l.warmUs })) },
    };
    expect(buildColdWarmOption(flat)).toBeNull();
    const { coldStart: _, ...none } = report;
    expect(buildColdWarmOption(none)).toBeNull();
  });

  it('renders with ECharts with µs/ms labels', () => {
    const svg = renderSvg(buildColdWarmOption(report)!, 900, 460);
    expect(svg).toMatch(/\d+(\.\d+)? (µs|ms)/);
    expect(svg).toContain('Warm mean');
  });
});
