/** Summary: latency cards, the latency histogram, the run-by-run line, notes and overhead. */
import { useMemo } from 'react';
import { formatBytes, formatGflops, formatMs, formatShare, formatUs, providerLabel } from '../../../shared/format.js';
import { formatLatencyNoise } from '../../../shared/noise.js';
import type { Diagnostic, Report } from '../../../shared/report.js';
import { buildLatencyHistogramOption } from '../../charts/latency-histogram.js';
import { buildRunLineOption } from '../../charts/run-line.js';
import { chartTheme } from '../../charts/theme.js';
import { EChart, usePrefersDark } from '../../components/echart.js';
import { Notes } from '../../components/notes.js';
import { formatThroughput, formatWhole } from './view-format.js';
import { Cards, type Card } from './Cards.js';

/** The Summary tab. */
export function SummaryTab({ report }: { readonly report: Report }) {
  const dark = usePrefersDark();
  const theme = chartTheme(dark);
  const histogram = useMemo(() => buildLatencyHistogramOption(report, theme), [report, theme]);
  const runLine = useMemo(() => buildRunLineOption(report, theme), [report, theme]);
  const { latency, session, memory, overhead } = report;
  const cards: Card[] = [
    { label: 'Cold run', value: formatMs(latency.coldMs), hint: 'first run of a fresh session' },
    {
      label: 'p50',
      value: formatMs(latency.p50Ms),
      hint: latency.p50CiMs
        ? `95% CI ${formatMs(latency.p50CiMs[0])}–${formatMs(latency.p50CiMs[1])}`
        : `mean ${formatMs(latency.meanMs)} ± ${formatMs(latency.stddevMs)}`,
    },
    { label: 'p90', value: formatMs(latency.p90Ms), hint: `min ${formatMs(latency.minMs)}` },
    { label: 'p99', value: formatMs(latency.p99Ms), hint: `max ${formatMs(latency.maxMs)}` },
    {
      label: 'Throughput',
      value: formatThroughput(latency.throughputPerSec),
      hint: 'inferences per second, one at a time',
    },
    {
      label: 'Load time',
      value: formatMs(session.loadMs + session.initMs),
      hint: `load ${formatMs(session.loadMs)} + init ${formatMs(session.initMs)}`,
    },
    { label: 'Peak memory', value: formatBytes(memory.peakRssBytes), hint: 'worker resident set' },
  ];
  const noise = formatLatencyNoise(latency);
  const plan = report.settings.plan;
  return (
    <div className="summary">
      <p className="results-context">
        <strong>{report.model.fileName}</strong> · {report.eps.used.join(', ') || report.eps.requested.join(', ')} ·{' '}
        {report.device.cpu} ({report.device.cores} cores) · onnxruntime {report.device.onnxruntimeVersion} ·{' '}
        {formatWhole(latency.samplesMs.length, 'timed runs')}, {formatWhole(report.runs.length, 'profiled runs')} ·{' '}
        {formatWhole(report.layers.length, 'layers')}
        {plan.intraOpThreads > 0 ? ` · ${plan.intraOpThreads} intra-op threads` : ''}
      </p>
      <ProviderLine report={report} />
      <Cards label="Latency and memory" cards={cards} />
      {noise && (
        <p
          className={latency.noise?.warning ? 'noise-line noisy' : 'noise-line'}
          aria-label="Timing noise"
          title={latency.noise?.warning ?? 'The timing pass was quiet.'}
        >
          Timing noise: {noise}
          {latency.noise?.warning ? <strong> · noisy: see the note below</strong> : null}
        </p>
      )}
      <div className="chart-row">
        <figure className="chart-card">
          <figcaption>
            Latency distribution ({formatWhole(latency.samplesMs.length, 'timed runs')}, profiler off)
          </figcaption>
          <EChart option={histogram} height={260} label="Latency histogram" dark={dark} />
        </figure>
        <figure className="chart-card">
          <figcaption>Latency run by run (the cold run marked)</figcaption>
          <EChart option={runLine} height={260} label="Latency per run" dark={dark} />
        </figure>
      </div>
      <p className="overhead">
        Overhead per profiled run outside any node: <strong>{formatUs(overhead.meanUs)}</strong> (
        {formatShare(overhead.share)} of the profiled run’s {formatMs(report.profiledRunMeanMs)}).
      </p>
      <MachineLines report={report} />
      <Diagnostics diagnostics={report.diagnostics ?? []} />
      <Notes notes={report.notes} />
    </div>
  );
}

