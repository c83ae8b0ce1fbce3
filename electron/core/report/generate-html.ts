/**
 * The generation profile as one self-contained HTML page: the same sections as the app's
 * Generation tab (TTFT curve, decode speed by depth, per-token timeline with the prefill block, KV
 * memory growth, layers by phase, the speculative panel) drawn as static SVG, plus llama-bench's
 * rows. No script, and a Content-Security-Policy that forbids every request: it opens offline.
 * The report's JSON rides along in a data block for tools.
 */
import { escapeHtml } from '../../../shared/html-escape.js';
import { formatBytes, formatMs, formatRange, formatUs } from '../../../shared/format.js';
import {
  phaseUnit,
  profiledPassNote,
  phaseUs,
  type GeneratePhase,
  type GenerateReport,
  type LayerPhaseTime,
  type TokenStep,
} from '../../../shared/generate.js';
import { strataVersion } from '../version.js';
import { lineChartSvg } from './svg-chart.js';

/** Series colours of the generation pages. */
export const GENERATE_COLORS = {
  target: '#2f6fde',
  draft: '#d9822b',
  measured: '#2e9e5b',
  computed: '#8a5cd1',
  rss: '#999999',
};
const MiB = 1024 * 1024;

/** The page's HTML. */
export function renderGenerateHtml(r: GenerateReport): string {
  const e = escapeHtml;
  const d = r.decoder;
  const sections: string[] = [];
  sections.push(summarySection(r));
  sections.push(`<section id="ttft"><h2>Time to first token by prompt length</h2>
${lineChartSvg({
  title: 'TTFT (prefill) against prompt length',
  xLabel: 'prompt tokens',
  yLabel: 'ms',
  series: [
    { name: 'TTFT (median)', color: GENERATE_COLORS.target, points: r.prompts.map((p) => [p.promptTokens, p.ttftMs]) },
  ],
})}
<table><thead><tr><th>prompt</th><th>TTFT</th><th>prompt tok/s</th><th>median step rate (tok/s)</th><th>per-token p50</th><th>p90</th></tr></thead><tbody>
${r.prompts.map((p) => `<tr><td>${p.promptTokens}</td><td>${formatMs(p.ttftMs)}</td><td>${p.promptTokensPerSec.toFixed(0)}</td><td>${p.decodeTokensPerSec.toFixed(1)}</td><td>${formatMs(p.decodeP50Ms)}</td><td>${formatMs(p.decodeP90Ms)}</td></tr>`).join('\n')}
</tbody></table></section>`);
  sections.push(`<section id="decode-depth"><h2>Decode speed by KV depth</h2>
${lineChartSvg({
  title: 'Median decode step rate (1000 / median step) against tokens in the cache',
  xLabel: 'KV depth (tokens)',
  yLabel: 'tokens/s',
  series: [
    { name: 'decode tok/s', color: GENERATE_COLORS.target, points: r.depth.map((p) => [p.depth, p.tokensPerSec]) },
  ],
})}</section>`);
  sections.push(`<section id="timeline"><h2>Per-token timeline</h2>
<p>One generation after a ${r.timeline[0]?.tokens ?? 0}-token prompt: the prefill block, then one box per decode step.</p>
${timelineSvg(r.timeline)}</section>`);
  const kv = r.kvMemory;
  sections.push(`<section id="kv-memory"><h2>KV cache memory</h2>
<p>At ${kv.points.at(-1)?.context ?? 0} tokens: computed ${formatBytes(kv.computedBytes)} (2 × ${d.layers} layers × ${d.kvHeads} KV heads × ${d.headDim} × context × ${d.kvBytesPerElement} bytes), measured ${formatBytes(kv.measuredBytes)} (${kv.ratio.toFixed(2)}×). Peak RSS ${formatBytes(r.peakRssBytes)}.</p>
${lineChartSvg({
  title: 'Memory growth as the context grows',
  xLabel: 'context (tokens)',
  yLabel: 'MiB',
  yFormat: (v) => v.toFixed(v < 10 ? 1 : 0),
  series: [
    {
      name: 'computed KV',
      color: GENERATE_COLORS.computed,
      dashed: true,
      points: kv.points.map((p) => [p.context, p.computedBytes / MiB]),
    },
    {
      name: 'measured (ArrayBuffers)',
      color: GENERATE_COLORS.measured,
      points: kv.points.map((p) => [p.context, p.measuredBytes / MiB]),
    },
    { name: 'RSS growth', color: GENERATE_COLORS.rss, points: kv.points.map((p) => [p.context, p.rssBytes / MiB]) },
  ],
})}
<p class="note">${e(kv.measure)}</p></section>`);
  sections.push(layersSection(r));
  if (r.speculative) sections.push(speculativeSection(r));
  sections.push(`<section id="llama-bench"><h2>llama-bench rows</h2>
<table><thead><tr><th>n_prompt</th><th>n_gen</th><th>n_depth</th><th>avg_ts</th><th>stddev_ts</th><th>samples_ts</th></tr></thead><tbody>
${r.llamaBench.map((b) => `<tr><td>${b.n_prompt}</td><td>${b.n_gen}</td><td>${b.n_depth}</td><td>${b.avg_ts.toFixed(2)}</td><td>${b.stddev_ts.toFixed(2)}</td><td>${b.samples_ts.map((t) => t.toFixed(1)).join(', ')}</td></tr>`).join('\n')}
</tbody></table></section>`);
  if (r.notes.length) sections.push(notesSection(r.notes));
  return generatePage({
    title: `Generation profile: ${e(r.model.name)}`,
    intro: `Decoder of ${d.layers} layers, ${d.kvHeads} KV heads × ${d.headDim}, vocabulary ${d.vocab}, ${d.kvElementType} cache${d.maxContext ? `, context up to ${d.maxContext}` : ''} (from ${e(d.source)}). onnxruntime ${e(r.ortVersion)}, ${r.threads || 'default'} threads, ${e(r.createdAt)}.${r.settings.clock === 'cpu' ? " Times are the worker's CPU time, not wall time." : ''}`,
    sections,
    dataId: 'strata-generate-report',
    data: r,
  });
}

