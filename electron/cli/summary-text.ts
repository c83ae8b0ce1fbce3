/**
 * The readable summary `strata profile` prints: a latency line, where the time goes by layer and
 * by op type, cache and memory behaviour, and the notes the user should read. Pure: report in, text out.
 */
import {
  formatBytes,
  formatCount,
  formatGflops,
  formatMs,
  formatShare,
  formatUs,
  providerLabel,
} from '../../shared/format.js';
import type { Report } from '../../shared/report.js';
import { containerNames, ownTimesUs } from '../../shared/layer-time.js';
import { formatCacheSummary } from './summary-cache.js';

import { formatLatencyNoise } from '../../shared/noise.js';

/** The whole summary as lines of text, `top` rows per table. */
export function formatReportSummary(report: Report, top = 10): string {
  const { model, latency, session, memory, overhead } = report;
  const opset = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version;
  const lines = [
    `model    ${model.fileName}  ${formatBytes(model.bytes)}  ${model.nodeCount} nodes  ${formatCount(model.parameterCount, 'params')}${opset ? `  opset ${opset}` : ''}`,
    `device   ${report.device.cpu}, ${report.device.threads} threads; EPs ${report.eps.requested.join(', ')}; ` +
      `intra-op threads ${report.settings.plan.intraOpThreads || 'default'}`,
    `inputs   ${report.settings.inputs.map((i) => `${i.name} ${i.elementType}[${i.shape.join('x')}] ${i.source}`).join('; ')}`,
    ...formatProviderLines(report),
    '',
    `latency  p50 ${formatMs(latency.p50Ms)}  p90 ${formatMs(latency.p90Ms)}  p99 ${formatMs(latency.p99Ms)}  ` +
      `mean ${formatMs(latency.meanMs)} ± ${formatMs(latency.stddevMs)}  min ${formatMs(latency.minMs)}  max ${formatMs(latency.maxMs)}  ` +
      `(${latency.samplesMs.length} runs)`,
    `         cold ${formatMs(latency.coldMs)}  throughput ${latency.throughputPerSec.toFixed(1)} inferences/s`,
    ...(formatLatencyNoise(latency) ? [`noise    ${formatLatencyNoise(latency)}`] : []),
    ...(latency.noise?.warning ? [`warning  ${latency.noise.warning}`] : []),
    `session  load ${formatMs(session.loadMs)}  init ${formatMs(session.initMs)}  create ${formatMs(session.createMs)}`,
    `memory   peak RSS ${formatBytes(memory.peakRssBytes)}` +
      (memory.arenaPeakBytes === null ? '' : `  arena peak ${formatBytes(memory.arenaPeakBytes)}`),
    `profiled ${formatMs(report.profiledRunMeanMs)} per run (profiler on) = layers ${formatUs(report.profiledRunMeanMs * 1000 - overhead.meanUs)}` +
      ` + overhead ${formatUs(overhead.meanUs)} (${formatShare(overhead.share)})`,
    '',
    ...formatLayerTables(report, top),
    '',
    ...formatTable(
      `Top ${Math.min(top, report.opTypes.length)} of ${report.opTypes.length} op types` +
        (report.layers.some((l) => l.parent) ? ' (own time: control flow counts without the layers inside it)' : ''),
      ['op', 'count', 'p50', 'share', 'GFLOP/s'],
      report.opTypes
        .slice()
        .sort((a, b) => robustOpUs(b) - robustOpUs(a))
        .slice(0, top)
        .map((o) => [
          o.opType,
          String(o.count),
          formatUs(robustOpUs(o)),
          formatShare(o.share),
          formatGflops(o.gflopsPerSec),
        ]),
    ),
    '',
    ...formatCacheSummary(report),
  ];
  if (report.diagnostics?.length) lines.push('', 'Why is it slower?', ...formatDiagnostics(report.diagnostics));
  if (report.notes.length) lines.push('', 'Notes:', ...report.notes.map((n) => `  - ${n}`));
  return lines.join('\n');
}

