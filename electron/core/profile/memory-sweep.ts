/**
 * The memory hierarchy as one core sees it, measured: a latency sweep (a pointer chase over a
 * random cycle, one element per 64-byte line, so every load depends on the one before and the
 * prefetchers cannot guess the next line) and a bandwidth sweep (a native copy, what a streaming
 * kernel gets), each over working sets from 4 KiB to 256 MiB. lmbench's lat_mem_rd and bw_mem
 * measure the same two curves. Runs in the worker process: it allocates the largest size once and
 * takes a few seconds.
 *
 * Worked example of the latency curve on a 2-core EPYC VM: ~1.8 ns up to 32 KiB (L1d), ~5 ns to
 * ~724 KiB (L2), 16 ns at 1 MiB, ~60 ns from 4 MiB on (DRAM, as far as this VM can tell).
 */
import type { MemoryCurvePoint } from '../../../shared/report.js';

const LINE_BYTES = 64;
const LINE_INTS = LINE_BYTES / 4;

/**
 * Working-set sizes of the sweep, each a whole number of lines: four per octave up to 8 MiB, where
 * the cache levels of today's cores end, two per octave to 64 MiB and one per octave beyond, where
 * each point costs the most and only DRAM (and the TLB) is left to see.
 */
export function sweepSizes(minBytes = 4 * 1024, maxBytes = 256 * 1024 ** 2): number[] {
  const sizes: number[] = [];
  for (let octave = minBytes; octave <= maxBytes; octave *= 2) {
    const perOctave = octave < 8 * 1024 ** 2 ? 4 : octave < 64 * 1024 ** 2 ? 2 : 1;
    for (let k = 0; k < perOctave; k++) {
      const bytes = Math.round((octave * 2 ** (k / perOctave)) / LINE_BYTES) * LINE_BYTES;
      if (bytes <= maxBytes && sizes[sizes.length - 1] !== bytes) sizes.push(bytes);
    }
  }
  return sizes;
}

// xorshift32: the cycle's order only has to defeat the prefetchers, not be cryptographic.
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/**
 * Links the first `lines` cache lines of `buffer` into one random cycle (Sattolo's algorithm: every
 * line is visited once before the chase comes back), each line's first int holding the index of
 * the next line's first int.
 */
function linkRandomCycle(buffer: Int32Array, lines: number, random: () => number): void {
  const order = new Int32Array(lines);
  for (let i = 0; i < lines; i++) order[i] = i;
  for (let i = lines - 1; i > 0; i--) {
    const j = Math.floor(random() * i); // j < i: a single cycle, never a fixed point
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  for (let i = 0; i < lines; i++) buffer[order[i]! * LINE_INTS] = order[(i + 1) % lines]! * LINE_INTS;
}

// Kept apart and small so the JIT compiles it to a tight dependent-load loop.
function chase(buffer: Int32Array, start: number, steps: number): number {
  let p = start;
  for (let i = 0; i < steps; i++) p = buffer[p]!;
  return p;
}

let sink = 0; // results go here so the engine cannot drop the loops

/**
 * Nanoseconds per dependent load at each size, the best of `passes` timed chases. Sizes up to 8 MiB
 * are swept `passes` times over (cheap to relink), so a burst of other work spoils one pass of a
 * few sizes, not every timing of the same ones; larger sizes are relinked once and timed
 * `passes` times in a row.
 */
export function measureLatency(
  sizes: readonly number[],
  options: { passes?: number; onSize?: (done: number) => void } = {},
): MemoryCurvePoint[] {
  const passes = options.passes ?? 3;
  const buffer = new Int32Array(Math.max(...sizes) / 4);
  const random = rng(0x5eed);
  // Enough dependent loads to time well (2^17: ~0.2 ms in L1, ~40 ms from DRAM).
  const steps = 1 << 17;
  // Let the JIT compile the chase before the first size is timed (else 4 KiB reads 7 ns, not 1.7).
  linkRandomCycle(buffer, Math.min(...sizes) / LINE_BYTES, random);
  sink ^= chase(buffer, 0, 1 << 20);
  const timeChase = () => {
    const t0 = process.hrtime.bigint();
    sink ^= chase(buffer, 0, steps);
    return Number(process.hrtime.bigint() - t0) / steps;
  };
  const best = sizes.map(() => Infinity);
  const small = sizes.filter((bytes) => bytes <= 8 * 1024 ** 2).length;
  let done = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (let i = 0; i < small; i++) {
      const lines = sizes[i]! / LINE_BYTES;
      linkRandomCycle(buffer, lines, random);
      sink ^= chase(buffer, 0, Math.min(lines, steps)); // warm: bring the set into the caches it fits
      best[i] = Math.min(best[i]!, timeChase());
      if (pass === passes - 1) options.onSize?.(++done);
    }
  }
  for (let i = small; i < sizes.length; i++) {
    linkRandomCycle(buffer, sizes[i]! / LINE_BYTES, random);
    sink ^= chase(buffer, 0, steps);
    for (let pass = 0; pass < passes; pass++) best[i] = Math.min(best[i]!, timeChase());
    options.onSize?.(++done);
  }
  return sizes.map((bytes, i) => ({ bytes, value: best[i]! }));
}

/**
 * Copy bandwidth in GB/s (bytes read + bytes written per second) at each working-set size: half the
 * set copied onto the other half with the engine's native copy, repeated until a few milliseconds
 * have passed, best of `repeats`.
 */
export function measureBandwidth(
  sizes: readonly number[],
  options: { passes?: number; onSize?: (done: number) => void } = {},
): MemoryCurvePoint[] {
  const repeats = options.passes ?? 3;
  const buffer = new Uint8Array(Math.max(...sizes));
  buffer.fill(1);
  const points: MemoryCurvePoint[] = [];
  sizes.forEach((bytes, i) => {
    const half = bytes / 2;
    const copies = Math.max(1, Math.floor((4 * 1024 ** 2) / bytes)); // ≥ ~4 MiB copied per timing
    buffer.copyWithin(half, 0, half); // warm
    let best = Infinity;
    for (let r = 0; r < repeats; r++) {
      const t0 = process.hrtime.bigint();
      for (let c = 0; c < copies; c++) buffer.copyWithin(half, 0, half);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / copies);
    }
    sink ^= buffer[half]!;
    points.push({ bytes, value: bytes / best }); // bytes per ns = GB/s
    options.onSize?.(i + 1);
  });
  return points;
}

/** Keeps the sweeps' results alive for the optimiser (and tests). */
export function sweepSink(): number {
  return sink;
}
