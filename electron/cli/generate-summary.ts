/**
 * The text `strata generate` prints: TTFT per prompt length, decode speed per KV depth, the KV
 * cache computed against measured, the layers by phase, and the speculative pair's prediction
 * beside its measurement.
 */
import { formatBytes, formatMs, formatRange, formatUs } from '../../shared/format.js';
import type { GenerateReport } from '../../shared/generate.js';

const pad = (text: string, width: number) => text.padStart(width);
const rate = (tokensPerSec: number) => `${tokensPerSec >= 100 ? tokensPerSec.toFixed(0) : tokensPerSec.toFixed(1)}`;

/** The summary of a generation profile, as lines of text. */
export function formatGenerateSummary(r: GenerateReport, topLayers = 8): string {
  const d = r.decoder;
  const lines: string[] = [];
  lines.push(
    `${r.model.name}: decoder of ${d.layers} layers, ${d.kvHeads} KV heads x ${d.headDim}, vocabulary ${d.vocab}, ${d.kvElementType} cache` +
      (d.maxContext ? `, context up to ${d.maxContext}` : '') +
      ` (dims from ${d.source}); onnxruntime ${r.ortVersion}` +
      (r.settings.clock === 'cpu' ? "; times are the worker's CPU time" : ''),
  );
  lines.push('', 'Prefill and decode by prompt length (median of ' + r.settings.reps + ' runs)');
  lines.push(
    `${pad('prompt', 8)}${pad('TTFT', 11)}${pad('prompt tok/s', 14)}${pad('step rate/s', 14)}${pad('per-token p50', 15)}${pad('p90', 11)}`,
  );
  for (const p of r.prompts) {
    lines.push(
      `${pad(String(p.promptTokens), 8)}${pad(formatMs(p.ttftMs), 11)}${pad(rate(p.promptTokensPerSec), 14)}${pad(rate(p.decodeTokensPerSec), 14)}${pad(formatMs(p.decodeP50Ms), 15)}${pad(formatMs(p.decodeP90Ms), 11)}`,
    );
  }
  if (r.depth.length) {
    const pick = thin(r.depth, 8);
    lines.push('', 'Median decode step rate (1000 / median step) by KV depth (tokens already in the cache)');
    lines.push(pick.map((p) => `${p.depth}: ${rate(p.tokensPerSec)} tok/s`).join('   '));
  }
  const kv = r.kvMemory;
  const last = kv.points.at(-1);
  if (last) {
    lines.push(
      '',
      `KV cache at ${last.context} tokens: computed ${formatBytes(kv.computedBytes)}, measured ${formatBytes(kv.measuredBytes)} (${kv.ratio.toFixed(2)}x); ` +
        `RSS grew ${formatBytes(last.rssBytes)}; peak RSS ${formatBytes(r.peakRssBytes)}`,
    );
  }
  if (r.layers.length) {
    lines.push(
      '',
      `Layers by decode time per step (prefill per pass of ${Math.min(...r.settings.promptLengths)} tokens)`,
    );
    const top = [...r.layers].sort((a, b) => b.decodeUs - a.decodeUs).slice(0, topLayers);
    const width = Math.max(...top.map((l) => l.module.length), 6) + 2;
    for (const l of top)
      lines.push(
        `  ${l.module.padEnd(width)}${pad(formatUs(l.decodeUs), 10)} decode${pad(formatUs(l.prefillUs), 12)} prefill`,
      );
  }
  const s = r.speculative;
  if (s) {
    const level = `${Math.round(s.level * 100)}%`;
    const range = (x: { low: number; high: number }, digits = 2) =>
      formatRange(x, { digits, none: 'too few pairs', dash: '-' });
    const atBest = s.costedPredicted.find((p) => p.gamma === s.costedBestGamma);
    const paperBest = s.predicted.find((p) => p.gamma === s.bestGamma);
    lines.push(
      '',
      `Speculative with ${s.draftPath.split(/[\\/]/).slice(-2).join('/')} (${s.draftLayers} layer${s.draftLayers === 1 ? '' : 's'}): c = ${s.costRatio.toFixed(3)} ` +
        `(draft step ${formatMs(s.draftStepMs)}, first of a round ${formatMs(s.draftFirstStepMs)} / target step ${formatMs(s.targetStepMs)}), ` +
        `alpha = ${s.alpha.toFixed(3)} (${level}: ${range(s.alphaInterval, 3)}) over ${s.prompts} prompts; ` +
        `best gamma ${s.costedBestGamma} (S = ${atBest?.speedup.toFixed(2)}, ${level} sampling interval ${range(s.costedAtBestInterval)}; best in ${level} of resamples: ${s.costedBestGammaRange.low}-${s.costedBestGammaRange.high}), ` +
        `by the paper's S (verification = 1 step) ${s.bestGamma} (S = ${paperBest?.speedup.toFixed(2)})`,
    );
    lines.push(
      `${pad('gamma', 6)}${pad('predicted', 11)}${pad("paper's S", 11)}${pad('v', 6)}${pad(`measured (${level})`, 24)}${pad('tokens/pass', 13)}${pad('measured', 10)}  acceptance by position`,
    );
    for (const run of s.runs) {
      lines.push(
        `${pad(String(run.gamma), 6)}${pad(run.costedSpeedup.toFixed(2) + 'x', 11)}${pad(run.predictedSpeedup.toFixed(2) + 'x', 11)}${pad(run.verifyCost.toFixed(2), 6)}` +
          `${pad(`${run.measuredSpeedup.toFixed(2)}x (${range(run.measuredInterval)})`, 24)}` +
          `${pad(run.predictedAcceptedLength.toFixed(2), 13)}${pad(run.meanAcceptedLength.toFixed(2), 10)}  ${run.acceptanceByPosition.map((a) => a.toFixed(2)).join(' ')}`,
      );
    }
  }
  for (const note of r.notes) lines.push('', `Note: ${note}`);
  return lines.join('\n');
}

function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  return Array.from({ length: max }, (_, i) => items[Math.round((i * (items.length - 1)) / (max - 1))]!);
}
