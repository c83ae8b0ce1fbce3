import type { CacheSizes, CacheSource, CeilingRaise } from './report.js';

/**
 * Number formatting shared by the CLI, the app and the HTML report, so a value reads the same
 * everywhere. Every result carries its unit.
 */

/**
 * "2.10× faster", "1.30× slower", "same": a value against the baseline's, lower is better; the
 * ratio is always 1 or more, so a file that grew reads "1.80× larger", never "0.55× smaller".
 */
export function ratioText(baseline: number, value: number, better: string, worse: string): string {
  if (!(baseline > 0) || !(value > 0)) return '';
  const ratio = baseline / value;
  if (Math.abs(ratio - 1) < 0.005) return 'same';
  return ratio > 1 ? `${ratio.toFixed(2)}× ${better}` : `${(1 / ratio).toFixed(2)}× ${worse}`;
}

/** A file's size change: "3.61× smaller", "1.80× larger" or "same size". */
export function sizeChange(before: number, after: number): string {
  const text = ratioText(before, after, 'smaller', 'larger');
  return text === 'same' ? 'same size' : text;
}

/** Milliseconds: "0.412 ms", "12.3 ms", "1.52 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (Math.abs(ms) >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (Math.abs(ms) >= 100) return `${ms.toFixed(0)} ms`;
  if (Math.abs(ms) >= 10) return `${ms.toFixed(1)} ms`;
  if (Math.abs(ms) >= 1) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/** Microseconds, switching to ms from 1000 µs: "85 µs", "1.24 ms". */