/** One line each for the hardware counters and the roofline, when the report has them. */
function MachineLines({ report }: { readonly report: Report }) {
  const { counters, roofline } = report;
  if (!counters && !roofline) return null;
  const memoryBound = roofline ? roofline.points.filter((p) => p.boundBy === 'memory').length : 0;
  return (
    <ul className="machine-lines">
      {counters && (
        <li>
          Hardware counters:{' '}
          {counters.available
            ? [
                counters.instructionsPerCycle !== null
                  ? `${counters.instructionsPerCycle.toFixed(2)} instructions per cycle`
                  : null,
                counters.cacheMissRate !== null ? `${formatShare(counters.cacheMissRate)} cache misses` : null,
              ]
                .filter(Boolean)
                .join(', ') || `counted with ${counters.tool}`
            : (counters.reason ?? 'not available on this machine.')}
        </li>
      )}
      {roofline && (
        <li>
          Roofline: peak {formatGflops(roofline.peakGflops)}, memory {roofline.memBandwidthGBs.toFixed(1)} GB/s at{' '}
          {roofline.threads} threads; {memoryBound} of {roofline.points.length} layers with FLOPs are memory-bound.
        </li>
      )}
    </ul>
  );
}

/**
 * The silent-fallback alarm, first under the title: "WebGPU ran 212 of 240 nodes, 41% of the run time;
 * 28 nodes fell back to CPU", the fallen-back layers listed, and the time per provider.
 */
function ProviderLine({ report }: { readonly report: Report }) {
  const { fallback, providers } = report;
  if (!fallback && (!providers || providers.length < 2)) return null;
  const fell = fallback?.layers ?? [];
  return (
    <section className={`provider-line${fell.length ? ' alarm' : ''}`} aria-label="Execution providers">
      {fallback && (
        <strong>
          {fell.length ? '⚠ ' : ''}
          {fallback.line}.
        </strong>
      )}{' '}
      {providers && providers.length > 0 && (
        <span className="muted">
          {providers
            .map(
              (p) =>
                `${providerLabel(p.name)}: ${formatWhole(p.nodes, 'nodes')}, ${formatShare(p.timeShare)} of the run time`,
            )
            .join(' · ')}
        </span>
      )}
      {fell.length > 0 && (
        <details>
          <summary>
            {formatWhole(fell.length, 'layers')} that fell back (marked ⚠ in Layers, dashed in the flame graph and
            timeline)
          </summary>
          <ul className="fallback-list">
            {fell.slice(0, 50).map((name) => {
              const layer = report.layers.find((l) => l.name === name);
              return (
                <li key={name}>
                  <code>{name}</code>{' '}
                  {layer ? `${layer.opType} on ${providerLabel(layer.provider)}, ${formatUs(layer.meanUs)}` : ''}
                </li>
              );
            })}
            {fell.length > 50 && <li className="muted">and {fell.length - 50} more</li>}
          </ul>
        </details>
      )}
    </section>
  );
}

/** "Why is this slower?": each diagnostic with its time cost and the fix. */
export function Diagnostics({
  diagnostics,
  title = 'Why is it slower?',
}: {
  readonly diagnostics: readonly Diagnostic[];
  readonly title?: string;
}) {
  if (diagnostics.length === 0) return null;
  return (
    <section className="diagnostics" aria-label={title}>
      <h3>{title}</h3>
      <ul>
        {diagnostics.map((d) => (
          <li key={d.kind}>
            <span className="diagnostic-share" title={`${formatUs(d.timeUs)} per run`}>
              {formatShare(d.timeShare)}
            </span>
            <div>
              <p>{d.message}</p>
              <p className="muted">Fix: {d.fix}</p>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
