/**
 * NumPy .npy files (format 1.0-3.0), the usual way to hand a model a real input: the header is a
 * Python dict literal giving dtype, order and shape, followed by the raw array.
 */
import { StrataError } from '../../../shared/errors.js';
import { TYPED_ARRAY_OF, type DataElementType, type InputData } from './input-data.js';

const DTYPES: Record<string, { type: DataElementType; size: number }> = {
  f4: { type: 'float32', size: 4 },
  f8: { type: 'float64', size: 8 },
  f2: { type: 'float16', size: 2 },
  i8: { type: 'int64', size: 8 },
  u8: { type: 'uint64', size: 8 },
  i4: { type: 'int32', size: 4 },
  u4: { type: 'uint32', size: 4 },
  i2: { type: 'int16', size: 2 },
  u2: { type: 'uint16', size: 2 },
  i1: { type: 'int8', size: 1 },
  u1: { type: 'uint8', size: 1 },
  b1: { type: 'bool', size: 1 },
};

/** Parses an .npy file's bytes. Throws BAD_INPUT naming what is wrong. */
export function readNpy(bytes: Uint8Array): { data: InputData['data']; dims: number[]; type: DataElementType } {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b))
    throw new StrataError('BAD_INPUT', 'the file is not a NumPy .npy file.');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr':\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape)
    throw new StrataError('BAD_INPUT', `its .npy header is unreadable: ${header.trim()}.`);
  const dtype = DTYPES[descr[2]!];
  if (!dtype)
    throw new StrataError(
      'BAD_INPUT',
      `its dtype '${descr[2]}' is not one Strata reads (float16/32/64, int8-64, uint8-64, bool).`,
    );
  if (descr[1] === '>' && dtype.size > 1)
    throw new StrataError(
      'BAD_INPUT',
      'it is big-endian; save it little-endian (numpy: arr.astype(arr.dtype.newbyteorder("<"))).',
    );
  if (fortran[1] === 'True')
    throw new StrataError('BAD_INPUT', 'it is in Fortran order; save it with numpy.ascontiguousarray first.');
  const dims = shape[1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const start = headerStart + headerLength;
  if (bytes.length - start < count * dtype.size) {
    throw new StrataError(
      'BAD_INPUT',
      `it is truncated: shape [${dims.join(', ')}] needs ${count * dtype.size} bytes of data but it has ${bytes.length - start}.`,
    );
  }
  const payload = new Uint8Array(count * dtype.size);
  payload.set(bytes.subarray(start, start + count * dtype.size));
  const data: InputData['data'] = new TYPED_ARRAY_OF[dtype.type](payload.buffer);
  return { data, dims, type: dtype.type };
}

const DESCR: Record<DataElementType, string> = {
  float32: '<f4',
  float64: '<f8',
  float16: '<f2',
  int64: '<i8',
  uint64: '<u8',
  int32: '<i4',
  uint32: '<u4',
  int16: '<i2',
  uint16: '<u2',
  int8: '|i1',
  uint8: '|u1',
  bool: '|b1',
};

/** Encodes an array as an .npy file (format 1.0, C order, little-endian). */
export function writeNpy(data: InputData['data'], dims: readonly number[], type: DataElementType): Uint8Array {
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${DESCR[type]}', 'fortran_order': False, 'shape': ${shape}, }`;
  // The header, with its 10-byte preamble, is padded with spaces to a multiple of 64 and ends in \n.
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
