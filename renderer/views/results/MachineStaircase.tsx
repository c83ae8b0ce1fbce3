/**
 * The machine's memory hierarchy in the Cache & memory tab: load latency and copy bandwidth against
 * working-set size as Strata measured them, the caches layers are placed by (with where each size
 * came from), each layer on the staircase, and a button to measure the machine again.
 */
import { useMemo } from 'react';
import type { ECElementEvent } from 'echarts/core';
import { formatBytes, formatGflops, formatGops } from '../../../shared/format.js';
import { hierarchyLevels } from '../../../shared/memory-hierarchy.js';
import type { MachineMeasurement, Report } from '../../../shared/report.js';
import { buildStaircaseOption, STAIRCASE_DIM } from '../../charts/staircase.js';
import { chartTheme } from '../../charts/theme.js';
import { EChart, usePrefersDark } from '../../components/echart.js';
import { useAppStore } from '../../store/index.js';
import { Cards } from './Cards.js';

/** The section: staircase, levels, disagreements, Re-measure. */
export function MachineStaircase({ report }: { readonly report: Report }) {
  const dark = usePrefersDark();
  const theme = chartTheme(dark);
  const selected = useAppStore((s) => s.selectedLayer);
  const selectLayer = useAppStore((s) => s.selectLayer);
  const option = useMemo(
    () => buildStaircaseOption(report, { selectedLayer: selected, theme }),
    [report, selected, theme],
  );
  const hierarchy = report.device.memoryHierarchy;
  const onClick = (event: ECElementEvent) => {
    if (event.seriesName !== 'layers') return;
    const layer = (event.value as number[] | undefined)?.[STAIRCASE_DIM.layer];
    if (layer !== undefined && report.layers[layer]) selectLayer(layer);
  };

  return (
    <>
      {hierarchy ? (
        <>
          <p className="cache-line muted">
            Measured by Strata on this machine {new Date(hierarchy.measuredAt).toLocaleString()} in{' '}
            {(hierarchy.durationMs / 1000).toFixed(1)} s
            {hierarchy.otherCpuPercent === null
              ? ''
              : `, other programs using ${hierarchy.otherCpuPercent}% of the CPU`}
            {hierarchy.busy
              ? ' (busy: the curve may be noisy; Strata measures it again when the machine is quiet)'
              : ''}
            . Boundaries found in the latency curve:{' '}
            {hierarchy.boundaries.length ? hierarchy.boundaries.map(formatBytes).join(', ') : 'none'}.
          </p>
          <Cards
            label="Memory levels as measured"
            cards={hierarchyLevels(hierarchy, report.device.caches).map((level) => ({
              // Sizes in the hint: card labels are set in capitals, which would read "KIB".
              label: level.name,
              value: `${level.latencyNs.toFixed(1)} ns`,
              hint: `${level.bytes === null ? 'past every cache' : `up to ${formatBytes(level.bytes)}`}; ${Math.round(level.bandwidthGBs)} GB/s copy, one core${hierarchy.busy ? ' (busy machine)' : ''}`,
            }))}
          />
          {hierarchy.disagreements.map((text) => (
            <p key={text} className="cache-reason">
              {text}
            </p>
          ))}
          {option && (
            <figure className="chart-card">
              <figcaption>
                Load latency (top) and copy bandwidth (bottom) against working-set size, one core; each dot on the
                bandwidth panel is a layer, at the bytes it touches and the rate it moved them. Copies under 16 KiB are
                short enough that call overhead lowers their rate
              </figcaption>
              <EChart
                option={option}
                height={440}
                label="Memory staircase: latency and bandwidth against working-set size"
                dark={dark}
                resetKey={report.createdAt}
                onItemClick={onClick}
                className="cache-staircase-chart"
              />
            </figure>
          )}
        </>
      ) : (
        <p className="muted">
          This report has no measured memory hierarchy (it was made before Strata measured one, or with cache sizes
          given).
        </p>
      )}
      <Remeasure report={report} />
    </>
  );
}

/** Re-measure: the button, and what the machine measures now against what the report used. */
function Remeasure({ report }: { readonly report: Report }) {
  const remeasure = useAppStore((s) => s.remeasure);
  const busy = useAppStore((s) => s.runId !== null);
  // The offline HTML report has no engine to measure with.
  const connected = useAppStore((s) => s.info !== null);
  if (!connected) return null;
  const threads = report.roofline?.threads ?? report.settings.plan.intraOpThreads;
  return (
    <div className="cache-remeasure">
      <button
        type="button"
        disabled={remeasure.running || busy}
        title={busy ? 'A profile is running: re-measure when it has finished.' : undefined}
        onClick={() => void useAppStore.getState().remeasureMachine(threads)}
      >
        {remeasure.running ? 'Measuring this machine…' : 'Re-measure this machine'}
      </button>
      <span className="muted">
        {remeasure.running
          ? 'Measuring caches, compute and memory ceilings again: 15 s on a quiet 2-core machine, longer when others are busy. Keep other programs quiet meanwhile.'
          : 'Caches and ceilings are measured once and cached; measure again after a busy first measurement or a hardware change.'}
      </span>
      {remeasure.result && <RemeasureResult result={remeasure.result} />}
    </div>
  );
}

function RemeasureResult({ result }: { readonly result: MachineMeasurement }) {
  const { ceilings, device } = result;
  return (
    <div className="cache-remeasured" role="status">
      <Cards
        label="Measured again now"
        cards={[
          { label: 'Float32 now', value: formatGflops(ceilings.peakGflops), hint: 'peak, MatMul' },
          ...(ceilings.peakInt8Gops
            ? [{ label: 'Int8 now', value: formatGops(ceilings.peakInt8Gops), hint: 'peak, MatMulInteger' }]
            : []),
          {
            label: 'Bandwidth now',
            value: `${ceilings.memBandwidthGBs.toFixed(1)} GB/s`,
            hint: 'streaming Mul, past L3',
          },
          {
            label: 'Caches (now)',
            value: device.caches ? `${formatBytes(device.caches.l1d)} / ${formatBytes(device.caches.l2)}` : 'unknown',
            hint: 'L1d / L2 of one core',
          },
        ]}
      />
      <p className="muted">
        {ceilings.busy
          ? `Other programs used ${ceilings.otherCpuPercent ?? '?'}% of the CPU meanwhile, so these may be low. `
          : ''}
        This report keeps the values it was made with: run the profile again to place its layers under these.
      </p>
    </div>
  );
}