/** The silent-fallback alarm and the time per provider, first thing under the inputs. */
export function formatProviderLines(report: Report): string[] {
  const lines: string[] = [];
  if (report.fallback) lines.push(`EPs      ${report.fallback.line}`);
  if (report.providers && report.providers.length > 1) {
    lines.push(
      `         ${report.providers.map((p) => `${providerLabel(p.name)} ${p.nodes} nodes ${formatShare(p.timeShare)}`).join(', ')} of the run time`,
    );
  }
  return lines;
}

/** One paragraph per diagnostic: the kind, the message, the fix. */
export function formatDiagnostics(diagnostics: NonNullable<Report['diagnostics']>): string[] {
  return diagnostics.flatMap((d) => [`  - [${d.kind}] ${d.message}`, `    fix: ${d.fix}`]);
}

/**
 * The slowest layers that do work themselves, then, when the model has any, the control-flow layers
 * (If, Loop, Scan) with their total (the layers inside included) and own time. Ranking a container
 * by its total beside the kernels inside it would count those kernels twice: an If at 98% above its
 * own Convs.
 */
function formatLayerTables(report: Report, top: number): string[] {
  const own = ownTimesUs(report.layers);
  const containers = containerNames(report.layers);
  const kernels = report.layers.filter((l) => !containers.has(l.name));
  // Ranked by the median over the profiled runs: one stalled run must not top the table.
  const ranked = kernels.sort((a, b) => b.p50Us - a.p50Us).slice(0, top);
  const lines = formatTable(
    `Top ${Math.min(top, kernels.length)} of ${kernels.length} layers` +
      (containers.size ? ' (control-flow layers below)' : ''),
    ['layer', 'op', 'provider', 'p50', 'share', 'GFLOP/s'],
    ranked.map((l) => [
      l.name,
      l.opType,
      shortProvider(l.provider),
      formatUs(l.p50Us) + (l.meanDrivenByOneRun ? ' *' : ''),
      formatShare(l.share),
      formatGflops(l.gflopsPerSec),
    ]),
  );
  if (ranked.some((l) => l.meanDrivenByOneRun)) {
    lines.push(
      '* one slow profiled run more than doubles its mean time (a preempted run, not the layer): ranked by the median',
    );
  }
  if (containers.size === 0) return lines;
  const inside = descendantCounts(report.layers);
  const flow = report.layers
    .map((l, i) => ({ l, own: own[i]! }))
    .filter(({ l }) => containers.has(l.name))
    .sort((a, b) => b.l.p50Us - a.l.p50Us)
    .slice(0, top);
  return [
    ...lines,
    '',
    ...formatTable(
      `Control flow: ${containers.size} layer${containers.size === 1 ? '' : 's'} running subgraphs (total includes the layers inside, listed above; own is the rest, its subgraph's executor overhead included)`,
      ['layer', 'op', 'total', 'own', 'share', 'layers inside'],
      flow.map(({ l, own: ownUs }) => [
        l.name,
        l.opType,
        formatUs(l.meanUs),
        formatUs(ownUs),
        formatShare(l.share),
        String(inside.get(l.name) ?? 0),
      ]),
    ),
  ];
}

// How many layers ran inside each layer, at any depth.
function descendantCounts(layers: Report['layers']): Map<string, number> {
  const parentOf = new Map(layers.filter((l) => l.parent).map((l) => [l.name, l.parent!]));
  const counts = new Map<string, number>();
  for (const layer of layers) {
    for (let p = layer.parent; p; p = parentOf.get(p)) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return counts;
}

// "CPUExecutionProvider" -> "CPU": the suffix is the same on every row.
function shortProvider(provider: string): string {
  return provider.replace(/ExecutionProvider$/, '');
}

const MAX_NAME = 48;

/** A titled, left-aligned text table; first column truncated from the left to keep the tail of long names. */
function formatTable(title: string, header: string[], rows: string[][]): string[] {
  const cells = [header, ...rows].map((row) =>
    row.map((cell, i) => (i === 0 && cell.length > MAX_NAME ? '…' + cell.slice(cell.length - MAX_NAME + 1) : cell)),
  );
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const render = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [title, ...cells.map(render)];
}

// An op type's time per run: its layers' median own times summed (the mean in older reports).
function robustOpUs(o: Report['opTypes'][number]): number {
  return o.ownP50Us ?? o.meanUs;
}
