/** The by-op-type view of the Layers tab: report.opTypes, one row per op type. */
import { formatFlops, formatGflops, formatShare, formatUs } from '../../../shared/format.js';
import type { Report } from '../../../shared/report.js';
import { shortProvider } from './layer-columns.js';

/** Op types by time; clicking one shows its layers. */
export function OpTypesTable({
  report,
  onPick,
}: {
  readonly report: Report;
  readonly onPick: (opType: string) => void;
}) {
  const ops = [...report.opTypes].sort((a, b) => (b.ownP50Us ?? b.meanUs) - (a.ownP50Us ?? a.meanUs));
  const maxShare = Math.max(1e-12, ...ops.map((o) => o.share));
  return (
    <div className="table-scroll">
      <table className="layer-table op-table">
        <thead>
          <tr>
            <th scope="col">Op type</th>
            <th scope="col" className="num">
              Layers
            </th>
            <th scope="col" className="num" title="Its layers' median own time per profiled run, summed">
              Time per run (p50)
            </th>
            <th scope="col" className="num">
              Share
            </th>
            <th scope="col" className="num">
              FLOPs
            </th>
            <th scope="col" className="num">
              Rate
            </th>
            <th scope="col">Providers</th>
          </tr>
        </thead>
        <tbody>
          {ops.map((op) => (
            <tr
              key={op.opType}
              tabIndex={0}
              title={`Show the ${op.opType} layers`}
              onClick={() => onPick(op.opType)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') onPick(op.opType);
              }}
            >
              <td>{op.opType}</td>
              <td className="num">{op.count}</td>
              <td className="num" title={`mean ${formatUs(op.meanUs)}`}>
                {formatUs(op.ownP50Us ?? op.meanUs)}
              </td>
              <td className="num">
                <span className="share">
                  <span className="share-track">
                    <span className="share-bar" style={{ width: `${(op.share / maxShare) * 100}%` }} />
                  </span>
                  <span className="share-text">{formatShare(op.share)}</span>
                </span>
              </td>
              <td className="num">{formatFlops(op.flops)}</td>
              <td className="num">{formatGflops(op.gflopsPerSec)}</td>
              <td title={op.providers.join(', ')}>{op.providers.map(shortProvider).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
