/**
 * The Compare view: make variants of the open model (the settings grid) or bring others, run them all
 * the same way, and see speed, size, memory and output drift side by side, down to the layer.
 */
import { useMemo } from 'react';
import type { Comparison } from '../../../shared/compare.js';
import { formatShape } from '../../../shared/format.js';
import { buildCompareBarsOption } from '../../charts/compare-bars.js';
import { buildDriftOption, buildLayerDeltaOption, layerTail } from '../../charts/compare-layers.js';
import { buildParetoOption } from '../../charts/compare-pareto.js';
import { chartTheme } from '../../charts/theme.js';
import { EChart, usePrefersDark } from '../../components/echart.js';
import { Notes } from '../../components/notes.js';
import { MenuButton } from '../../components/menu-button.js';
import { useAppStore } from '../../store/index.js';
import { Diagnostics } from '../results/SummaryTab.js';
import { ComparedModelsTable } from './ComparedModelsTable.js';
import { VariantGridForm } from './VariantGridForm.js';
import { DevicesCompareForm } from '../devices/DevicesCompareForm.js';
import { TwoDecoders } from './TwoDecoders.js';
import { DECODER_IO_PHRASE, hasDecoderNames } from '../../../shared/decoder-names.js';
import '../results/results.css';
import './compare.css';

// A scatter reads the same at any number of models: it keeps its height, its x axis in view.
const PARETO_HEIGHT = 420;

/** The whole Compare view. */
export function CompareView() {
  const comparison = useAppStore((s) => s.comparison);
  const decoder = useAppStore((s) => s.summary !== null && hasDecoderNames(s.summary));
  return (
    <section className="results compare" aria-label="Compare">
      {/* A decoder is compared with another decoder first of all: its section leads. */}
      <TwoDecoders />
      <VariantGridForm />
      <DevicesCompareForm />
      {comparison ? (
        <CompareResults comparison={comparison} />
      ) : (
        <p className="muted compare-empty">
          No comparison yet: tick the variants to make (or add a model of your own) and press “Generate and compare”.
          {/* A decoder gets its own section above; for any other model, say what would bring it. */}
          {!decoder &&
            ` Two decoders (say fp32 and int8)? Open one exported with its KV cache (${DECODER_IO_PHRASE}) and compare its TTFT, decode speed and KV memory with another's here.`}
        </p>
      )}
    </section>
  );
}

