/**
 * A cheap look at a file's first bytes, to tell "not an ONNX model at all" apart from "an ONNX
 * model that is broken" before decoding anything.
 */

/**
 * Why `head` (the first ≤ 256 bytes) cannot start an ONNX ModelProto, or null when it could.
 * A ModelProto begins with a field key of a known ModelProto field, almost always ir_version (0x08).
 */
export function whyNotOnnx(head: Uint8Array): string | null {
  if (head.length === 0) return 'it is empty';
  if (looksLikeText(head)) return 'it starts with text, not a protobuf ModelProto';
  const first = head[0]!;
  const field = first >> 3;
  const wire = first & 7;
  // Known ModelProto fields and their wire types: 1,5 varint; 2,3,4,6,7,8,14,20,25 length-delimited.
  const varintFields = [1, 5];
  const lengthFields = [2, 3, 4, 6, 7, 8, 14, 20, 25];
  const plausible = (wire === 0 && varintFields.includes(field)) || (wire === 2 && lengthFields.includes(field));
  return plausible
    ? null
    : `it starts with byte 0x${first.toString(16).padStart(2, '0')}, which no ONNX model starts with`;
}

function looksLikeText(head: Uint8Array): boolean {
  const sample = head.subarray(0, Math.min(head.length, 64));
  let printable = 0;
  for (const byte of sample) {
    if (byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127)) printable++;
  }
  return printable === sample.length && sample.length >= 4;
}