export function formatUs(us: number): string {
  if (!Number.isFinite(us)) return '–';
  if (Math.abs(us) >= 1000) return formatMs(us / 1000);
  if (Math.abs(us) >= 10) return `${us.toFixed(0)} µs`;
  return `${us.toFixed(1)} µs`;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes in binary units: "512 B", "1.5 KiB", "23.4 MiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value.toFixed(0)} B`;
  return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${BYTE_UNITS[unit]}`;
}

const SI_PREFIXES = ['', 'k', 'M', 'G', 'T', 'P'];

// 1234567 -> "1.23 M": the shared core of counts, FLOPs and rates.
function withSiPrefix(value: number): string {
  let scaled = value;
  let prefix = 0;
  while (Math.abs(scaled) >= 1000 && prefix < SI_PREFIXES.length - 1) {
    scaled /= 1000;
    prefix++;
  }
  const digits = prefix === 0 ? 0 : scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2;
  return `${scaled.toFixed(digits)}${prefix === 0 ? '' : ' ' + SI_PREFIXES[prefix]}`;
}

/** A count with an SI prefix: "1.23 M params" when given the noun "params". */
export function formatCount(count: number, noun = ''): string {
  if (!Number.isFinite(count)) return '–';
  const text = withSiPrefix(count);
  return noun ? `${text} ${noun}` : text;
}

/** Floating-point operations: "1.23 GFLOP"; null (not defined for the op) shows as "–". */
export function formatFlops(flops: number | null): string {
  if (flops === null || !Number.isFinite(flops)) return '–';
  const text = withSiPrefix(flops);
  // withSiPrefix separates the prefix with a space: "1.23 G" -> "1.23 GFLOP", "512" -> "512 FLOP".
  return text.includes(' ') ? `${text}FLOP` : `${text} FLOP`;
}

/** Achieved compute rate: "12.4 GFLOP/s". */
export function formatGflops(gflopsPerSec: number | null): string {
  if (gflopsPerSec === null || !Number.isFinite(gflopsPerSec)) return '–';
  return `${gflopsPerSec.toFixed(gflopsPerSec >= 100 ? 0 : gflopsPerSec >= 10 ? 1 : 2)} GFLOP/s`;
}

/** int8 operations per second: "512 GOP/s" (formatGflops' scale, for integer compute). */
export function formatGops(gopsPerSec: number | null): string {
  return formatGflops(gopsPerSec).replace('FLOP', 'OP');
}

/** A 0..1 share as a percentage: "12.3%". */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return '–';
  return `${(share * 100).toFixed(share >= 0.1 ? 1 : 2)}%`;
}

/**
 * An interval's bounds, "1.20–1.35", or `none` when it has none (too few samples for one). `dash`
 * is "-" where the text goes to a terminal.
 */
export function formatRange(
  r: { readonly low: number; readonly high: number },
  { digits = 2, none = 'too few samples', dash = '–' }: { digits?: number; none?: string; dash?: string } = {},
): string {
  if (!Number.isFinite(r.low) || !Number.isFinite(r.high)) return none;
  return `${r.low.toFixed(digits)}${dash}${r.high.toFixed(digits)}`;
}

/** A shape: [1, 3, 224, 224] -> "1×3×224×224"; a scalar -> "scalar". */
export function formatShape(shape: readonly (number | string | null)[] | null): string {
  if (shape === null) return '?';
  if (shape.length === 0) return 'scalar';
  return shape.map((d) => (d === null ? '?' : String(d))).join('×');
}

/** Where a cache size came from, in words: "Linux sysfs", "CPUID (getconf)", "measured"... */
export function describeCacheSource(source: CacheSource): string {
  switch (source) {
    case 'sysfs':
      return 'Linux sysfs';
    case 'cpuid':
      return 'CPUID (getconf)';
    case 'sysctl':
      return 'sysctl';
    case 'systeminformation':
      return 'systeminformation (totals divided by cores)';
    case 'measured':
      return 'measured';
    case 'given':
      return 'the caller';
  }
}

/**
 * One core's caches in a line, each level with its source where they differ: "L1d 48 KiB, L2 1 MiB
 * (CPUID (getconf)); L3 4 MiB (the latency probe)". Levels not found read "none found".
 */
export function formatCacheLevels(caches: CacheSizes): string {
  const levels = [
    ['L1d', caches.l1d, caches.levelSources?.l1d ?? caches.source],
    ['L2', caches.l2, caches.levelSources?.l2 ?? caches.source],
    ['L3', caches.l3, caches.levelSources?.l3 ?? caches.source],
  ] as const;
  const groups: { source: CacheSource; parts: string[] }[] = [];
  for (const [name, bytes, source] of levels) {
    const part = `${name} ${bytes > 0 ? formatBytes(bytes) : 'none found'}`;
    const last = groups[groups.length - 1];
    if (last && last.source === source) last.parts.push(part);
    else groups.push({ source, parts: [part] });
  }
  return groups.map((g) => `${g.parts.join(', ')} (${describeCacheSource(g.source)})`).join('; ');
}

/** A roofline ceiling's value with its unit: "80.0 GFLOP/s", "402 GOP/s" (int8), "20.1 GB/s". */
export function formatCeiling(ceiling: CeilingRaise['ceiling'], value: number): string {
  return ceiling === 'memBandwidthGBs'
    ? `${value.toFixed(1)} GB/s`
    : ceiling === 'peakInt8Gops'
      ? formatGops(value)
      : formatGflops(value);
}

/** An execution provider as people say it: "WebGpuExecutionProvider" -> "WebGPU", "CPUExecutionProvider" -> "CPU". */
export function providerLabel(provider: string): string {
  const known: Record<string, string> = {
    CPUExecutionProvider: 'CPU',
    WebGpuExecutionProvider: 'WebGPU',
    CUDAExecutionProvider: 'CUDA',
    TensorrtExecutionProvider: 'TensorRT',
    DmlExecutionProvider: 'DirectML',
    CoreMLExecutionProvider: 'CoreML',
  };
  return known[provider] ?? provider.replace(/ExecutionProvider$/, '');
}

/**
 * How the system samples of a profile were taken, for chart captions: "42 samples over 1.30 s (every
 * 20 ms, then 100 ms)", or, when the profile was too short to draw, that it was.
 */
export function describeSampling(system: {
  readonly intervalMs: number;
  readonly samples: readonly { readonly epochMs: number }[];
}): string {
  const n = system.samples.length;
  if (n === 0) return 'no samples';
  const spanMs = system.samples[n - 1]!.epochMs - system.samples[0]!.epochMs;
  if (n < 3)
    return `only ${n} sample${n === 1 ? '' : 's'}: the profile was shorter than the sampling can follow (the peak memory card is exact)`;
  const gaps = system.samples
    .slice(1)
    .map((s, i) => s.epochMs - system.samples[i]!.epochMs)
    .sort((a, b) => a - b);
  const typical = gaps[Math.floor(gaps.length / 2)]!;
  return `${n} samples over ${formatMs(spanMs)}, one every ~${Math.max(1, Math.round(typical))} ms${spanMs > 1000 ? ` (${system.intervalMs} ms after the first second)` : ''}`;
}

/**
 * `text` cut to `max` characters in the middle, keeping more of the end: names that share a long
 * prefix ("If_0_then_branch__Inline_0__/decoder/...") differ at the end, and a cut at the end makes
 * every row read the same. "int8 static per-tensor asymmetric entropy" at 28 -> "int8 static…ymmetric entropy".
 */
export function cutMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…';
  const head = Math.max(max >= 3 ? 1 : 0, Math.floor((max - 1) * 0.4)); // at least the first character
  const tail = max - 1 - head;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}
