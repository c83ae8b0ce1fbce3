/**
 * The text `strata generate A --vs B` prints: the verdict, each speed with its interval, and the
 * metrics of both decoders side by side.
 */
import { formatBytes, formatMs } from '../../shared/format.js';
import { speedVerdictText, type GenerateComparison, type GenerateMetricPair } from '../../shared/generate-compare.js';

const pad = (text: string, width: number) => text.padStart(width);
const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '-');

/** The summary of a two-decoder comparison, as lines of text. */
export function formatGenerateCompareSummary(c: GenerateComparison): string {
  const lines: string[] = [`A: ${c.names[0]}   B: ${c.names[1]}`, '', c.verdict, ''];
  const level = `${(c.level * 100).toFixed(1)}% interval`;
  lines.push(
    `${'speed (A time / B time)'.padEnd(34)}${pad('A p50', 11)}${pad('B p50', 11)}${pad('A/B', 8)}${pad(level, 20)}  verdict`,
  );
  for (const s of c.speeds) {
    const interval = Number.isFinite(s.low) ? `${s.low.toFixed(2)}-${s.high.toFixed(2)}x` : '-';
    lines.push(
      `${s.what.padEnd(34)}${pad(formatMs(s.aMs), 11)}${pad(formatMs(s.bMs), 11)}${pad(times(s.ratio), 8)}${pad(interval, 20)}  ${speedVerdictText(s, c.noiseThreshold)}`,
    );
  }
  lines.push('', `${'metric'.padEnd(44)}${pad('A', 12)}${pad('B', 12)}${pad('B/A', 8)}`);
  for (const m of c.metrics)
    lines.push(`${m.metric.padEnd(44)}${pad(value(m, m.a), 12)}${pad(value(m, m.b), 12)}${pad(times(m.ratio), 8)}`);
  lines.push('', ...c.notes);
  return lines.join('\n');
}

function value(m: GenerateMetricPair, x: number): string {
  if (m.unit === 'ms') return formatMs(x);
  if (m.unit === 'bytes') return formatBytes(x);
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}
