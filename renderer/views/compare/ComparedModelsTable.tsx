/** The models of a comparison side by side, one row each; a row click chooses the model the charts follow. */
import type { Comparison } from '../../../shared/compare.js';
import {
  detectableText,
  DRIFT_COSINE,
  driftStart,
  formatSnr,
  outputError,
  paretoFront,
  speedShort,
  speedText,
  worstOutput,
} from '../../../shared/compare-summary.js';
import { formatBytes, formatCount, formatMs } from '../../../shared/format.js';
import { ratioText } from '../../charts/compare-bars.js';
import { layerTail } from '../../charts/compare-layers.js';
import { formatError } from '../../charts/error-axis.js';
import { useAppStore } from '../../store/index.js';

/** The table. */
export function ComparedModelsTable({ comparison }: { readonly comparison: Comparison }) {
  const chosen = useAppStore((s) => s.chosenModel);
  const chooseModel = useAppStore((s) => s.chooseModel);
  const front = new Set(paretoFront(comparison));
  const base = comparison.models[0]!;
  // Top-1 agreement exists only where an output looks like class scores: no column otherwise.
  const hasTop1 = comparison.models.some((m) => worstOutput(m)?.top1Agreement !== undefined);
  return (
    <div className="table-scroll compare-table-scroll">
      <table className="layer-table compare-table" aria-label="Compared models">
        <thead>
          <tr>
            <th>Model</th>
            <th className="num">p50</th>
            <th className="num" title="95% confidence interval of the p50">
              p50 95% CI
            </th>
            <th className="num">p90</th>
            <th
              className="num"
              title={
                comparison.kind === 'devices'
                  ? "Against the first device, from each device's own runs (not interleaved across devices): a change is named only when its whole interval lies beyond the noise threshold"
                  : 'Against the baseline, from paired interleaved rounds: a change is named only when its whole interval lies beyond the noise threshold'
              }
            >
              Speed
            </th>
            <th className="num" title="The smallest change this run could have told from noise">
              Detectable
            </th>
            <th className="num">Size</th>
            <th className="num">Shrink</th>
            <th className="num">Params</th>
            <th className="num" title="Peak resident memory of the worker">
              Peak RSS
            </th>
            <th className="num" title="Cosine similarity of the worst output to the baseline's">
              Cosine
            </th>
            <th className="num" title="1 − cosine: the output error the Pareto chart plots">
              Error
            </th>
            <th className="num">SNR</th>
            {hasTop1 && (
              <th
                className="num"
                title="Rows whose top class matches the baseline's, where the output looks like class scores"
              >
                Top-1
              </th>
            )}
            <th title="What changed in the compute, as onnxruntime ran it: the baseline's Conv/MatMul/Gemm layers that run int8">
              Compute
            </th>
            <th
              className="num"
              title="Baseline layers matched to this model's (through recorded lineage first, then name, position and shape)"
            >
              Matched
            </th>
            <th>Drift starts at</th>
          </tr>
        </thead>
        <tbody>
          {comparison.models.map((m, i) => {
            const worst = worstOutput(m);
            const start = driftStart(m);
            const rate = comparison.matchRates?.find((r) => r.model === i);
            return (
              <tr
                key={m.path}
                className={i === chosen ? 'selected' : undefined}
                aria-selected={i === chosen}
                tabIndex={0}
                onClick={() => chooseModel(i)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    chooseModel(i);
                  }
                }}
              >
                <td title={`${m.label}\n${m.path}`}>
                  {front.has(i) && (
                    <span className="front-mark" title="On the Pareto front: no other model is both faster and closer">
                      ◆{' '}
                    </span>
                  )}
                  {m.label}
                </td>
                <td className="num">{formatMs(m.latency.p50Ms)}</td>
                <td className="num">
                  {m.latency.p50CiMs ? `${formatMs(m.latency.p50CiMs[0])}–${formatMs(m.latency.p50CiMs[1])}` : ''}
                </td>
                <td className="num">{formatMs(m.latency.p90Ms)}</td>
                <td className={`num speed ${m.verdict ?? ''}`} title={speedText(m, i)}>
                  {speedShort(m, i) || (i === 0 ? '–' : '')}
                </td>
                <td className="num">{i === 0 ? '' : detectableText(m)}</td>
                <td className="num">{formatBytes(m.bytes)}</td>
                <td className="num">{i === 0 ? '–' : ratioText(base.bytes, m.bytes, 'smaller', 'larger')}</td>
                <td className="num">{formatCount(m.parameterCount)}</td>
                <td className="num">{formatBytes(m.memory.peakRssBytes)}</td>
                <td className="num">
                  {worst ? worst.cosine.toFixed(5) : comparison.kind === 'devices' ? 'same model' : 'baseline'}
                </td>
                <td className="num">{worst ? formatError(outputError(m)) : ''}</td>
                <td className="num">{worst ? formatSnr(worst.snrDb) : ''}</td>
                {hasTop1 && (
                  <td className="num">
                    {worst?.top1Agreement !== undefined ? `${(worst.top1Agreement * 100).toFixed(1)}%` : ''}
                  </td>
                )}
                <td className="compute-cell" title={m.compute?.summary}>
                  {i === 0 ? '' : (m.compute?.summary ?? '')}
                </td>
                <td
                  className="num"
                  title={
                    rate
                      ? `${rate.matched} of ${rate.total} baseline layers, ${rate.byLineage} through recorded lineage${rate.inserted ? `; ${rate.inserted} layers onnxruntime inserted into the baseline are left out` : ''}`
                      : undefined
                  }
                >
                  {rate ? `${Math.round((rate.matched / Math.max(1, rate.total)) * 100)}%` : ''}
                </td>
                <td
                  title={
                    start
                      ? `${start.producer} (tensor ${start.tensor}, cosine ${start.cosine.toFixed(4)})`
                      : m.fidelity?.drift.length
                        ? `Every tensor it shares with the baseline keeps cosine ≥ ${DRIFT_COSINE}`
                        : undefined
                  }
                >
                  {i === 0
                    ? ''
                    : start
                      ? layerTail(start.producer, 32)
                      : m.fidelity?.drift.length
                        ? 'no drift'
                        : 'no shared tensors'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
