/**
 * Cache & memory: why a layer is slow on this machine. The working set of each layer against the
 * cache sizes, the roofline with this machine's measured ceilings, cold start against steady state,
 * and the hardware counters (or why there are none).
 */
import { useMemo } from 'react';
import type { ECElementEvent } from 'echarts/core';
import {
  formatBytes,
  formatCacheLevels,
  formatCeiling,
  formatGflops,
  formatGops,
  formatMs,
  formatShare,
} from '../../../shared/format.js';
import type { CeilingRaise, HardwareCounters, Report } from '../../../shared/report.js';
import { buildColdWarmOption, coldWarmChartHeight, coldWarmRatio, coldWarmRows } from '../../charts/cold-warm.js';
import { buildRooflineOption, formatIntensity, ROOFLINE_DIM } from '../../charts/roofline.js';
import { chartTheme } from '../../charts/theme.js';
import {
  buildWorkingSetOption,
  CACHE_LEVELS,
  cacheLevelColor,
  countByLevel,
  formatLevelTime,
  WORKING_SET_DIM,
  workingSetRows,
} from '../../charts/working-set.js';
import { ChartCard } from '../../components/chart-card.js';
import { usePrefersDark } from '../../components/echart.js';
import { Cards } from './Cards.js';
import { MachineStaircase } from './MachineStaircase.js';
import { useAppStore } from '../../store/index.js';
import './cache.css';

/** The Cache & memory tab. */
export function CacheTab({ report }: { readonly report: Report }) {
  const dark = usePrefersDark();
  const theme = chartTheme(dark);
  // Every chart here follows the colour scheme and keeps its zoom until another report arrives.
  const chartOfReport = { dark, resetKey: report.createdAt };
  const selected = useAppStore((s) => s.selectedLayer);
  const selectLayer = useAppStore((s) => s.selectLayer);
  const workingSet = useMemo(
    () => buildWorkingSetOption(report, { selectedLayer: selected, theme }),
    [report, selected, theme],
  );
  const roofline = useMemo(
    () => buildRooflineOption(report, { selectedLayer: selected, theme }),
    [report, selected, theme],
  );
  const coldWarm = useMemo(
    () => buildColdWarmOption(report, { selectedLayer: selected, theme }),
    [report, selected, theme],
  );
  const hasWorkingSet = useMemo(() => workingSetRows(report).length > 0, [report]);
  const coldRows = coldWarmRows(report).length;

  // Charts put the layer index in a known column of each value; clicking selects that layer.
  const selectFrom = (column: number) => (event: ECElementEvent) => {
    const value = event.value as number[] | undefined;
    const layer = value?.[column];
    if (layer !== undefined && report.layers[layer]) selectLayer(layer);
  };
  const selectColdRow = (event: ECElementEvent) => {
    const rows = [...coldWarmRows(report)].reverse(); // the chart draws them bottom-up
    const row = rows[event.dataIndex];
    if (row) selectLayer(row.layer);
  };

  return (
    <div className="cache">
      <section className="cache-section" aria-labelledby="cache-machine-title">
        <h3 id="cache-machine-title">Machine</h3>
        <Machine report={report} />
      </section>

      <section className="cache-section" aria-labelledby="cache-stair-title">
        <h3 id="cache-stair-title">Memory hierarchy</h3>
        <MachineStaircase report={report} />
      </section>

      <section className="cache-section" aria-labelledby="cache-ws-title">
        <h3 id="cache-ws-title">Working set per layer</h3>
        <CacheLine report={report} />
        {hasWorkingSet ? (
          <div className="cache-ws">
            <ChartCard
              caption="Bytes each layer touches per run (weights + inputs + outputs), against the caches of one core"
              option={workingSet}
              height={300}
              label="Working set per layer with cache sizes"
              {...chartOfReport}
              onItemClick={selectFrom(WORKING_SET_DIM.layer)}
              className="cache-ws-chart"
            />
            {report.layers.some((l) => l.cacheLevel) && <LevelTable report={report} />}
          </div>
        ) : (
          <p className="muted">This profile recorded no byte counts per layer, so working sets are unknown.</p>
        )}
      </section>

      <section className="cache-section" aria-labelledby="cache-roof-title">
        <h3 id="cache-roof-title">Roofline</h3>
        {roofline && report.roofline ? (
          <>
            <Ceilings report={report} />
            <ChartCard
              caption="Each layer with FLOPs by arithmetic intensity and achieved rate, under this machine’s roofs (point size = time)"
              option={roofline}
              height={380}
              label="Roofline chart"
              {...chartOfReport}
              onItemClick={selectFrom(ROOFLINE_DIM.layer)}
              className="cache-roofline-chart"
            />
          </>
        ) : (
          <p className="muted">
            No roofline in this report: ceilings are measured for the CPU execution provider only, and this profile ran
            on {report.eps.requested.join(', ')}
            {report.roofline ? '' : ' or skipped the measurement'}.
          </p>
        )}
      </section>

      <section className="cache-section" aria-labelledby="cache-cold-title">
        <h3 id="cache-cold-title">Cold against warm</h3>
        <ColdCards report={report} />
        {coldWarm ? (
          <ChartCard
            caption={`The ${coldRows} layers slowed most by a cold start: time in the profiled session’s first run against the warm mean`}
            option={coldWarm}
            height={coldWarmChartHeight(coldRows)}
            label="Cold against warm time per layer"
            {...chartOfReport}
            onItemClick={selectColdRow}
          />
        ) : (
          <p className="muted">
            {report.coldStart
              ? 'No layer was slower in the first run than warm.'
              : 'This report has no per-layer cold-start times.'}
          </p>
        )}
      </section>

      <section className="cache-section" aria-labelledby="cache-counters-title">
        <h3 id="cache-counters-title">Hardware counters</h3>
        <Counters counters={report.counters} />
      </section>
    </div>
  );
}

