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
