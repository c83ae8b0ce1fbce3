/**
 * The arithmetic of linear quantization: q = clamp(round(x / scale) + zeroPoint), x ≈ (q - zp) × scale.
 *
 * Worked example, uint8 asymmetric over [-1, 3]: scale = 4 / 255, zeroPoint = round(1 / scale) = 64,
 * so 0.0 maps to 64 exactly (zero must be exact: padding and ReLU outputs are zeros).
 */

/** int8 stores -128..127 (symmetric uses -127..127 so the range is balanced), uint8 0..255. */
export type QuantType = 'int8' | 'uint8';

/** Scale and zero point of one tensor or one channel. */
export interface QuantParams {
  readonly scale: number;
  readonly zeroPoint: number;
}

/** Quantization parameters covering [min, max] (widened to include 0). */
export function quantParams(min: number, max: number, type: QuantType, symmetric: boolean): QuantParams {
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  if (symmetric) {
    const absMax = Math.max(Math.abs(lo), Math.abs(hi));
    const scale = absMax > 0 ? absMax / 127 : 1;
    return { scale, zeroPoint: type === 'uint8' ? 128 : 0 };
  }
  const [qmin, qmax] = type === 'uint8' ? [0, 255] : [-128, 127];
  const scale = hi > lo ? (hi - lo) / (qmax - qmin) : 1;
  const zeroPoint = Math.max(qmin, Math.min(qmax, Math.round(qmin - lo / scale)));
  return { scale, zeroPoint };
}

/** Quantizes one value. */
export function quantize(x: number, p: QuantParams, type: QuantType): number {
  const [qmin, qmax] = type === 'uint8' ? [0, 255] : [-128, 127];
  return Math.max(qmin, Math.min(qmax, Math.round(x / p.scale) + p.zeroPoint));
}

/** Min and max of `values` (0, 0 for an empty array). */
export function minMax(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return values.length ? { min, max } : { min: 0, max: 0 };
}
