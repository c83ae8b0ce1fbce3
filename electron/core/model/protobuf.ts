/**
 * The protobuf wire format, as much of it as ONNX needs: a reader that hands out length-delimited
 * fields as views into the original bytes (weights are never copied) and a writer.
 */

/** Wire types of the protobuf encoding. */
export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5,
}

/** Thrown on malformed bytes; the caller turns it into a sentence about the model. */
export class ProtobufError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly truncated: boolean,
  ) {
    super(message);
    this.name = 'ProtobufError';
  }
}

/** Reads fields from `bytes[start, end)`. `base` is the absolute offset of `bytes[0]` in the file. */
export class ProtoReader {
  pos: number;
  /**
   * Packed lists of numbers (a tensor's float_data, int64_data...) at least this many bytes long are
   * passed over, not decoded: set on a reader over a model whose weights were left unread (its
   * sub-readers inherit it), where decoding them would turn zeros into arrays bigger than the file.
   */
  passPackedFrom = Infinity;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
    readonly base = 0,
  ) {
    this.pos = start;
  }

  /** True when every field has been read. */
  done(): boolean {
    return this.pos >= this.end;
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wire: WireType } {
    const key = this.varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    // Groups (3, 4) are deprecated and unused by ONNX; 6 and 7 do not exist.
    if (field === 0 || wire === 3 || wire === 4 || wire > 5) {
      throw new ProtobufError(`has an invalid field key ${key}`, this.base + this.pos, false);
    }
    return { field, wire: wire as WireType };
  }

  /** An unsigned varint as a number (exact up to 2^53; ONNX sizes and dims stay far below). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError('ends inside a number', this.base + this.pos, true);
      const byte = this.bytes[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new ProtobufError('has a number longer than 10 bytes', this.base + this.pos, false);
  }

  /** A signed int64/int32 varint (two's complement), e.g. -1 for an unknown dim. */
  int64(): number {
    const start = this.pos;
    const unsigned = this.varint();
    if (unsigned < 2 ** 63) return unsigned;
    // Negative: re-read the 64-bit pattern with BigInt for an exact value.
    this.pos = start;
    let big = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.bytes[this.pos++]!;
      big |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) break;
      shift += 7n;
    }
    return Number(BigInt.asIntN(64, big));
  }

  /** A length-delimited field's payload as a view (no copy). */
  bytesView(): Uint8Array {
    const length = this.varint();
    if (this.pos + length > this.end) {
      throw new ProtobufError(
        `declares ${length} bytes but only ${this.end - this.pos} remain`,
        this.base + this.pos,
        true,
      );
    }
    const view = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }

  /** A sub-reader over a length-delimited field (an embedded message). */
  message(): ProtoReader {
    const length = this.varint();
    if (this.pos + length > this.end) {
      throw new ProtobufError(
        `declares ${length} bytes but only ${this.end - this.pos} remain`,
        this.base + this.pos,
        true,
      );
    }
    const sub = new ProtoReader(this.bytes, this.pos, this.pos + length, this.base);
    sub.passPackedFrom = this.passPackedFrom;
    this.pos += length;
    return sub;
  }

  /** Skips the field just tagged if it is a packed list at least `passPackedFrom` bytes long; true if it did. */
  passedLongPacked(wire: WireType): boolean {
    if (wire !== WireType.LengthDelimited || this.passPackedFrom === Infinity) return false;
    const at = this.pos;
    const length = this.varint();
    if (length < this.passPackedFrom) {
      this.pos = at;
      return false;
    }
    this.pos = at;
    this.skip(wire);
    return true;
  }

  /** A UTF-8 string field. */
  string(): string {
    return decoder.decode(this.bytesView());
  }

  /** A fixed32 float field. */
  float(): number {
    if (this.pos + 4 > this.end) throw new ProtobufError('ends inside a float', this.base + this.pos, true);
    const value = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return value;
  }

  /** Repeated int64 values, packed or not (the caller passes the wire type it saw). */
  int64s(wire: WireType, into: number[]): void {
    if (wire === WireType.LengthDelimited) {
      const sub = this.message();
      while (!sub.done()) into.push(sub.int64());
    } else {
      into.push(this.int64());
    }
  }

  /** Repeated floats, packed or not. */
  floats(wire: WireType, into: number[]): void {
    if (wire === WireType.LengthDelimited) {
      const sub = this.message();
      while (!sub.done()) into.push(sub.float());
    } else {
      into.push(this.float());
    }
  }

  /** Skips a field of the given wire type. */
  skip(wire: WireType): void {
    switch (wire) {
      case WireType.Varint:
        this.varint();
        return;
      case WireType.Fixed64:
        this.advance(8);
        return;
      case WireType.LengthDelimited:
        this.advance(this.varint());
        return;
      case WireType.Fixed32:
        this.advance(4);
        return;
      default:
        throw new ProtobufError(`uses the unsupported wire type ${wire}`, this.base + this.pos, false);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end)
      throw new ProtobufError(`ends ${this.pos + n - this.end} bytes early`, this.base + this.pos, true);
    this.pos += n;
  }
}

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Builds a message into growable chunks. */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private scratch = new Uint8Array(64);
  private used = 0;
  private total = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.total + this.used;
  }

  private flushScratch(): void {
    if (this.used > 0) {
      this.chunks.push(this.scratch.slice(0, this.used));
      this.total += this.used;
      this.used = 0;
    }
  }

  private pushByte(byte: number): void {
    if (this.used === this.scratch.length) this.flushScratch();
    this.scratch[this.used++] = byte;
  }

  /** An unsigned varint; negative numbers are written as 64-bit two's complement. */
  varint(value: number): this {
    if (value < 0) {
      let big = BigInt.asUintN(64, BigInt(value));
      while (big >= 0x80n) {
        this.pushByte(Number(big & 0x7fn) | 0x80);
        big >>= 7n;
      }
      this.pushByte(Number(big));
      return this;
    }
    let v = value;
    while (v >= 0x80) {
      this.pushByte((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    this.pushByte(v);
    return this;
  }

  /** A field key. */
  tag(field: number, wire: WireType): this {
    return this.varint(field * 8 + wire);
  }

  /** A varint field. */
  int64Field(field: number, value: number): this {
    return this.tag(field, WireType.Varint).varint(value);
  }

  /** A fixed32 float field. */
  floatField(field: number, value: number): this {
    this.tag(field, WireType.Fixed32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    for (const byte of b) this.pushByte(byte);
    return this;
  }

  /** A length-delimited field holding `bytes` (appended without copying). */
  bytesField(field: number, bytes: Uint8Array): this {
    this.tag(field, WireType.LengthDelimited).varint(bytes.length);
    this.flushScratch();
    this.chunks.push(bytes);
    this.total += bytes.length;
    return this;
  }

  /** A string field. */
  stringField(field: number, value: string): this {
    return this.bytesField(field, encoder.encode(value));
  }

  /** An embedded message field. */
  messageField(field: number, build: (w: ProtoWriter) => void): this {
    const sub = new ProtoWriter();
    build(sub);
    return this.bytesField(field, sub.finish());
  }

  /** A packed repeated int64 field. */
  packedInt64s(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const sub = new ProtoWriter();
    for (const v of values) sub.varint(v);
    return this.bytesField(field, sub.finish());
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    const b = new Uint8Array(values.length * 4);
    const view = new DataView(b.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return this.bytesField(field, b);
  }

  /** The encoded bytes. */
  finish(): Uint8Array {
    this.flushScratch();
    if (this.chunks.length === 1) return this.chunks[0]!;
    const out = new Uint8Array(this.total);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
