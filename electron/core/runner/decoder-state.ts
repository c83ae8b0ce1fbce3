/**
 * One decoder session and its KV cache, inside the worker: greedy forward passes with the present
 * outputs kept as the next pass's past (the tensors never leave the worker), and a cut back to a
 * shorter context (what a speculative loop does with rejected draft tokens).
 */
import ort from 'onnxruntime-node';
import type { DecoderInfo } from '../../../shared/generate.js';

/** A decoder and its cache for one sequence (batch 1). */
export class DecoderState {
  private past: ort.Tensor[] = [];
  /** Tokens in the cache. */
  length = 0;

  constructor(
    readonly session: ort.InferenceSession,
    readonly info: DecoderInfo,
  ) {
    this.reset();
  }

  /** Empties the cache. */
  reset(): void {
    const { layers, kvHeads, headDim, kvElementType } = this.info;
    const empty = () =>
      kvElementType === 'float16'
        ? new ort.Tensor('float16', new Uint16Array(0), [1, kvHeads, 0, headDim])
        : new ort.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
    this.past = Array.from({ length: layers * 2 }, empty);
    this.length = 0;
  }

  /**
   * Runs `tokens` after what the cache holds; returns the greedy next token at each of their
   * positions (the last is the next token of the sequence). The cache grows by `tokens.length`.
   */
  async forward(tokens: readonly number[]): Promise<number[]> {
    const n = tokens.length;
    const total = this.length + n;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(tokens, BigInt), [1, n]),
    };
    if (this.info.attentionMask)
      feeds.attention_mask = new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]);
    if (this.info.positionIds) {
      const pos = new BigInt64Array(n);
      for (let i = 0; i < n; i++) pos[i] = BigInt(this.length + i);
      feeds.position_ids = new ort.Tensor('int64', pos, [1, n]);
    }
    const names = this.cacheNames();
    for (let i = 0; i < names.past.length; i++) feeds[names.past[i]!] = this.past[i]!;
    const out = await this.session.run(feeds);
    this.past = names.present.map((name) => out[name]!);
    this.length = total;
    return argmaxRows(out.logits!, n, this.info.vocab);
  }

  /** Keeps the first `length` positions of the cache (copies: the rest is freed). */
  truncate(length: number): void {
    if (length >= this.length) return;
    const { kvHeads, headDim } = this.info;
    this.past = this.past.map((t) => {
      const T = t.dims[2]!;
      const src = t.data as Float32Array | Uint16Array;
      const dst =
        src instanceof Float32Array
          ? new Float32Array(kvHeads * length * headDim)
          : new Uint16Array(kvHeads * length * headDim);
      for (let h = 0; h < kvHeads; h++)
        dst.set(src.subarray(h * T * headDim, h * T * headDim + length * headDim), h * length * headDim);
      return new ort.Tensor(t.type as 'float32', dst as Float32Array, [1, kvHeads, length, headDim]);
    });
    this.length = length;
  }

  /** Bytes the cache holds now. */
  cacheBytes(): number {
    return this.past.reduce((sum, t) => sum + (t.data as ArrayBufferView).byteLength, 0);
  }

  private names: { past: string[]; present: string[] } | null = null;
  private cacheNames(): { past: string[]; present: string[] } {
    if (!this.names) {
      const past: string[] = [];
      const present: string[] = [];
      for (let l = 0; l < this.info.layers; l++) {
        past.push(this.info.pastKey.replace('%d', String(l)), this.info.pastValue.replace('%d', String(l)));
        present.push(this.info.presentKey.replace('%d', String(l)), this.info.presentValue.replace('%d', String(l)));
      }
      this.names = { past, present };
    }
    return this.names;
  }
}

// The argmax of the last dim of logits [1, n, vocab] (or [1, vocab] for a single position), per position.
function argmaxRows(logits: ort.Tensor, n: number, vocab: number): number[] {
  const data = logits.data as Float32Array | Uint16Array;
  const rows = Math.floor(data.length / vocab);
  const value = data instanceof Uint16Array ? (i: number) => halfToFloat(data[i]!) : (i: number) => data[i]!;
  const out: number[] = [];
  for (let r = rows - n; r < rows; r++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let j = 0; j < vocab; j++) {
      const v = value(r * vocab + j);
      if (v > bestValue) {
        bestValue = v;
        best = j;
      }
    }
    out.push(best);
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
