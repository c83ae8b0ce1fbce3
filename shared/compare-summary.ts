/**
 * Readings of a Comparison that the CLI table, the HTML page and the app's Compare view all show:
 * the worst output of a variant, its error, where drift starts, and the latency/error Pareto front.
 * One definition here so the three never disagree.
 */
import type { ComparedModel, Comparison, OutputFidelity, TensorDrift } from './compare.js';

/**
 * A model's speed against the baseline as words, never claiming a change its interval does not
 * support: "1.31× faster (1.27–1.35×)", "no significant difference (0.97–1.04×)", "–" for the
 * baseline, '' when the comparison has no interval (made before interleaved timing).
 */
export function speedText(model: ComparedModel, index: number): string {
  if (index === 0) return '–';
  const s = model.speedup;
  if (!s || !model.verdict || !Number.isFinite(s.ratio)) return '';
  const range = `${s.low.toFixed(2)}–${s.high.toFixed(2)}×`;
  if (model.verdict === 'same') return `no significant difference (${range})`;
  return model.verdict === 'faster'
    ? `${s.ratio.toFixed(2)}× faster (${range})`
    : `${(1 / s.ratio).toFixed(2)}× slower (${(1 / s.high).toFixed(2)}–${(1 / s.low).toFixed(2)}×)`;
}

/** Short form for narrow cells and chart labels: "1.31× faster", "same", "1.30× slower". */
export function speedShort(model: ComparedModel, index: number): string {
  if (index === 0) return 'baseline';
  const s = model.speedup;
  if (!s || !model.verdict || !Number.isFinite(s.ratio)) return '';
  if (model.verdict === 'same') return 'no significant difference';
  return model.verdict === 'faster' ? `${s.ratio.toFixed(2)}× faster` : `${(1 / s.ratio).toFixed(2)}× slower`;
}

/** "±4%": the smallest change this run could have detected, for the model's tooltip and table. */
export function detectableText(model: ComparedModel): string {
  const d = model.detectableChange;
  return d !== undefined && Number.isFinite(d) ? `±${(d * 100).toFixed(d < 0.1 ? 1 : 0)}%` : '';
}

/** Cosine below which an intermediate tensor counts as drifted (the CLI and the app say so). */
export const DRIFT_COSINE = 0.999;

/** The output of `model` that drifts most from the baseline (lowest cosine); null for the baseline. */
export function worstOutput(model: ComparedModel): OutputFidelity | null {
  const outputs = model.fidelity?.outputs ?? [];
  let worst: OutputFidelity | null = null;
  for (const o of outputs) {
    // NaN (an output that could not be read) ranks worst: it must not pass for a faithful one.
    if (worst === null || !(o.cosine >= worst.cosine)) worst = o;
  }
  return worst;
}

/** Error as 1 − cosine, never below 0 (rounding); NaN for a cosine that could not be computed. */
export function cosineError(cosine: number): number {
  return Number.isFinite(cosine) ? Math.max(0, 1 - cosine) : Number.NaN;
}

/** Output error of `model` as 1 − cosine of its worst output: 0 for the baseline and exact copies. */
export function outputError(model: ComparedModel): number {
  const worst = worstOutput(model);
  return worst ? cosineError(worst.cosine) : 0;
}

/** The first intermediate tensor (in the baseline's execution order) whose cosine falls below `DRIFT_COSINE`. */
export function driftStart(model: ComparedModel): TensorDrift | null {
  return model.fidelity?.drift.find((d) => d.cosine < DRIFT_COSINE) ?? null;
}

/** SNR in dB as text; identical tensors have infinite SNR (stored as null in JSON). */
export function formatSnr(snrDb: number | null | undefined): string {
  if (snrDb === null || snrDb === undefined || snrDb === Number.POSITIVE_INFINITY) return '∞';
  return Number.isFinite(snrDb) ? `${snrDb.toFixed(1)} dB` : '–';
}

/**
 * Indices of the models on the latency/error Pareto front: no other model is at least as fast and
 * at least as faithful while strictly better in one. Ordered by latency.
 */
export function paretoFront(comparison: Comparison): number[] {
  const points = comparison.models.map((m, i) => ({ i, latency: m.latency.p50Ms, error: outputError(m) }));
  const valid = points.filter((p) => Number.isFinite(p.latency) && Number.isFinite(p.error));
  const dominated = (p: (typeof valid)[number]) =>
    valid.some(
      (q) => q !== p && q.latency <= p.latency && q.error <= p.error && (q.latency < p.latency || q.error < p.error),
    );
  return valid
    .filter((p) => !dominated(p))
    .sort((a, b) => a.latency - b.latency)
    .map((p) => p.i);
}
