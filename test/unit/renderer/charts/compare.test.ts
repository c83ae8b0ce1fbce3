import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../../../shared/compare.js';
import { DRIFT_COSINE, driftStart, outputError, paretoFront } from '../../../../shared/compare-summary.js';
import { buildCompareBarsOption, ratioText } from '../../../../renderer/charts/compare-bars.js';
import {
  buildDriftOption,
  buildLayerDeltaOption,
  largestDeltas,
  layerTail,
} from '../../../../renderer/charts/compare-layers.js';
import { buildParetoOption, labelledModels, pointSize } from '../../../../renderer/charts/compare-pareto.js';
import { errorFloor, formatError } from '../../../../renderer/charts/error-axis.js';
import { DARK_THEME, LIGHT_THEME } from '../../../../renderer/charts/theme.js';
import { renderSvg, tooltipFor } from './render-helpers.js';

// Recorded from the real engine: the sample model, two int8, fp16, 50% pruned and a distilled model.
const c: Comparison = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'fixtures', 'comparisons', 'sample-variants.json'), 'utf8'),
);
const index = (prefix: string) => c.models.findIndex((m) => m.label.startsWith(prefix));
type Series = { name: string; type: string; data: unknown[] };

describe('Pareto chart', () => {
  it('places every model at its p50 and output error, area growing with file size', () => {
    const option = buildParetoOption(c, 1);
    const points = (option.series as Series[])[0]!.data as { value: number[]; symbolSize: number }[];
    expect(points).toHaveLength(c.models.length);
    const floor = errorFloor(c.models.map(outputError));
    points.forEach((p, i) => {
      expect(p.value[0]).toBe(c.models[i]!.latency.p50Ms);
      expect(p.value[1]).toBe(outputError(c.models[i]!) || floor);
    });
    // The baseline (exact) sits on the floor, under every variant.
    expect(points[0]!.value[1]).toBeLessThan(Math.min(...points.slice(1).map((p) => p.value[1]!)));
    // int8 is about a quarter of the baseline's bytes, so about half its diameter's growth.
    const int8 = index('int8 dynamic per-channel');
    expect(points[int8]!.symbolSize).toBeLessThan(points[0]!.symbolSize);
    expect(pointSize(c.models[0]!.bytes, c.models[0]!.bytes)).toBe(36);
  });

  it('joins the Pareto front in latency order and labels the chosen model, the baseline and the front', () => {
    const option = buildParetoOption(c, index('fp16'));
    const line = (option.series as Series[]).find((s) => s.name === 'Pareto front')!;
    expect(line.data).toHaveLength(paretoFront(c).length);
    const xs = (line.data as number[][]).map((p) => p[0]!);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    const labelled = labelledModels(c, index('fp16'));
    expect(labelled.has(index('fp16'))).toBe(true);
    expect(labelled.has(0)).toBe(true);
  });

  it('skips a label that would print over a close one', () => {
    const close: Comparison = {
      ...c,
      models: c.models.map((m, i) =>
        i === 2
          ? {
              ...m,
              latency: { ...m.latency, p50Ms: c.models[1]!.latency.p50Ms * 1.01 },
              fidelity: c.models[1]!.fidelity,
            }
          : m,
      ),
    };
    const labelled = labelledModels(close, 1);
    expect(labelled.has(1)).toBe(true);
    expect(labelled.has(2)).toBe(false);
  });

  it('draws in both schemes and explains a point in its tooltip', () => {
    for (const theme of [LIGHT_THEME, DARK_THEME])
      expect(renderSvg(buildParetoOption(c, 1, theme), 700, 320)).toContain('<svg');
    const tip = tooltipFor(buildParetoOption(c, 1), { dataIndex: index('prune') });
    expect(tip).toContain('prune 50% unstructured');
    expect(tip).toMatch(/1 − cosine/);
    expect(tip).toMatch(/SNR<\/td><td>[\d.]+ dB/);
  });
});

describe('latency and size bars', () => {
  it('says each ratio against the baseline, lower being better', () => {
    expect(ratioText(2, 1, 'faster', 'slower')).toBe('2.00× faster');
    expect(ratioText(1, 2, 'faster', 'slower')).toBe('2.00× slower');
    expect(ratioText(1, 1.001, 'faster', 'slower')).toBe('same');
    expect(ratioText(0, 1, 'faster', 'slower')).toBe('');
  });

  it('prints each model value and ratio beside its bar, p90 ticks on latency', () => {
    const size = buildCompareBarsOption(c, 'size', 1);
    const sizeLabels = (size.yAxis as { data: string[] }[])[1]!.data;
    expect(sizeLabels[0]).toMatch(/KiB {2}baseline$/);
    expect(sizeLabels[index('int8 dynamic per-channel')]).toMatch(/KiB {2}3\.\d\d× smaller$/);
    const latency = buildCompareBarsOption(c, 'latency', 1);
    const p90 = (latency.series as Series[]).find((s) => s.name === 'p90')!;
    expect(p90.data).toEqual(c.models.map((m) => m.latency.p90Ms));
    expect((latency.yAxis as { data: string[] }[])[1]!.data[0]).toMatch(/ms {2}baseline$/);
    expect(renderSvg(latency, 600, 240)).toContain('baseline');
  });
});

