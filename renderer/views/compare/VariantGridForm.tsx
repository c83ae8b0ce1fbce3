/**
 * The settings grid: tick values along each quantization axis and every combination is generated,
 * plus fp16 and pruning; bring other models (a distilled one, say); then generate and compare.
 */
import { useState } from 'react';
import { formatBytes } from '../../../shared/format.js';
import { expandVariantGrid, toggleAxis, type VariantGrid } from '../../view-models/variant-grid.js';
import type { CompareProgress } from '../../store/app-state.js';
import { pickFile } from '../../api/platform.js';
import { HiddenFileInput } from '../../components/hidden-file-input.js';
import { useAppStore } from '../../store/index.js';
import { formatTimeLeft } from '../shell/RunProgress.js';

/** One tickable value of an axis. */
interface AxisChoice<T> {
  readonly value: T;
  readonly label: string;
  readonly title?: string;
}

const MODES: readonly AxisChoice<VariantGrid['modes'][number]>[] = [
  {
    value: 'dynamic',
    label: 'dynamic (int8 compute)',
    title:
      'Conv, MatMul and Gemm compute in int8 (ConvInteger, DynamicQuantizeMatMul); activation scales computed at run time',
  },
  {
    value: 'static',
    label: 'static (QDQ)',
    title:
      'Weights and activations quantized; activation ranges calibrated on inputs; onnxruntime fuses them into QLinear ops',
  },
  {
    value: 'weight-only',
    label: 'weight-only int8',
    title: 'Weights stored in int8 and dequantized at load: a smaller file, the same float compute',
  },
];
const GRANULARITY: readonly AxisChoice<boolean>[] = [
  { value: false, label: 'per-tensor', title: 'One scale per weight tensor' },
  { value: true, label: 'per-channel', title: 'One scale per output channel' },
];
const RANGE: readonly AxisChoice<boolean>[] = [
  { value: false, label: 'asymmetric', title: 'Scale and zero point fitted to min and max' },
  { value: true, label: 'symmetric', title: 'Zero point 0, range ±max|w|' },
];
const WEIGHT_TYPES: readonly AxisChoice<VariantGrid['weightTypes'][number]>[] = [
  { value: 'int8', label: 'int8' },
  { value: 'uint8', label: 'uint8' },
];
const CALIBRATIONS: readonly AxisChoice<VariantGrid['calibrations'][number]>[] = [
  { value: 'minmax', label: 'min-max', title: 'Observed min and max' },
  { value: 'percentile', label: 'percentile', title: '0.01th and 99.99th percentiles: clips rare outliers' },
  { value: 'entropy', label: 'entropy', title: 'Threshold losing the least information (KL divergence)' },
];

function Axis<T>({
  legend,
  choices,
  values,
  onChange,
  disabled,
}: {
  legend: string;
  choices: readonly AxisChoice<T>[];
  values: readonly T[];
  onChange: (next: T[]) => void;
  disabled?: boolean;
}) {
  const order = choices.map((c) => c.value);
  return (
    <fieldset className="grid-axis" disabled={disabled}>
      <legend>{legend}</legend>
      {choices.map((c) => (
        <label key={c.label} title={c.title}>
          <input
            type="checkbox"
            checked={values.includes(c.value)}
            onChange={(e) => onChange(toggleAxis(values, c.value, e.target.checked, order))}
          />
          {c.label}
        </label>
      ))}
    </fieldset>
  );
}