/** The results of a comparison; `readOnly` (the exported HTML page) leaves out what needs the engine. */
export function CompareResults({
  comparison,
  readOnly = false,
}: {
  readonly comparison: Comparison;
  readonly readOnly?: boolean;
}) {
  const dark = usePrefersDark();
  const theme = chartTheme(dark);
  const chosen = useAppStore((s) => s.chosenModel);
  const chooseModel = useAppStore((s) => s.chooseModel);
  const pareto = useMemo(() => buildParetoOption(comparison, chosen, theme), [comparison, chosen, theme]);
  const latency = useMemo(
    () => buildCompareBarsOption(comparison, 'latency', chosen, theme),
    [comparison, chosen, theme],
  );
  const size = useMemo(() => buildCompareBarsOption(comparison, 'size', chosen, theme), [comparison, chosen, theme]);
  const deltas = useMemo(() => buildLayerDeltaOption(comparison, chosen, theme), [comparison, chosen, theme]);
  const drift = useMemo(() => buildDriftOption(comparison, chosen, theme), [comparison, chosen, theme]);
  const model = comparison.models[chosen] ?? comparison.models[0]!;
  const unmatched = comparison.unmatched.find((u) => u.model === chosen);
  const rate = comparison.matchRates?.find((r) => r.model === chosen);
  const barsHeight = 40 + comparison.models.length * 30;
  const onModelClick = (event: { dataIndex: number; seriesType?: string }) => chooseModel(event.dataIndex);

  return (
    <div className="compare-results">
      {!readOnly && <ComparisonMismatch comparison={comparison} />}
      <div className="chart-toolbar">
        {comparison.kind === 'devices' ? (
          <p className="results-context">
            <strong>{comparison.models.length} devices</strong>: {comparison.models.map((m) => m.device).join(', ')} ·{' '}
            {comparison.plan.eps.join(', ')} · {comparison.plan.timedRuns} timed runs each, each device on its own: runs
            are not interleaved across devices · {new Date(comparison.createdAt).toLocaleString()}
          </p>
        ) : (
          <p className="results-context">
            <strong>{comparison.models.length} models</strong> on the same inputs (
            {comparison.inputs.map((i) => `${i.name} ${formatShape(i.shape)} ${i.source}`).join('; ')}) ·{' '}
            {comparison.plan.eps.join(', ')} · {comparison.plan.timedRuns} timed runs each ·{' '}
            {new Date(comparison.createdAt).toLocaleString()}
          </p>
        )}
        {!readOnly && <ExportMenu />}
      </div>
      <ComparedModelsTable comparison={comparison} />
      <div className="chart-row">
        {/* One model on several devices: its outputs are not compared across them, so no error axis. */}
        {comparison.kind !== 'devices' && (
          <figure className="chart-card">
            <figcaption>
              Latency against output error (point size = file size; the dashed line is the Pareto front)
            </figcaption>
            <EChart
              option={pareto}
              height={PARETO_HEIGHT}
              label="Pareto chart of latency against output error"
              dark={dark}
              onItemClick={(e) => e.seriesType === 'scatter' && onModelClick(e)}
            />
          </figure>
        )}
        <figure className="chart-card">
          <figcaption>p50 latency (tick: p90)</figcaption>
          <EChart
            option={latency}
            height={barsHeight}
            label="Latency of each model"
            dark={dark}
            onItemClick={onModelClick}
          />
          <figcaption>File size</figcaption>
          <EChart
            option={size}
            height={barsHeight - 16}
            label="File size of each model"
            dark={dark}
            onItemClick={onModelClick}
          />
        </figure>
      </div>
      <h3 className="compare-chosen">
        Layer by layer: <span>{model.label}</span> against the baseline
      </h3>
      {chosen > 0 && model.compute && (
        <p className="compute-line">
          <strong>Compute:</strong> {model.compute.summary}
          {model.compute.unfused.length > 0
            ? ` (left Q→DQ→float: ${model.compute.unfused
                .slice(0, 4)
                .map((n) => layerTail(n, 28))
                .join(', ')}${model.compute.unfused.length > 4 ? '…' : ''})`
            : ''}
        </p>
      )}
      {chosen > 0 && (
        <Diagnostics diagnostics={model.diagnostics ?? []} title={`Why is ${model.label} slower, or not faster?`} />
      )}
      {chosen === 0 ? (
        <p className="muted">
          The baseline is chosen: pick a variant in the table or on a chart to see its layers and drift.
        </p>
      ) : (
        <div className="chart-row">
          <figure className="chart-card">
            <figcaption>Largest per-layer time changes (red slower, green faster)</figcaption>
            {deltas ? (
              <EChart option={deltas} height={360} label="Per-layer time change against the baseline" dark={dark} />
            ) : (
              <p className="muted">No layer of this model matched one of the baseline.</p>
            )}
            {unmatched && unmatched.layers.length > 0 && (
              <p className="hint muted" title={unmatched.layers.slice(0, 40).join('\n')}>
                {rate
                  ? `${rate.matched} of ${rate.total} baseline layers matched (${rate.byLineage} through recorded lineage); `
                  : ''}
                {unmatched.layers.length} of its layers have no counterpart in the baseline (new ops such as{' '}
                {unmatched.layers.slice(0, 2).join(', ')}).
              </p>
            )}
          </figure>
          <figure className="chart-card">
            <figcaption>Where the error starts: each shared intermediate tensor, in execution order</figcaption>
            {drift ? (
              <EChart
                option={drift}
                height={360}
                label="Error of each intermediate tensor against the baseline"
                dark={dark}
              />
            ) : (
              <p className="muted">
                This model shares no intermediate tensor names with the baseline (a distilled or re-exported model), so
                only its outputs are compared.
              </p>
            )}
          </figure>
        </div>
      )}
      <Notes notes={comparison.notes} />
    </div>
  );
}

function ExportMenu() {
  const chosen = useAppStore((s) => s.chosenModel);
  const label = useAppStore((s) => s.comparison?.models[s.chosenModel]?.label ?? '');
  const { exportChosenModel, exportComparison } = useAppStore.getState();
  return (
    <div className="compare-export">
      <button
        type="button"
        className="results-button"
        disabled={chosen === 0}
        onClick={() => void exportChosenModel()}
        title={`Save ${label} as an .onnx file`}
      >
        Export chosen model
      </button>
      <MenuButton
        align="right"
        items={[
          { key: 'html', content: 'HTML page (self-contained)', onSelect: () => void exportComparison('html') },
          { key: 'json', content: 'JSON (for scripts)', onSelect: () => void exportComparison('json') },
        ]}
      >
        Export comparison ▾
      </MenuButton>
    </div>
  );
}

/** Says when the comparison shown is not of the open model (another model was opened since). */
function ComparisonMismatch({ comparison }: { readonly comparison: Comparison }) {
  const summary = useAppStore((s) => s.summary);
  const baseline = comparison.models[0];
  if (!summary || !baseline || baseline.path === summary.path) return null;
  return (
    <p className="results-mismatch" role="note">
      These results compare <strong>{baseline.fileName}</strong> with its variants, not{' '}
      <strong>{summary.fileName}</strong> open in the sidebar. Generate and compare to measure {summary.fileName}.
    </p>
  );
}
