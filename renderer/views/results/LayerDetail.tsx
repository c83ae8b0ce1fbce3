/** The selected layer's numbers, shown under every results tab. */
import { formatBytes, formatShare, formatUs, providerLabel } from '../../../shared/format.js';
import type { Report } from '../../../shared/report.js';
import { layerWorkRows } from '../../charts/tooltip.js';
import { useAppStore } from '../../store/index.js';
import { containerTimesOf } from '../../view-models/report-memo.js';

/** A compact panel with the selected layer's details and a button to clear the selection. */
export function LayerDetail({ report }: { readonly report: Report }) {
  const selected = useAppStore((s) => s.selectedLayer);
  const selectLayer = useAppStore((s) => s.selectLayer);
  const layer = selected === null ? undefined : report.layers[selected];
  if (!layer) return null;
  const box = containerTimesOf(report.layers).get(layer.name);
  const rows: [string, string][] = [
    ['Op type', layer.opType],
    ['Module', layer.modulePath || '(top level)'],
    [
      'Provider',
      report.fallback?.layers.includes(layer.name)
        ? `⚠ ${layer.provider} (fell back from ${providerLabel(report.fallback.chosen)})`
        : layer.provider,
    ],
    ...(box
      ? ([
          ['Total', `${formatUs(layer.meanUs)} with the ${box.childCount} layers its subgraph ran`],
          ['Own time', formatUs(box.ownUs)],
        ] as [string, string][])
      : ([['Mean', formatUs(layer.meanUs)]] as [string, string][])),
    ...(layer.parent ? ([['Ran inside', layer.parent]] as [string, string][]) : []),
    ['p50 / p90', `${formatUs(layer.p50Us)} / ${formatUs(layer.p90Us)}`],
    ['Min / max', `${formatUs(layer.minUs)} / ${formatUs(layer.maxUs)}`],
    ['Share', formatShare(layer.share)],
    ['Calls per run', String(layer.calls)],
    ...layerWorkRows(layer),
    ['Arena in use', layer.arenaInUseBytes === null ? '–' : formatBytes(layer.arenaInUseBytes)],
  ];
  if (layer.workingSetBytes !== undefined) {
    rows.push([
      'Working set',
      `${formatBytes(layer.workingSetBytes)}${layer.cacheLevel ? ` (fits ${layer.cacheLevel})` : ''}`,
    ]);
  }
  if (layer.gpuUs !== null) rows.push(['GPU time', formatUs(layer.gpuUs)]);
  return (
    <aside className="layer-detail" aria-label="Selected layer">
      <header className="layer-detail-head">
        <h3 className="layer-detail-name" title={layer.name}>
          {layer.name || `#${layer.index}`}
        </h3>
        <button type="button" className="results-button" onClick={() => selectLayer(null)}>
          Clear selection
        </button>
      </header>
      <dl className="layer-detail-grid">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd title={v}>{v}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