describe('per-layer deltas', () => {
  it('keeps the layers whose time changed most, slowest first', () => {
    const i = index('fp16');
    const rows = largestDeltas(c, i, 10);
    expect(rows).toHaveLength(10);
    for (let k = 1; k < rows.length; k++) expect(rows[k - 1]!.deltaUs).toBeGreaterThanOrEqual(rows[k]!.deltaUs);
    const smallestKept = Math.min(...rows.map((r) => Math.abs(r.deltaUs)));
    const all = c.layers.map((l) => l.deltasUs[i]).filter((d): d is number => d !== null && d !== undefined);
    expect(all.filter((d) => Math.abs(d) > smallestKept).length).toBeLessThanOrEqual(10);
    for (const r of rows) expect(r.variantUs - r.baseUs).toBeCloseTo(r.deltaUs, 6);
  });

  it('colours slower layers and faster ones apart, and shortens names from the left', () => {
    const option = buildLayerDeltaOption(c, index('fp16'))!;
    const bars = (option.series as Series[])[0]!.data as { value: number; itemStyle: { color: string } }[];
    for (const b of bars) expect(b.itemStyle.color).toBe(b.value > 0 ? LIGHT_THEME.warn : LIGHT_THEME.good);
    expect(layerTail('/encoder/layer.0/attn/q_proj/MatMul', 26)).toBe('layer.0/attn/q_proj/MatMul');
    expect(layerTail('/a/very_long_single_segment_name_that_goes_on', 20)).toHaveLength(20);
    expect(renderSvg(option, 600, 360)).toContain('<svg');
  });

  it('has nothing to draw for the baseline against itself', () => {
    expect(buildLayerDeltaOption({ ...c, layers: [] }, 1)).toBeNull();
  });
});

describe('drift chart', () => {
  it('plots 1 − cosine per shared tensor in order, with the threshold and the drift start marked', () => {
    const i = index('prune');
    const option = buildDriftOption(c, i)!;
    const [errorSeries, threshold] = option.series as (Series & { markPoint?: { data: { coord: number[] }[] } })[];
    const drift = c.models[i]!.fidelity!.drift;
    expect(errorSeries!.data).toHaveLength(drift.length);
    expect(threshold!.data.every((v) => Math.abs((v as number) - (1 - DRIFT_COSINE)) < 1e-12)).toBe(true);
    const start = driftStart(c.models[i]!)!;
    expect(errorSeries!.markPoint!.data[0]!.coord[0]).toBe(drift.indexOf(start));
    const svg = renderSvg(option, 700, 360);
    expect(svg).toContain(`cosine ${DRIFT_COSINE}`);
  });

  it('marks no start where the variant never drifts, and draws nothing without shared tensors', () => {
    const fp16 = buildDriftOption(c, index('fp16'))!;
    expect((fp16.series as { markPoint?: unknown }[])[0]!.markPoint).toBeUndefined();
    expect(buildDriftOption(c, 0)).toBeNull();
  });

  it('reads errors as text: identical, exponent, or plain', () => {
    expect(formatError(0)).toBe('identical');
    expect(formatError(2.3e-5)).toBe('2.3e−5');
    expect(formatError(0.058)).toBe('0.058');
  });
});

describe('error axis', () => {
  it('labels every decade from "identical" up, with exact points clear of the x axis', () => {
    const option = buildParetoOption(c, 1);
    const axis = option.yAxis as { min: number; max: number; axisLabel: { formatter: (v: number) => string } };
    const floor = errorFloor(c.models.map(outputError));
    expect(axis.min).toBeLessThan(floor);
    expect(axis.axisLabel.formatter(floor)).toBe('identical');
    expect(axis.axisLabel.formatter(axis.min)).toBe('');
    const labels = [...renderSvg(option, 600, 600).matchAll(/<text[^>]*>([^<]*)</g)].map((m) => m[1]);
    const decades = Math.round(Math.log10(axis.max / floor));
    expect(labels.filter((l) => /^(identical|[\d.]+e−\d+|0\.\d+|1\.0)$/.test(l!)).length).toBe(decades + 1);
  });
});
