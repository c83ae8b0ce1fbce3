import { describe, expect, it } from 'vitest';
import {
  defaultVariantGrid,
  expandVariantGrid,
  toggleAxis,
  type VariantGrid,
} from '../../../../renderer/view-models/variant-grid.js';

const none: VariantGrid = {
  modes: [],
  perChannel: [],
  symmetric: [],
  weightTypes: [],
  calibrations: [],
  fp16: false,
  prune: [],
};

describe('variant grid', () => {
  it('makes every combination of the ticked quantization values, calibration only for static mode', () => {
    const specs = expandVariantGrid({
      ...none,
      modes: ['dynamic', 'static'],
      perChannel: [false, true],
      symmetric: [true],
      weightTypes: ['int8'],
      calibrations: ['minmax', 'entropy'],
    });
    const dynamic = specs.filter((s) => s.kind === 'quantize' && s.mode === 'dynamic');
    const stat = specs.filter((s) => s.kind === 'quantize' && s.mode === 'static');
    expect(dynamic).toHaveLength(2);
    expect(stat).toHaveLength(4);
    expect(dynamic.every((s) => s.kind === 'quantize' && s.calibrate === undefined)).toBe(true);
    expect(new Set(stat.map((s) => JSON.stringify(s))).size).toBe(4);
    expect(stat.map((s) => (s.kind === 'quantize' ? s.calibrate : null)).sort()).toEqual([
      'entropy',
      'entropy',
      'minmax',
      'minmax',
    ]);
  });

  it('offers weight-only int8 as its own mode, without calibration', () => {
    const specs = expandVariantGrid({
      ...none,
      modes: ['dynamic', 'weight-only'],
      perChannel: [true],
      symmetric: [false],
      weightTypes: ['int8'],
      calibrations: ['minmax'],
    });
    expect(specs).toEqual([
      { kind: 'quantize', mode: 'dynamic', perChannel: true, symmetric: false, weightType: 'int8' },
      { kind: 'quantize', mode: 'weight-only', perChannel: true, symmetric: false, weightType: 'int8' },
    ]);
  });

  it('makes no quantized variant when an axis has nothing ticked', () => {
    expect(expandVariantGrid({ ...defaultVariantGrid(), weightTypes: [], fp16: false, prune: [] })).toEqual([]);
  });

  it('adds fp16 and pruning after the quantized ones, with 2:4 always at half the weights', () => {
    const specs = expandVariantGrid({
      ...none,
      fp16: true,
      prune: [
        { sparsity: 0.3, pattern: 'unstructured' },
        { sparsity: 0.9, pattern: '2:4' },
      ],
    });
    expect(specs).toEqual([
      { kind: 'fp16' },
      { kind: 'prune', sparsity: 0.3, pattern: 'unstructured' },
      { kind: 'prune', sparsity: 0.5, pattern: '2:4' },
    ]);
  });

  it('offers two int8 settings, fp16 and 50% pruning by default', () => {
    expect(expandVariantGrid(defaultVariantGrid()).map((s) => s.kind)).toEqual([
      'quantize',
      'quantize',
      'fp16',
      'prune',
    ]);
  });

  it('ticks and unticks an axis value, keeping the order of the choices', () => {
    const order = ['minmax', 'percentile', 'entropy'] as const;
    expect(toggleAxis(['entropy'], 'minmax', true, order)).toEqual(['minmax', 'entropy']);
    expect(toggleAxis(['minmax', 'entropy'], 'minmax', false, order)).toEqual(['entropy']);
    expect(toggleAxis(['minmax'], 'minmax', true, order)).toEqual(['minmax']);
  });
});
