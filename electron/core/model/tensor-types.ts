/**
 * ONNX element types: numbers in the file, names in Strata, sizes in bytes.
 */
import type { ElementType } from '../../../shared/model.js';

const NAMES: Record<number, ElementType> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
  17: 'float8e4m3fn',
  18: 'float8e4m3fnuz',
  19: 'float8e5m2',
  20: 'float8e5m2fnuz',
  21: 'uint4',
  22: 'int4',
};

// Bytes per element; 4-bit types count as half a byte. Strings have no fixed size.
const SIZES: Record<number, number> = {
  1: 4,
  2: 1,
  3: 1,
  4: 2,
  5: 2,
  6: 4,
  7: 8,
  8: 0,
  9: 1,
  10: 2,
  11: 8,
  12: 4,
  13: 8,
  14: 8,
  15: 16,
  16: 2,
  17: 1,
  18: 1,
  19: 1,
  20: 1,
  21: 0.5,
  22: 0.5,
};

/** The name of ONNX data type `code`, or 'unknown'. */
export function elementTypeName(code: number): ElementType {
  return NAMES[code] ?? 'unknown';
}

/** Bytes per element of ONNX data type `code` (0 for strings and unknown types). */
export function elementByteSize(code: number): number {
  return SIZES[code] ?? 0;
}
