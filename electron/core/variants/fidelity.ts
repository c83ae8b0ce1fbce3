/**
 * How far a variant's outputs drift from the baseline's on the same inputs.
 *
 * Worked example: reference [1, 2], output [1, 2.1]: cosine 0.99994, maxAbsErr 0.1, meanAbsErr
 * 0.05, SNR 10·log10(5 / 0.01) = 26.99 dB.
 */
import type { OutputFidelity } from '../../../shared/compare.js';
import { float16ToFloat32 } from '../model/tensor-data.js';
import type { TensorMetrics } from '../runner/protocol.js';

/** Fidelity metrics of `out` against `ref` (same length). `rowLength` enables top-k agreement. */
export function compareTensors(
  ref: ArrayLike<number>,
  out: ArrayLike<number>,
  names: { name: string; baselineName: string },
  rowLength?: number,
): OutputFidelity {
  return { ...names, ...tensorMetrics(ref, out, rowLength) };
}

/** `compareTensors` without the names. */
export function tensorMetrics(ref: ArrayLike<number>, out: ArrayLike<number>, rowLength?: number): TensorMetrics {
  const n = Math.min(ref.length, out.length);
  let dot = 0;
  let refSq = 0;
  let outSq = 0;
  let errSq = 0;
  let maxAbsErr = 0;
  let sumAbsErr = 0;
  for (let i = 0; i < n; i++) {
    const r = Number(ref[i]);
    const o = Number(out[i]);
    dot += r * o;
    refSq += r * r;
    outSq += o * o;
    const e = Math.abs(r - o);
    errSq += e * e;
    sumAbsErr += e;
    if (e > maxAbsErr || Number.isNaN(e)) maxAbsErr = e;
  }
  const cosine = refSq === 0 && outSq === 0 ? 1 : refSq === 0 || outSq === 0 ? 0 : dot / Math.sqrt(refSq * outSq);
  const result: TensorMetrics = {
    cosine,
    maxAbsErr,
    meanAbsErr: n ? sumAbsErr / n : 0,
    snrDb: errSq === 0 ? Infinity : refSq === 0 ? -Infinity : 10 * Math.log10(refSq / errSq),
  };
  if (rowLength && rowLength >= 2 && n % rowLength === 0) {
    return {
      ...result,
      top1Agreement: topKAgreement(ref, out, rowLength, 1),
      top5Agreement: rowLength > 5 ? topKAgreement(ref, out, rowLength, 5) : undefined,
    };
  }
  return result;
}

/**
 * Fraction of rows where the baseline's top-1 class is among the variant's top-k classes. For k=1
 * that is plain top-1 agreement.
 */
export function topKAgreement(ref: ArrayLike<number>, out: ArrayLike<number>, rowLength: number, k: number): number {
  const rows = Math.floor(Math.min(ref.length, out.length) / rowLength);
  if (rows === 0) return 1;
  let agree = 0;
  for (let row = 0; row < rows; row++) {
    const base = row * rowLength;
    let best = 0;
    for (let j = 1; j < rowLength; j++) if (Number(ref[base + j]) > Number(ref[base + best])) best = j;
    const bestScore = Number(out[base + best]);
    let higher = 0;
    for (let j = 0; j < rowLength; j++) if (Number(out[base + j]) > bestScore) higher++;
    if (higher < k) agree++;
  }
  return agree / rows;
}

/**
 * Whether an output looks like class scores, so top-k agreement means something: rows along the
 * last dim (at least 2 classes) of a rank-2 or rank-3 tensor that either is named like scores
 * (logits, probs, softmax, scores, cls) or holds a probability distribution per row.
 */
export function looksLikeClassScores(dims: readonly number[], name = '', data?: ArrayLike<number>): boolean {
  const classes = dims[dims.length - 1] ?? 0;
  if (classes < 2 || (dims.length !== 2 && dims.length !== 3)) return false;
  if (/logit|prob|softmax|score|cls|class/i.test(name)) return true;
  if (!data || data.length < classes) return false;
  // A softmax output: every value in [0, 1] and each row summing to 1.
  for (let row = 0; row < data.length / classes; row++) {
    let sum = 0;
    for (let j = 0; j < classes; j++) {
      const v = Number(data[row * classes + j]);
      if (v < 0 || v > 1) return false;
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) return false;
  }
  return true;
}

/** A tensor's values as numbers: float16 bits decoded, int64 converted (precision past 2^53 is not a fidelity question). */
export function tensorValues(
  type: string,
  data: ArrayLike<number> | BigInt64Array | BigUint64Array,
): ArrayLike<number> {
  if (type === 'float16' && data instanceof Uint16Array) return Array.from(data, float16ToFloat32);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Array.from(data, Number);
  return data as ArrayLike<number>;
}

/** The class-score row length of a tensor that looks like class scores, else undefined. */
export function classRowLength(
  name: string,
  type: string,
  dims: readonly number[],
  data: ArrayLike<number> | BigInt64Array | BigUint64Array,
): number | undefined {
  return looksLikeClassScores(dims, name, tensorValues(type, data)) ? dims[dims.length - 1] : undefined;
}

/**
 * `out` against its reference, or null when an intermediate (`strict`) cannot be compared: other
 * length, or a type where distance means nothing (bool, int64 indices).
 */
export function compareWithReference(
  ref: {
    readonly type: string;
    readonly data: ArrayLike<number> | BigInt64Array | BigUint64Array;
    readonly rowLength?: number;
  },
  out: { readonly type: string; readonly data: ArrayLike<number> | BigInt64Array | BigUint64Array },
  strict: boolean,
): TensorMetrics | null {
  if (strict && (ref.data.length !== out.data.length || ref.type === 'bool' || ref.type === 'int64')) return null;
  return tensorMetrics(
    tensorValues(ref.type, ref.data),
    tensorValues(out.type, out.data),
    strict ? undefined : ref.rowLength,
  );
}
