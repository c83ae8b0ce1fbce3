/**
 * Two decoders side by side, in the Generation view and the Compare view alike (A and B, say fp32
 * and its int8 variant): the verdict with its interval, each speed with its statistics, and TTFT,
 * per-token p50/p90, decode speed, KV bytes and peak memory of both. Each view draws the TTFT and
 * depth curves of both below it.
 */
import { formatBytes, formatMs } from '../../../shared/format.js';
import {
  speedSamplesText,
  speedVerdictText,
  type GenerateComparison,
  type GenerateMetricPair,
} from '../../../shared/generate-compare.js';
import { useAppStore } from '../../store/index.js';

const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');

function value(m: GenerateMetricPair, x: number): string {
  if (m.unit === 'ms') return formatMs(x);
  if (m.unit === 'bytes') return formatBytes(x);
  return Math.round(x).toLocaleString('en-US');
}

/** The comparison of the report before against the current one. */
export function GenerateComparisonPanel({ comparison: c }: { readonly comparison: GenerateComparison }) {
  const { exportGenerateComparison } = useAppStore.getState();
  const [an, bn] = c.names;
  const level = `${(c.level * 100).toFixed(1)}% interval`;
  return (
    <section className="generate-comparison" aria-label="Decoder comparison">
      <div className="chart-toolbar">
        <h3>
          Compared: <span className="generate-a">A {an}</span> (dashed in the charts below) against{' '}
          <span className="generate-b">B {bn}</span>
        </h3>
        <div className="compare-export">
          <button type="button" className="results-button" onClick={() => void exportGenerateComparison('html')}>
            Export comparison HTML
          </button>
          <button type="button" className="results-button" onClick={() => void exportGenerateComparison('json')}>
            Export comparison JSON
          </button>
        </div>
      </div>
      <p className={`generate-verdict verdict-${c.speeds[0]?.verdict ?? 'same'}`} role="status">
        {c.verdict}
      </p>
      <div className="generate-compare-tables">
        <figure className="chart-card">
          <figcaption>Speed, A’s time over B’s (above 1: B faster)</figcaption>
          <div className="compare-table-scroll">
            <table className="compare-table generate-compare-table">
              <thead>
                <tr>
                  <th>speed</th>
                  <th>A p50</th>
                  <th>B p50</th>
                  <th>A / B</th>
                  <th>{level}</th>
                  <th>samples</th>
                  <th>verdict</th>
                </tr>
              </thead>
              <tbody>
                {c.speeds.map((s) => (
                  <tr key={s.what}>
                    <td>{s.what}</td>
                    <td>{formatMs(s.aMs)}</td>
                    <td>{formatMs(s.bMs)}</td>
                    <td>{times(s.ratio)}</td>
                    <td>{Number.isFinite(s.low) ? `${s.low.toFixed(2)}–${s.high.toFixed(2)}×` : '–'}</td>
                    <td>{speedSamplesText(s)}</td>
                    <td>{speedVerdictText(s, c.noiseThreshold)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </figure>
        <figure className="chart-card">
          <figcaption>Side by side</figcaption>
          <table className="compare-table generate-compare-table">
            <thead>
              <tr>
                <th>metric</th>
                <th>A</th>
                <th>B</th>
                <th>B / A</th>
              </tr>
            </thead>
            <tbody>
              {c.metrics.map((m) => (
                <tr key={m.metric}>
                  <td>{m.metric}</td>
                  <td>{value(m, m.a)}</td>
                  <td>{value(m, m.b)}</td>
                  <td>{times(m.ratio)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </figure>
      </div>
      <ul className="hint muted">
        {c.notes.map((n, i) => (
          <li key={i}>{n}</li>
        ))}
      </ul>
    </section>
  );
}
