/**
 * A comparison as one self-contained HTML page: the app's Compare results (table, Pareto, bars,
 * per-layer deltas, drift) drawn by the report page's script over the embedded comparison, and
 * under it, for readers with scripts off, the same numbers as tables, in the app's words.
 */
import type { Comparison } from '../../../shared/compare.js';
import { detectableText, DRIFT_COSINE, formatSnr, speedText, worstOutput } from '../../../shared/compare-summary.js';
import { formatBytes, formatMs, formatUs } from '../../../shared/format.js';
import { escapeHtml } from '../../../shared/html-escape.js';
import { renderHtmlPage } from './html.js';
import { strataVersion } from '../version.js';

const bar = (value: number, max: number) =>
  `<span style="display:inline-block;height:8px;width:${max > 0 ? Math.max(1, (value / max) * 120) : 0}px;background:#2f6fdb;border-radius:2px"></span>`;

/** The HTML page of `c`. */
export function renderComparisonHtml(c: Comparison): Promise<string> {
  return renderHtmlPage({
    title: `${c.models[0]?.fileName ?? 'models'} and ${c.models.length - 1} more — Strata comparison`,
    generator: strataVersion(),
    dataId: 'strata-comparison',
    json: JSON.stringify(c), // Infinity (an SNR of identical outputs) becomes null, as in the JSON export
    fallbackHtml: comparisonTables(c),
  });
}

// 1 - cosine, the app's "Error".
// The model table's columns, in the app's words.
const MODEL_COLUMNS = [
  'Model',
  'p50',
  'p50 95% CI',
  'p90',
  'Speed',
  'Detectable',
  'Size',
  'Params',
  'Peak RSS',
  'Cosine',
  'Error (1 − cosine)',
  'SNR',
];

const errorOf = (cosine: number) => (1 - cosine).toPrecision(3);

/** The comparison as plain tables (the page's no-script fallback). */
export function comparisonTables(c: Comparison): string {
  const maxP50 = Math.max(...c.models.map((m) => m.latency.p50Ms));
  const maxBytes = Math.max(...c.models.map((m) => m.bytes));
  const models = c.models
    .map((m, i) => {
      const worst = worstOutput(m);
      const ci = m.latency.p50CiMs;
      return `<tr><td>${escapeHtml(m.label)}</td><td>${formatMs(m.latency.p50Ms)} ${bar(m.latency.p50Ms, maxP50)}</td><td>${ci ? `${formatMs(ci[0])}–${formatMs(ci[1])}` : ''}</td><td>${formatMs(m.latency.p90Ms)}</td>
<td>${escapeHtml(speedText(m, i))}</td><td>${i === 0 ? '' : escapeHtml(detectableText(m))}</td>
<td>${formatBytes(m.bytes)} ${bar(m.bytes, maxBytes)}</td><td>${m.parameterCount}</td><td>${formatBytes(m.memory.peakRssBytes)}</td>
<td>${worst ? worst.cosine.toFixed(5) : 'baseline'}</td><td>${worst ? errorOf(worst.cosine) : ''}</td><td>${worst ? formatSnr(worst.snrDb) : ''}</td></tr>`;
    })
    .join('\n');
  const drift = c.models
    .filter((m) => m.fidelity?.drift.length)
    .map(
      (m) =>
        `<h3>${escapeHtml(m.label)}</h3><table><thead><tr><th>Tensor producer</th><th>Cosine</th><th>Error (1 − cosine)</th><th>SNR</th></tr></thead><tbody>${m
          .fidelity!.drift.map(
            (d) =>
              `<tr${d.cosine < DRIFT_COSINE ? ' class="bad"' : ''}><td>${escapeHtml(d.producer)}</td><td>${d.cosine.toFixed(5)}</td><td>${errorOf(d.cosine)}</td><td>${formatSnr(d.snrDb)}</td></tr>`,
          )
          .join('')}</tbody></table>`,
    )
    .join('\n');
  const layers = c.layers
    .map(
      (l) =>
        `<tr><td>${escapeHtml(l.name)}</td>${l.timesUs.map((t, i) => `<td>${t === null ? '–' : formatUs(t)}${i > 0 && l.deltasUs[i] !== null ? ` <small>(${l.deltasUs[i]! >= 0 ? '+' : ''}${formatUs(l.deltasUs[i]!)})</small>` : ''}</td>`).join('')}<td>${l.how}</td></tr>`,
    )
    .join('\n');
  // What changed in each variant's compute, and why it is slower: one section per variant that has either.
  const why = c.models
    .slice(1)
    .filter((m) => m.compute || m.diagnostics?.length)
    .map((m) => {
      const rate = c.matchRates?.find((r) => r.model === c.models.indexOf(m));
      return `<h3>${escapeHtml(m.label)}</h3>${m.compute ? `<p><b>Compute:</b> ${escapeHtml(m.compute.summary)}</p>` : ''}${rate ? `<p>${rate.matched} of ${rate.total} baseline layers matched (${rate.byLineage} through recorded lineage).</p>` : ''}${
        m.diagnostics?.length
          ? `<table><thead><tr><th>share</th><th>why</th><th>fix</th></tr></thead><tbody>${m.diagnostics.map((d) => `<tr><td>${(d.timeShare * 100).toFixed(1)}%</td><td>${escapeHtml(d.message)}</td><td>${escapeHtml(d.fix)}</td></tr>`).join('')}</tbody></table>`
          : ''
      }`;
    })
    .join('\n');
  return `<style>#static-summary table{border-collapse:collapse;margin:8px 0 16px}#static-summary td,#static-summary th{border-bottom:1px solid #d9dee5;padding:3px 10px;text-align:left}#static-summary tr.bad td{background:#fdecea}</style>
<h1>Strata comparison</h1><p>${escapeHtml(new Date(c.createdAt).toLocaleString())}; inputs ${c.inputs.map((i) => `${escapeHtml(i.name)} [${i.shape.join('×')}] ${escapeHtml(i.source)}`).join('; ')}; EPs ${c.plan.eps.join(', ')}.</p>
<table><thead><tr>${MODEL_COLUMNS.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${models}</tbody></table>
${
  c.timing
    ? `<p>Latency from ${c.timing.rounds} interleaved rounds in ${c.timing.blocks ?? 1} fresh workers (every model once per round, in a shuffled order, on the same input bytes); speed intervals at ${(c.timing.level * 100).toFixed(1)}% confidence; changes under ${(c.timing.noiseThreshold * 100).toFixed(0)}% are never called faster or slower.</p>${c.timing.warning ? `<p class="warn">${escapeHtml(c.timing.warning)}</p>` : ''}`
    : ''
}
${why ? `<h2>What changed, and why it is slower</h2>${why}` : ''}
<h2>Where outputs drift</h2>${drift || '<p>No intermediate tensors are shared by name.</p>'}
<h2>Layers</h2><table><thead><tr><th>Layer</th>${c.models.map((m) => `<th>${escapeHtml(m.label)}</th>`).join('')}<th>Matched by</th></tr></thead><tbody>${layers}</tbody></table>
`;
}
