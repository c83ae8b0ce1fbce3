/**
 * The Compare view's settings grid: the user ticks values along each quantization axis (mode,
 * granularity, range, weight type, calibration) and the grid is every combination of them, plus
 * fp16 and pruning variants. Pure, so the grid a user sees counted is the grid that is generated.
 */
import type { CalibrationMethod, VariantSpec } from '../../shared/api.js';

/** What the user ticked. Empty axes make no quantized variant. */
export interface VariantGrid {
  readonly modes: readonly ('dynamic' | 'static' | 'weight-only')[];
  readonly perChannel: readonly boolean[];
  readonly symmetric: readonly boolean[];
  readonly weightTypes: readonly ('int8' | 'uint8')[];
  readonly calibrations: readonly CalibrationMethod[]; // used by static mode only
  readonly fp16: boolean;
  readonly prune: readonly { readonly sparsity: number; readonly pattern: 'unstructured' | '2:4' }[];
}

/** The grid a first visit shows: two dynamic int8 settings, fp16 and 50% pruning. */
export function defaultVariantGrid(): VariantGrid {
  return {
    modes: ['dynamic'],
    perChannel: [false, true],
    symmetric: [false],
    weightTypes: ['int8'],
    calibrations: ['minmax'],
    fp16: true,
    prune: [{ sparsity: 0.5, pattern: 'unstructured' }],
  };
}

/**
 * Every variant the grid describes, quantized ones first. Static mode multiplies by the calibration
 * methods; dynamic mode has no calibration, so it does not. Example: modes [dynamic, static] ×
 * perChannel [false, true] × symmetric [true] × int8 × calibrations [minmax, entropy] gives
 * 2 dynamic + 4 static = 6 quantized variants.
 */
export function expandVariantGrid(grid: VariantGrid): VariantSpec[] {
  const specs: VariantSpec[] = [];
  for (const mode of grid.modes) {
    const calibrations: (CalibrationMethod | undefined)[] = mode === 'static' ? [...grid.calibrations] : [undefined];
    for (const weightType of grid.weightTypes)
      for (const perChannel of grid.perChannel)
        for (const symmetric of grid.symmetric)
          for (const calibrate of calibrations) {
            specs.push({
              kind: 'quantize',
              mode,
              perChannel,
              symmetric,
              weightType,
              ...(calibrate ? { calibrate } : {}),
            });
          }
  }
  if (grid.fp16) specs.push({ kind: 'fp16' });
  for (const p of grid.prune)
    specs.push({ kind: 'prune', sparsity: p.pattern === '2:4' ? 0.5 : p.sparsity, pattern: p.pattern });
  return specs;
}

/** `values` with `value` added (in `order`) or removed: one tick of an axis. */
export function toggleAxis<T>(values: readonly T[], value: T, on: boolean, order: readonly T[]): T[] {
  const next = on ? [...values.filter((v) => v !== value), value] : values.filter((v) => v !== value);
  return order.filter((v) => next.includes(v));
}
