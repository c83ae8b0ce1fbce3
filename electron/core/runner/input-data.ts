/**
 * Input data as the worker hands it to onnxruntime. Its own module so the .npy reader and the input
 * maker can both use it without importing each other.
 */

/** Element types Strata can make data for, and the typed array each uses. */
export type DataElementType =
  | 'float32'
  | 'float16'
  | 'float64'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool';

/** One input's data, ready for `new ort.Tensor(type, data, dims)`. */
export interface InputData {
  readonly name: string;
  readonly type: DataElementType;
  readonly dims: readonly number[];
  readonly data:
    | Float32Array
    | Float64Array
    | BigInt64Array
    | BigUint64Array
    | Int32Array
    | Int16Array
    | Int8Array
    | Uint8Array
    | Uint16Array
    | Uint32Array;
}

/** The typed array each element type is held in (float16 as its raw 16-bit words, bool as bytes). */
export const TYPED_ARRAY_OF = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  uint16: Uint16Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
} as const satisfies Record<DataElementType, unknown>;