/** The notes of a generation page, escaped. */
export function notesSection(notes: readonly string[]): string {
  return `<section id="notes"><h2>Notes</h2><ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></section>`;
}

/**
 * A generation page's shell, one for the profile and the comparison: no script, a
 * Content-Security-Policy that forbids every request, and the data as inert JSON for tools.
 */
export function generatePage(page: {
  readonly title: string; // HTML, escaped by the caller
  readonly heading?: string; // the page's h1 when it is not the title
  readonly intro: string; // HTML, escaped by the caller
  readonly sections: readonly string[];
  readonly dataId: string;
  readonly data: unknown;
  readonly extraStyle?: string;
}): string {
  const json = JSON.stringify(page.data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Strata ${escapeHtml(strataVersion())}">
<title>${page.title}</title>
<style>${GENERATE_PAGE_STYLE}${page.extraStyle ?? ''}</style></head>
<body><header><h1>${page.heading ?? page.title}</h1>
<p>${page.intro}</p></header>
<main>${page.sections.join('\n')}</main>
<script type="application/json" id="${page.dataId}">${json}</script>
</body></html>
`;
}

// The cards of the app's Generation view, as a table.
function summarySection(r: GenerateReport): string {
  const first = r.prompts[0];
  const last = r.prompts.at(-1);
  const deepest = r.depth.at(-1);
  const kv = r.kvMemory;
  const rows: [string, string, string][] = [
    ['TTFT', first ? formatMs(first.ttftMs) : '–', first ? `${first.promptTokens}-token prompt` : ''],
    [
      'Prompt tokens/s',
      last ? last.promptTokensPerSec.toFixed(0) : '–',
      last ? `${last.promptTokens}-token prompt` : '',
    ],
    [
      'Median step rate (tok/s)',
      first ? first.decodeTokensPerSec.toFixed(0) : '–',
      `1000 / per-token p50, not tokens over total time (that is avg_ts below)${deepest ? `; ${deepest.tokensPerSec.toFixed(0)} at depth ${deepest.depth}` : ''}`,
    ],
    ['Per-token p50', first ? formatMs(first.decodeP50Ms) : '–', first ? `p90 ${formatMs(first.decodeP90Ms)}` : ''],
    [
      'KV cache',
      formatBytes(kv.measuredBytes),
      `computed ${formatBytes(kv.computedBytes)} at ${kv.points.at(-1)?.context ?? 0} tokens (${kv.ratio.toFixed(2)}×)`,
    ],
    ['Peak memory', formatBytes(r.peakRssBytes), 'worker RSS'],
  ];
  return `<section id="summary"><h2>Summary</h2><table><tbody>
${rows.map(([k, v, hint]) => `<tr><td>${k}</td><td><strong>${v}</strong></td><td class="note">${escapeHtml(hint)}</td></tr>`).join('\n')}
</tbody></table></section>`;
}

// Per-module time in each phase: a bar chart per phase (the app's switch, all three shown) and the
// table with every phase's share.
function layersSection(r: GenerateReport): string {
  const steps = r.profiledPass.decodeSteps;
  const phases: GeneratePhase[] = ['prefill', 'decode', 'both'];
  const totals = phases.map((p) => r.layers.reduce((sum, l) => sum + phaseUs(l, p, steps), 0) || 1);
  const share = (l: LayerPhaseTime, i: number) => `${((100 * phaseUs(l, phases[i]!, steps)) / totals[i]!).toFixed(1)}%`;
  const sorted = [...r.layers].sort((a, b) => phaseUs(b, 'both', steps) - phaseUs(a, 'both', steps));
  return `<section id="layers"><h2>Layers by phase</h2>
<p>${escapeHtml(profiledPassNote(r.profiledPass))} Per generation = the prefill + ${steps} decode steps.</p>
<div class="phase-bars">${phases.map((p) => phaseBarsSvg(r, p)).join('')}</div>
<table><thead><tr><th>module</th><th>prefill (per pass)</th><th>decode (per step)</th><th>per generation</th><th>share of prefill</th><th>share of decode</th><th>share of generation</th></tr></thead><tbody>
${sorted
  .map(
    (l) =>
      `<tr><td>${escapeHtml(l.module)}</td><td>${formatUs(l.prefillUs)}</td><td>${formatUs(l.decodeUs)}</td><td>${formatUs(phaseUs(l, 'both', steps))}</td><td>${share(l, 0)}</td><td>${share(l, 1)}</td><td>${share(l, 2)}</td></tr>`,
  )
  .join('\n')}
</tbody></table></section>`;
}

// The modules with the most time in `phase` as horizontal bars (both: prefill and decode stacked).
function phaseBarsSvg(r: GenerateReport, phase: GeneratePhase, top = 12): string {
  const steps = r.profiledPass.decodeSteps;
  const rows = [...r.layers].sort((a, b) => phaseUs(b, phase, steps) - phaseUs(a, phase, steps)).slice(0, top);
  const max = Math.max(1e-9, ...rows.map((l) => phaseUs(l, phase, steps)));
  const label = 200;
  const width = 360;
  const bar = width - label - 60;
  const rowH = 18;
  const height = 24 + rows.length * rowH;
  const x = (us: number) => (us / max) * bar;
  const body = rows
    .map((l, i) => {
      const y = 22 + i * rowH;
      const total = phaseUs(l, phase, steps);
      const parts =
        phase === 'both'
          ? [
              [0, l.prefillUs, GENERATE_COLORS.draft],
              [l.prefillUs, l.decodeUs * steps, GENERATE_COLORS.target],
            ]
          : [[0, total, phase === 'prefill' ? GENERATE_COLORS.draft : GENERATE_COLORS.target]];
      const rects = parts
        .map(
          ([from, us, color]) =>
            `<rect x="${(label + x(from as number)).toFixed(1)}" y="${y}" width="${Math.max(0.5, x(us as number)).toFixed(1)}" height="${rowH - 5}" fill="${color}"/>`,
        )
        .join('');
      const name = l.module.length > 30 ? `…${l.module.slice(-29)}` : l.module;
      return `<text x="${label - 6}" y="${y + 10}" text-anchor="end" class="tick">${escapeHtml(name)}</text>${rects}<text x="${(label + x(total) + 4).toFixed(1)}" y="${y + 10}" class="tick">${formatUs(total)}</text>`;
    })
    .join('');
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Layers, ${phase}"><text x="4" y="14" class="chart-title">${escapeHtml(phaseUnit(phase, steps))}</text>${body}</svg>`;
}

function speculativeSection(r: GenerateReport): string {
  const s = r.speculative!;
  const paperBest = s.predicted.find((p) => p.gamma === s.bestGamma);
  const atBest = s.costedPredicted.find((p) => p.gamma === s.costedBestGamma);
  const measured = s.runs.find((p) => p.gamma === s.costedBestGamma);
  const level = `${Math.round(s.level * 100)}%`;
  const range = (x: { low: number; high: number }, digits = 2) => formatRange(x, { digits, none: 'too few pairs' });
  return `<section id="speculative"><h2>Speculative decoding</h2>
<p>Draft ${escapeHtml(s.draftPath)} (${s.draftLayers} layer${s.draftLayers === 1 ? '' : 's'}). Cost ratio c = ${s.costRatio.toFixed(3)} (draft step ${formatMs(s.draftStepMs)}, target step ${formatMs(s.targetStepMs)}; a round's first draft step, right after a target pass, ${formatMs(s.draftFirstStepMs)}); acceptance α = ${s.alpha.toFixed(3)} (${level}: ${range(s.alphaInterval, 3)}) over ${s.prompts} prompts of ${s.tokensPerPrompt} tokens. Predicted best γ = ${s.costedBestGamma} (S = ${atBest?.speedup.toFixed(2)}×, ${level} sampling interval ${range(s.costedAtBestInterval)}; best in ${level} of resamples: γ ${s.costedBestGammaRange.low}–${s.costedBestGammaRange.high})${measured ? `, measured ${measured.measuredSpeedup.toFixed(2)}× (${level}: ${range(measured.measuredInterval)}, ${measured.pairs} pairs)` : ''}. The paper's S(γ) puts the best at γ = ${s.bestGamma} (${paperBest?.speedup.toFixed(2)}×).</p>
<p class="note">α is the draft's greedy agreement with the target's own greedy continuation, each model reading the same prefix: the tokens a greedy speculative loop walks, so the prediction and the loop describe the same sequence. The prediction is the expected tokens per target pass, (1 − α<sup>γ+1</sup>) / (1 − α), taking acceptances as independent (Leviathan et al., 2023), over a round's cost as measured (mean times): the first draft step after a target pass (two tokens after a round that kept all its drafts, a share α<sup>γ</sup> of rounds), γ − 1 more, and a verification pass over γ + 1 tokens (v target steps). The paper's S(γ) counts that pass as one step (v = 1), which holds on a GPU, rarely on a CPU. Intervals: α, the best γ and the predicted S by resampling prompts whole and step times one by one, so they hold the sampling noise of the costs, not the error of the model of a round; measured speedups from the pairs of runs (the target alone and the loop right after it, per prompt and repetition).</p>
${lineChartSvg({
  title: 'Speedup against γ',
  xLabel: 'γ (draft tokens per round)',
  yLabel: 'speedup ×',
  yFormat: (v) => v.toFixed(1),
  series: [
    {
      name: 'predicted',
      color: GENERATE_COLORS.target,
      dashed: true,
      points: s.costedPredicted.map((p) => [p.gamma, p.speedup]),
    },
    {
      name: "paper's S",
      color: GENERATE_COLORS.computed,
      dashed: true,
      points: s.predicted.map((p) => [p.gamma, p.speedup]),
    },
    { name: 'measured loop', color: GENERATE_COLORS.measured, points: s.runs.map((p) => [p.gamma, p.measuredSpeedup]) },
  ],
})}
${lineChartSvg({
  title: 'Acceptance by draft position (largest γ run)',
  xLabel: 'draft position',
  yLabel: 'P(accepted | earlier accepted)',
  yFormat: (v) => v.toFixed(1),
  series: [
    {
      name: 'measured',
      color: GENERATE_COLORS.measured,
      points: (s.runs.at(-1)?.acceptanceByPosition ?? []).map((a, i) => [i + 1, a]),
    },
    {
      name: 'α',
      color: GENERATE_COLORS.target,
      dashed: true,
      points: (s.runs.at(-1)?.acceptanceByPosition ?? []).map((_, i) => [i + 1, s.alpha]),
    },
  ],
})}
<p>Greedy agreement α by generated position (the draft's token against the target's, each reading the target's prefix), averaged over the prompts: ${s.agreementByPosition.map((a, i) => `${i + 1}: ${a.toFixed(2)}`).join(', ')}.</p>
<table><thead><tr><th>γ</th><th>predicted</th><th>paper's S</th><th>v</th><th>measured (${level})</th><th>tokens/pass predicted</th><th>measured</th><th>round: draft / verify / other</th></tr></thead><tbody>
${s.runs.map((p) => `<tr><td>${p.gamma}</td><td>${p.costedSpeedup.toFixed(2)}×</td><td>${p.predictedSpeedup.toFixed(2)}×</td><td>${p.verifyCost.toFixed(2)}</td><td>${p.measuredSpeedup.toFixed(2)}× (${range(p.measuredInterval)})</td><td>${p.predictedAcceptedLength.toFixed(2)}</td><td>${p.meanAcceptedLength.toFixed(2)}</td><td>${formatMs(p.roundMs.draft)} / ${formatMs(p.roundMs.verify)} / ${formatMs(p.roundMs.other)}</td></tr>`).join('\n')}
</tbody></table></section>`;
}

/** The timeline as boxes on a time axis: the prefill block in its own colour, decode steps after it. */
export function timelineSvg(steps: readonly TokenStep[]): string {
  const width = 900;
  const height = 90;
  const end = steps.reduce((m, s) => Math.max(m, s.startMs + s.ms), 0) || 1;
  const x = (ms: number) => 10 + (ms / end) * (width - 20);
  const boxes = steps
    .map((s) => {
      const fill = s.phase === 'prefill' ? GENERATE_COLORS.draft : GENERATE_COLORS.target;
      return `<rect x="${x(s.startMs).toFixed(1)}" y="20" width="${Math.max(0.5, x(s.startMs + s.ms) - x(s.startMs) - 0.5).toFixed(1)}" height="36" fill="${fill}"><title>${s.phase} ${s.index}: ${formatMs(s.ms)}, ${s.tokens} tokens at depth ${s.depth}</title></rect>`;
    })
    .join('');
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Per-token timeline">${boxes}<text x="10" y="14" class="legend">prefill ${formatMs(steps[0]?.ms ?? 0)}</text><text x="${width - 10}" y="74" text-anchor="end" class="tick">${formatMs(end)}</text></svg>`;
}

/** The generation pages' style sheet (this page and the two-decoder comparison). */
export const GENERATE_PAGE_STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#fff}
header{padding:16px 24px;border-bottom:1px solid #e3e6ec}h1{font-size:20px;margin:0 0 4px}
main{padding:8px 24px 40px;max-width:1100px}section{margin:24px 0}h2{font-size:16px;margin:0 0 8px}
table{border-collapse:collapse;margin-top:8px}th,td{padding:3px 10px;border-bottom:1px solid #eceff3;text-align:right}
th:first-child,td:first-child{text-align:left}.note{color:#5b6475;font-size:12px;max-width:900px}
.phase-bars{display:flex;flex-wrap:wrap;gap:8px}td.note{text-align:left}.chart{display:block;margin:6px 0;max-width:100%;height:auto}.chart .grid{stroke:#eceff3}.chart .tick{font-size:11px;fill:#5b6475}
.chart .axis{font-size:12px;fill:#3a4252}.chart .legend{font-size:12px;fill:#3a4252}.chart .chart-title{font-size:13px;font-weight:600;fill:#1d2330}
@media (prefers-color-scheme: dark){body{background:#15181e;color:#dfe3ea}header{border-color:#2a2f39}th,td{border-color:#2a2f39}
.chart .grid{stroke:#2a2f39}.chart .chart-title,.chart .axis,.chart .legend{fill:#dfe3ea}}`;
