/**
 * The self-contained HTML report: one file with the report's JSON, the app's result views built as
 * one inline script (dist/report-page, see vite.report.config.ts), and a plain summary for readers
 * with scripts off. A Content-Security-Policy forbids every request, so it opens offline anywhere.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StrataError } from '../../../shared/errors.js';
import { escapeHtml } from '../../../shared/html-escape.js';
import { formatBytes, formatMs, formatShare, formatUs } from '../../../shared/format.js';
import { containerNames, ownTimesUs } from '../../../shared/layer-time.js';
import type { Report } from '../../../shared/report.js';
import { strataRoot } from '../version.js';
import { serializeReportRows } from './report-json.js';

let template: Promise<{ script: string; style: string }> | null = null;

async function readTemplate(): Promise<{ script: string; style: string }> {
  const dir = join(strataRoot(), 'dist', 'report-page');
  try {
    const [script, style] = await Promise.all([
      readFile(join(dir, 'report.js'), 'utf8'),
      readFile(join(dir, 'report.css'), 'utf8'),
    ]);
    return { script, style };
  } catch {
    template = null;
    throw new StrataError('INTERNAL', 'The HTML report template is not built: run `npm run build`.');
  }
}

/** JSON safe inside a <script> element: no "</script", "<!--" or line separators can end it early. */
export function jsonForScript(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

// Scripts that must not ever be closed early by their own content.
function inlineScript(script: string): string {
  return script.replace(/<\/script/gi, '<\\/script');
}

/** What one self-contained page holds: its title, the data the script reads, and what shows with scripts off. */
export interface HtmlPage {
  readonly title: string;
  readonly generator: string; // Strata's version
  readonly dataId: 'strata-report' | 'strata-comparison'; // the script renders what it finds
  readonly json: string;
  readonly fallbackHtml: string; // inside <div id="static-summary">, removed by the script
}

/**
 * A page of the app's own views over embedded data (a report or a comparison): one inline script
 * allowed by its hash, every request forbidden, so the file opens offline anywhere.
 */
export async function renderHtmlPage(page: HtmlPage): Promise<string> {
  template ??= readTemplate();
  const { script, style } = await template;
  const code = inlineScript(script);
  const hash = createHash('sha256').update(code).digest('base64');
  const csp = `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="Strata ${escapeHtml(page.generator)}">
<title>${escapeHtml(page.title)}</title>
<style>${style.replace(/<\/style/gi, '<\\/style')}</style>
</head>
<body>
<div id="root"></div>
<div id="static-summary" style="padding:16px;font-family:system-ui,sans-serif">${page.fallbackHtml}</div>
<script type="application/json" id="${page.dataId}">${jsonForScript(page.json)}</script>
<script>${code}</script>
</body>
</html>
`;
}

/** The whole HTML document for `report`. */
export function renderHtmlReport(report: Report): Promise<string> {
  return renderHtmlPage({
    title: `${report.model.fileName} — Strata report`,
    generator: report.strataVersion,
    dataId: 'strata-report',
    json: serializeReportRows(report), // the page reads rows, not the files' packed columns
    fallbackHtml: staticSummary(report),
  });
}

// The numbers that matter, readable with scripts off (and by text tools); the script removes it.
// Layers rank by own time, so a control-flow layer does not rank above the kernels that ran inside it.
function staticSummary(report: Report): string {
  const { latency } = report;
  const own = ownTimesUs(report.layers);
  const containers = containerNames(report.layers);
  const rows = report.layers
    .map((l, i) => ({ l, own: own[i]! }))
    .sort((a, b) => b.own - a.own)
    .slice(0, 20)
    .map(
      ({ l, own: ownUs }) =>
        `<tr><td>${escapeHtml(l.name)}</td><td>${escapeHtml(l.opType)}</td><td>${formatUs(ownUs)}</td>` +
        `<td>${containers.has(l.name) ? `${formatUs(l.meanUs)} with its subgraph` : ''}</td><td>${formatShare(l.share)}</td></tr>`,
    )
    .join('');
  return `<h1>${escapeHtml(report.model.fileName)}</h1>
<p>Latency p50 ${formatMs(latency.p50Ms)}, p90 ${formatMs(latency.p90Ms)}, p99 ${formatMs(latency.p99Ms)}, cold ${formatMs(latency.coldMs)};
peak memory ${formatBytes(report.memory.peakRssBytes)}; ${report.layers.length} layers.</p>
<table><thead><tr><th>Layer</th><th>Op</th><th>Own time</th><th>Total</th><th>Share</th></tr></thead><tbody>${rows}</tbody></table>`;
}
