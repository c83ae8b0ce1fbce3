/** The open model at a glance: inputs and outputs with dims, ops, parameters, size, opsets. */
import { Fragment, useState } from 'react';
import { formatBytes, formatCount } from '../../../shared/format.js';
import type { Dim, TensorInfo } from '../../../shared/model.js';
import type { ReportModel } from '../../../shared/report.js';
import { useAppStore } from '../../store/index.js';

/** Op types shown before "+N more". */
export const TOP_OPS = 8;

/** One dim as text: a size, a symbol, or "?" for an unnamed one. */
function dimText(d: Dim): string {
  return d === null ? '?' : String(d);
}

/**
 * A shape that wraps only between dims, never inside one: long symbolic names
 * (`p2o.DynamicDimension.1`) stay whole, and one too long for the sidebar is cut with its full
 * text in the tooltip.
 */
function Dims({ dims }: { readonly dims: TensorInfo['dims'] }) {
  if (dims === null) return <span className="dims mono">rank unknown</span>;
  if (dims.length === 0) return <span className="dims mono">scalar</span>;
  const full = `[${dims.map(dimText).join(', ')}]`;
  return (
    <span className="dims mono" title={full}>
      [
      {dims.map((d, i) => (
        <Fragment key={i}>
          <span className="dim-item">
            <span className={typeof d === 'string' ? 'dim dim-symbol' : 'dim'}>{dimText(d)}</span>
            {i < dims.length - 1 ? ',' : ''}
          </span>
          {i < dims.length - 1 ? ' ' : ''}
        </Fragment>
      ))}
      ]
    </span>
  );
}

function TensorRows({ title, tensors }: { title: string; tensors: readonly TensorInfo[] }) {
  return (
    <>
      <h3>{title}</h3>
      <ul className="tensors" aria-label={title}>
        {tensors.map((t) => (
          <li key={t.name}>
            <span className="tensor-name mono" title={t.name}>{t.name}</span>
            <span className="tensor-type">{t.elementType}</span>
            <Dims dims={t.dims} />
          </li>
        ))}
      </ul>
    </>
  );
}

/** The op histogram: the most used op types, then "+N more" to show the rest. */
function OpHistogram({ ops }: { readonly ops: ReportModel['opHistogram'] }) {
  const [all, setAll] = useState(false);
  const shown = all ? ops : ops.slice(0, TOP_OPS);
  const hidden = ops.length - TOP_OPS;
  const max = ops[0]?.count ?? 1;
  return (
    <>
      <ul className="op-bars" aria-label="Op histogram" id="op-histogram">
        {shown.map((op) => (
          <li key={op.opType}>
            <span className="op-name" title={op.opType}>{op.opType}</span>
            <span className="op-bar"><span style={{ width: `${(op.count / max) * 100}%` }} /></span>
            <span className="op-count">{op.count}</span>
          </li>
        ))}
      </ul>
      {hidden > 0 && (
        <button type="button" className="link-button" aria-expanded={all} aria-controls="op-histogram" onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `+${hidden} more op ${hidden === 1 ? 'type' : 'types'}`}
        </button>
      )}
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
      <OpHistogram key={summary.path} ops={summary.opHistogram} />
    </section>
  );
}
