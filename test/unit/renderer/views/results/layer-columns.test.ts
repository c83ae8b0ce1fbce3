import { describe, expect, it } from 'vitest';
import {
  filterAndSortLayers,
  LAYER_COLUMNS,
  shortProvider,
} from '../../../../../renderer/views/results/layer-columns.js';
import { makeReport } from '../../../../fixtures/make-report.js';

const report = makeReport({ layers: 1200 });

describe('filterAndSortLayers', () => {
  it('sorts by mean time, descending, and keeps every layer without a filter', () => {
    const rows = filterAndSortLayers(report.layers, '', { column: 'mean', descending: true });
    expect(rows).toHaveLength(report.layers.length);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.meanUs).toBeGreaterThanOrEqual(rows[i]!.meanUs);
  });

  it('sorts names ascending and puts null FLOPs last in both directions', () => {
    const byName = filterAndSortLayers(report.layers, '', { column: 'name', descending: false });
    for (let i = 1; i < byName.length; i++)
      expect(byName[i - 1]!.name.localeCompare(byName[i]!.name)).toBeLessThanOrEqual(0);
    for (const descending of [true, false]) {
      const rows = filterAndSortLayers(report.layers, '', { column: 'flops', descending });
      const firstNull = rows.findIndex((l) => l.flops === null);
      expect(firstNull).toBeGreaterThan(0);
      expect(rows.slice(firstNull).every((l) => l.flops === null)).toBe(true);
    }
  });

  it('filters on name, op type, module and provider, case-insensitively', () => {
    const softmax = filterAndSortLayers(report.layers, 'softMAX', { column: 'mean', descending: true });
    expect(softmax.length).toBe(report.layers.filter((l) => l.opType === 'Softmax').length);
    const block = filterAndSortLayers(report.layers, 'layer.7/', { column: 'mean', descending: true });
    expect(block.every((l) => l.modulePath.includes('layer.7/') || l.name.includes('layer.7/'))).toBe(true);
    expect(block.length).toBeGreaterThan(0);
    const gpu = filterAndSortLayers(report.layers, 'webgpu', { column: 'mean', descending: true });
    expect(gpu.length).toBe(report.layers.filter((l) => l.provider.startsWith('WebGpu')).length);
    expect(filterAndSortLayers(report.layers, 'no such layer', { column: 'mean', descending: true })).toEqual([]);
  });

  it('filters on an exact op type apart from the text filter, so Reshapes named gemm_* are not Gemm layers', () => {
    // Real exporters name helper nodes after the op they feed: "gemm_input_reshape" is a Reshape.
    const layers = report.layers.map((l) =>
      l.opType === 'Reshape' ? { ...l, name: `gemm_input_reshape_${l.index}` } : l,
    );
    const sort = { column: 'mean', descending: true } as const;
    const gemms = layers.filter((l) => l.opType === 'Gemm');
    const reshapes = layers.filter((l) => l.opType === 'Reshape');
    expect(gemms.length).toBeGreaterThan(0);
    expect(reshapes.length).toBeGreaterThan(gemms.length);

    // As text, "Gemm" matches both; as an op type, only the Gemm layers.
    expect(filterAndSortLayers(layers, 'Gemm', sort)).toHaveLength(gemms.length + reshapes.length);
    const exact = filterAndSortLayers(layers, '', sort, 'Gemm');
    expect(exact.map((l) => l.index).sort((a, b) => a - b)).toEqual(gemms.map((l) => l.index));
    // Case matters for an op type: "gemm" is no op type of this model.
    expect(filterAndSortLayers(layers, '', sort, 'gemm')).toEqual([]);

    // Both together: the Reshapes of one block.
    const both = filterAndSortLayers(layers, 'layer.3/', sort, 'Reshape');
    expect(both.length).toBeGreaterThan(0);
    expect(both.every((l) => l.opType === 'Reshape' && l.modulePath.startsWith('encoder/layer.3/'))).toBe(true);
    // The op-type filter keeps the chosen sort.
    const byName = filterAndSortLayers(layers, '', { column: 'name', descending: false }, 'MatMul');
    for (let i = 1; i < byName.length; i++)
      expect(byName[i - 1]!.name.localeCompare(byName[i]!.name)).toBeLessThanOrEqual(0);
  });

  it('shows every value with its unit', () => {
    const layer = report.layers.find((l) => l.opType === 'MatMul')!;
    const text = Object.fromEntries(LAYER_COLUMNS.map((c) => [c.id, c.text(layer)]));
    expect(text.mean).toMatch(/ (µs|ms)$/);
    expect(text.share).toMatch(/%$/);
    expect(text.flops).toMatch(/FLOP$/);
    expect(text.gflops).toMatch(/GFLOP\/s$/);
    expect(text.act).toMatch(/ (B|KiB|MiB)$/);
    expect(text.arena).toMatch(/ (B|KiB|MiB)$/);
    expect(shortProvider('CPUExecutionProvider')).toBe('CPU');
  });
});
