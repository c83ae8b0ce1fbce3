/** The open model at a glance: inputs and outputs with dims, ops, parameters, size, opsets. */
import { formatBytes, formatCount, formatShape } from '../../../shared/format.js';
import type { TensorInfo } from '../../../shared/model.js';
import { useAppStore } from '../../store/index.js';

function TensorRows({ title, tensors }: { title: string; tensors: readonly TensorInfo[] }) {
  return (
    <>
      <h3>{title}</h3>
      <table className="kv tensors">
        <tbody>
          {tensors.map((t) => (
            <tr key={t.name}>
              <th scope="row" title={t.name}>{t.name}</th>
              <td>{t.elementType}</td>
              <td className="mono">[{formatShape(t.dims).replace(/×/g, ', ')}]</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The model overview panel. */
export function ModelOverview() {
  const summary = useAppStore((s) => s.summary);
  if (!summary) {
    return (
      <section className="panel" aria-label="Model overview">
        <h2>Model</h2>
        <p className="muted">Open an ONNX model (Ctrl+O), or drop one anywhere on the window.</p>
      </section>
    );
  }
  const top = summary.opHistogram.slice(0, 8);
  const max = top[0]?.count ?? 1;
  const opset = summary.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ');
  return (
    <section className="panel" aria-label="Model overview">
      <h2 title={summary.path}>{summary.fileName}</h2>
      <table className="kv">
        <tbody>
          <tr><th scope="row">Size</th><td>{formatBytes(summary.bytes + summary.externalDataBytes)}</td></tr>
          <tr><th scope="row">Parameters</th><td>{formatCount(summary.parameterCount)} ({formatBytes(summary.parameterBytes)})</td></tr>
          <tr><th scope="row">Nodes</th><td>{summary.nodeCount}{summary.subgraphCount > 0 ? ` (${summary.subgraphCount} subgraphs)` : ''}</td></tr>
          <tr><th scope="row">Opsets</th><td>{opset}</td></tr>
          <tr><th scope="row">Producer</th><td>{summary.producer || '–'} · IR {summary.irVersion}</td></tr>
        </tbody>
      </table>
      <TensorRows title="Inputs" tensors={summary.inputs} />
      <TensorRows title="Outputs" tensors={summary.outputs} />
      <h3>Ops ({summary.opHistogram.length} types)</h3>
      <ul className="op-bars" aria-label="Op histogram">
        {top.map((op) => (
          <li key={op.opType}>
            <span className="op-name" title={op.opType}>{op.opType}</span>
            <span className="op-bar"><span style={{ width: `${(op.count / max) * 100}%` }} /></span>
            <span className="op-count">{op.count}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
