import { describe, expect, it } from 'vitest';
import { DARK_THEME, LIGHT_THEME, opTypeColors } from '../../../../renderer/charts/theme.js';
import { makeReport } from '../../../fixtures/make-report.js';

describe('opTypeColors', () => {
  it('gives the op types with the most time distinct colours, in both schemes', () => {
    const report = makeReport({ layers: 600 });
    for (const theme of [LIGHT_THEME, DARK_THEME]) {
      const colors = opTypeColors(report, theme);
      expect(colors.size).toBe(report.opTypes.length);
      const top = [...report.opTypes].sort((a, b) => b.meanUs - a.meanUs).slice(0, theme.palette.length);
      expect(new Set(top.map((o) => colors.get(o.opType))).size).toBe(top.length);
      expect(colors.get(top[0]!.opType)).toBe(theme.palette[0]);
    }
  });

  it('colours every op type, even past the palette, and returns the same map for the same report', () => {
    const base = makeReport({ layers: 40 });
    const many = {
      ...base,
      opTypes: Array.from({ length: 30 }, (_, i) => ({ ...base.opTypes[0]!, opType: `Op${i}`, meanUs: 100 - i })),
    };
    const colors = opTypeColors(many, LIGHT_THEME);
    expect(colors.size).toBe(30);
    for (const c of colors.values()) expect(LIGHT_THEME.palette).toContain(c);
    expect(opTypeColors(many, LIGHT_THEME)).toBe(colors);
  });
});
