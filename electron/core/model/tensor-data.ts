/**
 * Decoding and encoding tensor payloads, for the transforms that need weight values (quantize,
 * fp16, prune). Everything else in Strata leaves payloads undecoded.
 */
import { existsSync } from 'node:fs';
import { StrataError } from '../../../shared/errors.js';
import { clip } from '../clip.js';
import { readExternalData, resolveExternalDataPath } from './external-data.js';
import { DataType, type OnnxTensor } from './onnx-proto.js';

/** Number of elements of a tensor. */
export function elementCount(t: { dims: readonly number[] }): number {
  return t.dims.reduce((a, b) => a * b, 1);
}

/**
 * A float tensor's values as float32 (float32, float16 and float64 tensors), always a fresh copy
 * the caller may modify. External data is read from `modelDir`.
 */
export function readFloats(t: OnnxTensor, modelDir?: string): Float32Array {
  const count = elementCount(t);
  if (!t.dims.every((d) => Number.isSafeInteger(d) && d >= 0) || !Number.isSafeInteger(count)) {
    throw new StrataError(
      'MODEL_INVALID',
      `Tensor "${clip(t.name)}" has dims [${t.dims.slice(0, 8).join(', ')}], which no tensor can have. The model is corrupt; re-export it.`,
    );
  }
  if (t.dataType === DataType.FLOAT) {
    if (t.floatData) return Float32Array.from(checkedValues(t, t.floatData, count));
    const raw = aligned(checkedPayload(t, payload(t, modelDir), count, 4), 4);
    return new Float32Array(raw.buffer, raw.byteOffset, count).slice();
  }
  if (t.dataType === DataType.FLOAT16) {
    const bits = t.int32Data
      ? Uint16Array.from(checkedValues(t, t.int32Data, count))
      : (() => {
          const raw = aligned(checkedPayload(t, payload(t, modelDir), count, 2), 2);
          return new Uint16Array(raw.buffer, raw.byteOffset, count);
        })();
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = float16ToFloat32(bits[i]!);
    return out;
  }
  if (t.dataType === DataType.DOUBLE) {
    if (t.doubleData) return Float32Array.from(checkedValues(t, t.doubleData, count));
    const raw = aligned(checkedPayload(t, payload(t, modelDir), count, 8), 8);
    return Float32Array.from(new Float64Array(raw.buffer, raw.byteOffset, count));
  }
  throw new StrataError('INTERNAL', `Tensor "${clip(t.name)}" has data type ${t.dataType}, not a float type.`);
}

// A payload must hold exactly the elements the dims promise: fewer would read past it, more means
// the dims and the data disagree. Either way the model is corrupt.
function checkedPayload(t: OnnxTensor, bytes: Uint8Array, count: number, size: number): Uint8Array {
  if (bytes.length !== count * size) {
    throw new StrataError(
      'MODEL_INVALID',
      `Tensor "${clip(t.name)}" holds ${bytes.length} bytes, but its dims [${t.dims.slice(0, 8).join(', ')}] need ${count * size}. The model is corrupt; re-export it.`,
    );
  }
  return bytes;
}

function checkedValues<T extends ArrayLike<number>>(t: OnnxTensor, values: T, count: number): T {
  if (values.length !== count) {
    throw new StrataError(
      'MODEL_INVALID',
      `Tensor "${clip(t.name)}" holds ${values.length} values, but its dims [${t.dims.slice(0, 8).join(', ')}] need ${count}. The model is corrupt; re-export it.`,
    );
  }
  return values;
}

/** A tensor of `dataType` with raw bytes `bytes`. */
export function rawTensor(name: string, dims: readonly number[], dataType: number, bytes: ArrayBufferView): OnnxTensor {
  return { name, dims: [...dims], dataType, raw: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** True for tensors whose payload lives in an external file. */
export function isExternal(t: OnnxTensor): boolean {
  return t.dataLocation === 1;
}

// The tensor's bytes: raw_data, or its slice of the external data file.
function payload(t: OnnxTensor, modelDir?: string): Uint8Array {
  if (t.raw) return t.raw;
  if (isExternal(t)) {
    const get = (key: string) => t.externalData?.find((e) => e.key === key)?.value;
    const location = get('location');
    if (!location || !modelDir)
      throw new StrataError(
        'MODEL_EXTERNAL_DATA_MISSING',
        `Tensor "${clip(t.name)}" is stored externally but its file could not be located.`,
      );
    const file = resolveExternalDataPath(modelDir, location, t.name);
    if (!existsSync(file))
      throw new StrataError(
        'MODEL_EXTERNAL_DATA_MISSING',
        `Tensor "${clip(t.name)}" keeps its data in "${clip(location)}", which is not next to the model.`,
      );
    const length = get('length');
    return readExternalData(
      file,
      Number(get('offset') ?? 0),
      length === undefined ? undefined : Number(length),
      t.name,
    );
  }
  return new Uint8Array(0);
}

// Typed arrays need offsets aligned to their element size; views into a protobuf buffer rarely are.
// (Buffer.prototype.slice makes a view, not a copy, so copy explicitly.)
function aligned(bytes: Uint8Array, elementSize: number): Uint8Array {
  if (bytes.byteOffset % elementSize === 0) return bytes;
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half-precision bits of `value`, rounded to nearest even. */
export function float32ToFloat16(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf or NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow to infinity
  if (e <= 0) {
    if (e < -10) return sign; // underflow to zero
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++; // a carry into the exponent is the right rounding
  return sign | half;
}

/** The float value of IEEE 754 half-precision bits. */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
