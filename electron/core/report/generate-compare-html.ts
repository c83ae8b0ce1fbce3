/**
 * Two decoders' generation profiles as one self-contained HTML page: the verdict with its interval,
 * every speed compared with its statistics, the metrics side by side, and the app's charts with
 * both decoders on them (TTFT curves, decode speed by depth, per-token timelines, KV growth), then
 * per-module time of both by phase. No script; a Content-Security-Policy that forbids every request.
 */
import { escapeHtml } from '../../../shared/html-escape.js';
import { formatBytes, formatMs, formatUs } from '../../../shared/format.js';
import {
  speedSamplesText,
  speedVerdictText,
  type GenerateComparison,
  type GenerateMetricPair,
} from '../../../shared/generate-compare.js';
import { GENERATE_COLORS as C, generatePage, notesSection, timelineSvg } from './generate-html.js';
import { lineChartSvg } from './svg-chart.js';

const MiB = 1024 * 1024;

/** The page's HTML. */
export function renderGenerateCompareHtml(c: GenerateComparison): string {
  const e = escapeHtml;
  const { a, b } = c;
  const an = e(c.names[0]);
  const bn = e(c.names[1]);
  const both = (pick: (r: typeof a) => [number, number][], dashedA = true) => [
    { name: 'A', color: C.draft, dashed: dashedA, points: pick(a) },
    { name: 'B', color: C.target, points: pick(b) },
  ];
  const sections: string[] = [];
  sections.push(`<section id="verdict"><h2>Verdict</h2><p class="verdict">${e(c.verdict)}</p>
<table><thead><tr><th>speed</th><th>A p50</th><th>B p50</th><th>A / B</th><th>${(c.level * 100).toFixed(1)}% interval</th><th>samples</th><th>verdict</th></tr></thead><tbody>
${c.speeds
  .map(
    (s) =>
      `<tr><td>${e(s.what)}</td><td>${formatMs(s.aMs)}</td><td>${formatMs(s.bMs)}</td><td>${ratio(s.ratio)}</td><td>${Number.isFinite(s.low) ? `${s.low.toFixed(2)}–${s.high.toFixed(2)}×` : '–'}</td><td>${speedSamplesText(s)}</td><td>${speedVerdictText(s, c.noiseThreshold)}</td></tr>`,
  )
  .join('\n')}
</tbody></table></section>`);
  sections.push(`<section id="metrics"><h2>Side by side</h2>
<table><thead><tr><th>metric</th><th>A: ${an}</th><th>B: ${bn}</th><th>B / A</th></tr></thead><tbody>
${c.metrics.map((m) => `<tr><td>${e(m.metric)}</td><td>${value(m, m.a)}</td><td>${value(m, m.b)}</td><td>${ratio(m.ratio)}</td></tr>`).join('\n')}
</tbody></table></section>`);
  sections.push(`<section id="ttft"><h2>Time to first token by prompt length</h2>
${lineChartSvg({ title: 'TTFT against prompt length', xLabel: 'prompt tokens', yLabel: 'ms', series: both((r) => r.prompts.map((p) => [p.promptTokens, p.ttftMs])) })}</section>`);
  sections.push(`<section id="decode-depth"><h2>Decode speed by KV depth</h2>
${lineChartSvg({ title: 'Median decode step rate (1000 / median step) against tokens in the cache', xLabel: 'KV depth (tokens)', yLabel: 'tokens/s', series: both((r) => r.depth.map((p) => [p.depth, p.tokensPerSec])) })}</section>`);
  sections.push(`<section id="timeline"><h2>Per-token timelines</h2>
<p>A: ${an}, after a ${a.timeline[0]?.tokens ?? 0}-token prompt</p>${timelineSvg(a.timeline)}
<p>B: ${bn}, after a ${b.timeline[0]?.tokens ?? 0}-token prompt</p>${timelineSvg(b.timeline)}</section>`);
  sections.push(`<section id="kv-memory"><h2>KV cache memory</h2>
<p>A: ${a.decoder.kvElementType} cache, computed ${formatBytes(a.kvMemory.computedBytes)}, measured ${formatBytes(a.kvMemory.measuredBytes)}. B: ${b.decoder.kvElementType} cache, computed ${formatBytes(b.kvMemory.computedBytes)}, measured ${formatBytes(b.kvMemory.measuredBytes)}.</p>
${lineChartSvg({
  title: 'Measured KV memory as the context grows',
  xLabel: 'context (tokens)',
  yLabel: 'MiB',
  yFormat: (v) => v.toFixed(v < 10 ? 1 : 0),
  series: both((r) => r.kvMemory.points.map((p) => [p.context, p.measuredBytes / MiB])),
})}</section>`);
  const modules = [...new Set([...a.layers, ...b.layers].map((l) => l.module))];
  const of = (r: typeof a, m: string) => r.layers.find((l) => l.module === m);
  const us = (x: number | undefined) => (x === undefined ? '–' : formatUs(x));
  sections.push(`<section id="layers"><h2>Layers by phase</h2>
<table><thead><tr><th>module</th><th>A prefill</th><th>B prefill</th><th>A decode</th><th>B decode</th></tr></thead><tbody>
${modules.map((m) => `<tr><td>${e(m)}</td><td>${us(of(a, m)?.prefillUs)}</td><td>${us(of(b, m)?.prefillUs)}</td><td>${us(of(a, m)?.decodeUs)}</td><td>${us(of(b, m)?.decodeUs)}</td></tr>`).join('\n')}
</tbody></table><p class="note">Prefill per pass, decode per step, from each decoder's profiled pass.</p></section>`);
  sections.push(notesSection(c.notes));
  const sameSettings = JSON.stringify(a.settings) === JSON.stringify(b.settings);
  return generatePage({
    title: `Generation comparison: ${an} vs ${bn}`,
    heading: `Generation comparison: ${an} (A) vs ${bn} (B)`,
    intro: `${sameSettings ? 'Same settings for both' : 'Settings of A (B differs, see the notes)'}: prompt lengths ${a.settings.promptLengths.join(', ')}, ${a.settings.newTokens} new tokens, ${a.settings.reps} repetitions; onnxruntime ${e(a.ortVersion)}, ${e(c.createdAt)}.`,
    sections,
    dataId: 'strata-generate-compare',
    data: c,
    extraStyle: '.verdict{font-weight:600}',
  });
}

function ratio(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(2)}×` : '–';
}

function value(m: GenerateMetricPair, x: number): string {
  if (m.unit === 'ms') return formatMs(x);
  if (m.unit === 'bytes') return formatBytes(x);
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}