/** The device the profile ran on: what every number of this tab is relative to. */
function Machine({ report }: { readonly report: Report }) {
  const d = report.device;
  const gpus =
    d.gpus === undefined
      ? 'not recorded in this report'
      : d.gpus.length === 0
        ? 'none listed by the OS (usual in VMs and containers)'
        : d.gpus.map((g) => `${g.vendor} ${g.model}${g.vramBytes ? `, ${formatBytes(g.vramBytes)}` : ''}`).join('; ');
  const rows: [string, string][] = [
    ['CPU', `${d.cpu}: ${d.cores} cores, ${d.threads} threads (${d.arch})`],
    [
      'Caches',
      d.caches
        ? `${formatCacheLevels(d.caches)}${d.caches.l1i ? `; L1i ${formatBytes(d.caches.l1i)}` : ''}`
        : 'unknown',
    ],
    ['Memory', formatBytes(d.memoryBytes)],
    ['OS', d.os],
    ['GPUs', gpus],
    ['Usable EPs', d.usableEps ? d.usableEps.join(', ') : 'not recorded in this report'],
    ['onnxruntime', d.onnxruntimeVersion],
  ];
  return (
    <dl className="cache-machine">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The cache sizes the levels were judged against, and where each came from. */
function CacheLine({ report }: { readonly report: Report }) {
  const caches = report.device.caches;
  if (!caches)
    return (
      <p className="muted">
        The cache sizes of this machine could not be read or measured, so layers are not placed in a cache level.
      </p>
    );
  return (
    <p className="cache-line muted">
      Caches of one core on {report.device.cpu}: {formatCacheLevels(caches)}.
    </p>
  );
}

/** Layers and time per cache level, doubling as the chart's colour legend. */
function LevelTable({ report }: { readonly report: Report }) {
  const theme = chartTheme(usePrefersDark());
  const counts = countByLevel(report);
  const total = CACHE_LEVELS.reduce((s, l) => s + counts[l].meanUs, 0);
  return (
    <table className="cache-levels" aria-label="Layers per cache level">
      <thead>
        <tr>
          <th scope="col">Fits in</th>
          <th scope="col">Layers</th>
          <th scope="col">Time</th>
        </tr>
      </thead>
      <tbody>
        {CACHE_LEVELS.map((level) => (
          <tr key={level}>
            <th scope="row">
              <span className="swatch" style={{ background: cacheLevelColor(level, theme) }} aria-hidden="true" />
              {level}
            </th>
            <td>{counts[level].layers.toLocaleString('en-US')}</td>
            <td>
              {formatLevelTime(counts[level].meanUs)}
              {total > 0 && counts[level].meanUs > 0 ? (
                <span className="muted"> ({formatShare(counts[level].meanUs / total)})</span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The measured ceilings and the split of layers between the roofs. */
function Ceilings({ report }: { readonly report: Report }) {
  const r = report.roofline!;
  const memory = r.points.filter((p) => p.boundBy === 'memory').length;
  const measured = new Date(r.measuredAt);
  const raisedBy = (ceiling: CeilingRaise['ceiling']) => r.raised?.find((x) => x.ceiling === ceiling);
  const hint = (ceiling: CeilingRaise['ceiling'], measuredWith: string) => {
    const raise = raisedBy(ceiling);
    return raise
      ? `raised by ${raise.layer} on ${raise.at.slice(0, 10)} (measured ${formatCeiling(ceiling, raise.from)})`
      : measuredWith;
  };
  const when = Number.isNaN(measured.getTime()) ? r.measuredAt : measured.toLocaleString();
  const cards = [
    { label: 'Peak compute', value: formatGflops(r.peakGflops), hint: hint('peakGflops', 'float32 MatMul, measured') },
    ...(r.peakInt8Gops
      ? [
          {
            label: 'Int8 compute',
            value: formatGops(r.peakInt8Gops),
            hint: hint('peakInt8Gops', 'MatMulInteger, measured; int8 layers sit under it'),
          },
        ]
      : []),
    {
      label: 'Memory bandwidth',
      value: `${r.memBandwidthGBs.toFixed(1)} GB/s`,
      hint: hint('memBandwidthGBs', 'streaming Mul, past L3'),
    },
    {
      label: 'Ridge',
      value: `${formatIntensity(r.ridgeIntensity)} FLOP/B`,
      hint: 'memory-bound below, compute-bound above',
    },
    {
      label: 'Threads',
      value: String(r.threads),
      hint: `measured ${when}${r.busy ? `, machine busy (${r.otherCpuPercent ?? '?'}% CPU used by others)` : r.otherCpuPercent != null ? `, others at ${r.otherCpuPercent}% CPU` : ''}`,
    },
    { label: 'Layers', value: `${memory} / ${r.points.length - memory}`, hint: 'memory- / compute-bound (with FLOPs)' },
  ];
  return <Cards label="Roofline ceilings" cards={cards} />;
}

/** Cold run, warm p50, their ratio and the session's set-up phases. */
function ColdCards({ report }: { readonly report: Report }) {
  const cold = report.coldStart?.coldMs ?? report.latency.coldMs;
  const warm = report.coldStart?.warmP50Ms ?? report.latency.p50Ms;
  const ratio = coldWarmRatio(report);
  const { session } = report;
  const cards = [
    { label: 'Cold run', value: formatMs(cold), hint: 'first run of a fresh session' },
    { label: 'Warm p50', value: formatMs(warm), hint: 'steady state, profiler off' },
    {
      label: 'Cold / warm',
      value: ratio === null ? '–' : `${ratio.toFixed(ratio >= 10 ? 0 : 1)}×`,
      hint: 'first run against steady state',
    },
    ...(report.coldStart
      ? [
          {
            label: 'Profiled first run',
            value: formatMs(report.coldStart.profiledColdMs),
            hint: 'profiler on, per layer below',
          },
        ]
      : []),
    { label: 'Session load', value: formatMs(session.loadMs), hint: 'reading and parsing the model' },
    { label: 'Session init', value: formatMs(session.initMs), hint: 'optimisation, kernels, allocation' },
    { label: 'Create', value: formatMs(session.createMs), hint: 'creating the session, wall time' },
  ];
  return <Cards label="Cold start" cards={cards} />;
}

/** Counter values where counted, else the plain reason. */
function Counters({ counters }: { readonly counters: HardwareCounters | undefined }) {
  if (!counters) return <p className="muted">This report was made without counting hardware events.</p>;
  const counted = counters.values.filter((v) => v.value !== null);
  return (
    <div className="cache-counters">
      {!counters.available && (
        <p className="cache-reason">{counters.reason ?? 'Hardware counters are not available on this machine.'}</p>
      )}
      {counters.available && (
        <p>
          {[
            counters.instructionsPerCycle !== null
              ? `${counters.instructionsPerCycle.toFixed(2)} instructions per cycle`
              : null,
            counters.cacheMissRate !== null
              ? `${formatShare(counters.cacheMissRate)} of cache references missed`
              : null,
          ]
            .filter(Boolean)
            .join(' · ') || `Counted with ${counters.tool}.`}
        </p>
      )}
      {counted.length > 0 && (
        <table className="cache-counter-table" aria-label="Counted events">
          <tbody>
            {counted.map((v) => (
              <tr key={v.event}>
                <th scope="row">{v.event}</th>
                <td>
                  {v.value!.toLocaleString('en-US', { maximumFractionDigits: 1 })}
                  {v.unit ? ` ${v.unit}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {counters.values.some((v) => v.value === null) && (
        <p className="muted">
          Not supported here:{' '}
          {counters.values
            .filter((v) => v.value === null)
            .map((v) => v.event)
            .join(', ')}
          .
        </p>
      )}
    </div>
  );
}