/** The grid, the brought models, and the run controls. */
export function VariantGridForm() {
  const summary = useAppStore((s) => s.summary);
  const grid = useAppStore((s) => s.grid);
  const brought = useAppStore((s) => s.brought);
  const progress = useAppStore((s) => s.compareProgress);
  const { setGrid, startCompare, cancelCompare, dropBroughtModel } = useAppStore.getState();
  // The sparsity field keeps its value while unstructured pruning is unticked.
  const [sparsityPct, setSparsityPct] = useState(() =>
    Math.round((grid.prune.find((p) => p.pattern === 'unstructured')?.sparsity ?? 0.5) * 100),
  );
  const running = progress !== null;
  const profiling = useAppStore((s) => s.runId !== null || s.progress !== null);
  const variants = expandVariantGrid(grid).length;
  const models = 1 + variants + brought.length;
  const unstructured = grid.prune.some((p) => p.pattern === 'unstructured');
  const twoFour = grid.prune.some((p) => p.pattern === '2:4');

  const setPrune = (next: { unstructured: boolean; twoFour: boolean; pct: number }) => {
    const prune: VariantGrid['prune'][number][] = [];
    if (next.unstructured) prune.push({ sparsity: next.pct / 100, pattern: 'unstructured' });
    if (next.twoFour) prune.push({ sparsity: 0.5, pattern: '2:4' });
    setGrid({ prune });
  };
  const bring = () => pickFile(useAppStore.getState().pickBroughtModel, 'bring-model-input');

  return (
    <section className="compare-setup" aria-label="Variants to compare">
      <div className="compare-setup-head">
        <h2>Variants of {summary?.fileName ?? 'the open model'}</h2>
        <span className="muted">Every model runs with the run settings on the left and the same input data.</span>
      </div>
      <div className="grid-axes">
        <fieldset className="grid-group" disabled={running}>
          <legend>Quantize (every combination)</legend>
          <div className="grid-axes-row">
            <Axis legend="Mode" values={grid.modes} onChange={(modes) => setGrid({ modes })} choices={MODES} />
            <Axis
              legend="Granularity"
              values={grid.perChannel}
              onChange={(perChannel) => setGrid({ perChannel })}
              choices={GRANULARITY}
            />
            <Axis
              legend="Range"
              values={grid.symmetric}
              onChange={(symmetric) => setGrid({ symmetric })}
              choices={RANGE}
            />
            <Axis
              legend="Weights"
              values={grid.weightTypes}
              onChange={(weightTypes) => setGrid({ weightTypes })}
              choices={WEIGHT_TYPES}
            />
            <Axis
              legend="Calibration"
              disabled={!grid.modes.includes('static')}
              values={grid.calibrations}
              onChange={(calibrations) => setGrid({ calibrations })}
              choices={CALIBRATIONS}
            />
          </div>
        </fieldset>
        <fieldset className="grid-group" disabled={running}>
          <legend>Other transforms</legend>
          <label>
            <input type="checkbox" checked={grid.fp16} onChange={(e) => setGrid({ fp16: e.target.checked })} />
            float16 (inputs and outputs stay float32)
          </label>
          <label>
            <input
              type="checkbox"
              checked={unstructured}
              onChange={(e) => setPrune({ unstructured: e.target.checked, twoFour, pct: sparsityPct })}
            />
            prune, unstructured, to
            <input
              type="number"
              className="pct"
              min={5}
              max={95}
              step={5}
              value={sparsityPct}
              aria-label="Pruning sparsity (%)"
              onChange={(e) => {
                const pct = Number(e.target.value);
                if (!(pct > 0 && pct < 100)) return;
                setSparsityPct(pct);
                if (unstructured) setPrune({ unstructured, twoFour, pct });
              }}
            />
            % sparsity
          </label>
          <label>
            <input
              type="checkbox"
              checked={twoFour}
              onChange={(e) => setPrune({ unstructured, twoFour: e.target.checked, pct: sparsityPct })}
            />
            prune 2:4 (two of every four weights)
          </label>
        </fieldset>
        <fieldset className="grid-group brought" disabled={running}>
          <legend>Your own models</legend>
          <p className="muted">
            A distilled or retrained model with the same inputs: matched by name, then by position and shape.
          </p>
          <ul aria-label="Models brought into the comparison">
            {brought.map((b) => (
              <li key={b.path}>
                <span title={b.path}>{b.fileName}</span>
                <span className="muted">{formatBytes(b.bytes)}</span>
                <button type="button" aria-label={`Remove ${b.fileName}`} onClick={() => dropBroughtModel(b.path)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <button type="button" onClick={bring}>
            Add a model…
          </button>
          <HiddenFileInput
            id="bring-model-input"
            accept=".onnx"
            label="Model to compare"
            onFile={(file) => void useAppStore.getState().bringModelFile(file)}
          />
        </fieldset>
      </div>
      <div className="compare-actions">
        <button
          type="button"
          className="primary"
          disabled={!summary || running || profiling || models < 2}
          title={profiling ? 'A profile is running: cancel it or wait for it to finish first' : undefined}
          onClick={() => void startCompare()}
        >
          Generate and compare
        </button>
        <button
          type="button"
          disabled={!running}
          onClick={() => void cancelCompare()}
          aria-label="Cancel comparison"
          title="Esc"
        >
          Cancel
        </button>
        <span className="muted" aria-live="polite">
          {variants} variant{variants === 1 ? '' : 's'}
          {brought.length ? ` + ${brought.length} of your own` : ''} against the baseline: {models} model
          {models === 1 ? '' : 's'} to run
        </span>
      </div>
      {progress && <CompareProgressBar />}
    </section>
  );
}

// The engine weighs the stages and gives the whole job's fraction; older servers did not.
function compareFraction(p: CompareProgress): number {
  if (p.job) return p.job.fraction;
  if (p.stage === 'generating') return 0;
  if (p.stage === 'profile') return (0.9 * (p.model + (p.progress?.fraction ?? 0))) / p.models;
  return 0.9 + (0.1 * p.model) / p.models;
}

function CompareProgressBar() {
  const progress = useAppStore((s) => s.compareProgress)!;
  const fraction = compareFraction(progress);
  const text =
    progress.stage === 'generating'
      ? (progress.progress?.message ?? 'Generating variant files…')
      : progress.stage === 'outputs'
        ? `Comparing outputs: ${progress.progress?.message ?? ''}`
        : progress.stage === 'timing'
          ? `Timing all ${progress.models} models in interleaved rounds: ${progress.progress?.message ?? 'starting'}`
          : `Profiling model ${progress.model + 1} of ${progress.models}: ${progress.progress?.message ?? 'starting'}`;
  const eta = progress.job
    ? progress.job.etaMs
    : progress.stage === 'profile'
      ? (progress.progress?.etaMs ?? null)
      : null;
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label="Comparison progress"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(fraction * 100)}
    >
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${Math.round(fraction * 100)}%` }} />
      </div>
      <div className="progress-text">
        <span>{text}</span>
        <span>
          {eta != null ? `${formatTimeLeft(eta)}${progress.job ? ' for the whole comparison' : ' on this model'}` : ''}
        </span>
      </div>
    </div>
  );
}
