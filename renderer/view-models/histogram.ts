/**
 * Equal-width binning of latency samples for the latency histogram (app and HTML report).
 */

/** Bins over [edges[i], edges[i+1]); the last bin also holds the maximum. */
export interface Histogram {
  readonly edges: readonly number[]; // bins + 1 ascending edges
  readonly counts: readonly number[]; // one per bin; sums to the number of finite samples
}

/**
 * Bins samples into `bins` equal-width bins; by default about √n bins, at least 5 and at most 30
 * (never more bins than samples). Non-finite samples are ignored. All-equal samples give one bin.
 */
export function binSamples(samples: readonly number[], bins?: number): Histogram {
  const values = samples.filter((v) => Number.isFinite(v));
  if (values.length === 0) return { edges: [], counts: [] };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max === min) {
    // One bin around the single value, so it still draws with a width.
    const half = Math.max(Math.abs(min) * 0.01, 1e-6);
    return { edges: [min - half, max + half], counts: [values.length] };
  }
  const wanted = bins ?? Math.min(30, Math.max(5, Math.round(Math.sqrt(values.length))));
  const count = Math.max(1, Math.min(Math.floor(wanted), values.length));
  const width = (max - min) / count;
  const edges = Array.from({ length: count + 1 }, (_, i) => (i === count ? max : min + i * width));
  const counts = new Array<number>(count).fill(0);
  for (const v of values) {
    const i = Math.min(count - 1, Math.floor((v - min) / width));
    counts[i]!++;
  }
  return { edges, counts };
}
