/** The open model at a glance: inputs and outputs with dims, ops, parameters, size, opsets. */
import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react';
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
            <span className="tensor-name mono" title={t.name}>
              {t.name}
            </span>
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
            <span className="op-name" title={op.opType}>
              {op.opType}
            </span>
            <span className="op-bar">
              <span style={{ width: `${(op.count / max) * 100}%` }} />
            </span>
            <span className="op-count">{op.count}</span>
          </li>
        ))}
      </ul>
      {hidden > 0 && (
        <button
          type="button"
          className="link-button"
          aria-expanded={all}
          aria-controls="op-histogram"
          onClick={() => setAll(!all)}
        >
          {all ? 'Show fewer' : `+${hidden} more op ${hidden === 1 ? 'type' : 'types'}`}
        </button>
      )}
    </>
  );
}

/** What the overview shows: a model's summary, or the model as a saved report recorded it. */
type Facts = ReportModel & { readonly externalDataBytes?: number; readonly subgraphCount?: number };

/** The model overview panel. */
export function ModelOverview() {
  const summary = useAppStore((s) => s.summary);
  const missing = useAppStore((s) => s.missingModel);
  const reportModel = useAppStore((s) => s.report?.model ?? null);
  if (summary) return <Overview facts={summary} />;
  if (missing && reportModel && reportModel.path === missing.path) {
    return (
      <Overview facts={reportModel}>
        <div className="model-missing" role="note">
          <strong>The model file is not available.</strong> This report was made from{' '}
          <span className="mono path">{missing.path}</span>
          {missing.reason ? `, which cannot be opened: ${missing.reason}` : ', which is no longer there.'} Open the
          model (Ctrl+O) to run it again.
        </div>
      </Overview>
    );
  }
  return (
    <section className="panel" aria-label="Model overview">
      <h2>Model</h2>
      <p className="muted">Open an ONNX model (Ctrl+O), or drop one anywhere on the window.</p>
    </section>
  );
}

function Overview({ facts, children }: { readonly facts: Facts; readonly children?: ReactNode }) {
  const opset = facts.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ');
  const ref = useRef<HTMLElement>(null);
  const missing = children !== undefined;
  // Another model (or its absence) starts the sidebar at the top, where its name and any warning are.
  useEffect(() => {
    ref.current?.closest('.sidebar')?.scrollTo({ top: 0 });
  }, [facts.path, missing]);
  return (
    <section className="panel" aria-label="Model overview" ref={ref}>
      <h2 title={facts.path}>{facts.fileName}</h2>
      {children}
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">Size</th>
            <td>{formatBytes(facts.bytes + (facts.externalDataBytes ?? 0))}</td>
          </tr>
          <tr>
            <th scope="row">Parameters</th>
            <td>
              {formatCount(facts.parameterCount)} ({formatBytes(facts.parameterBytes)})
            </td>
          </tr>
          <tr>
            <th scope="row">Nodes</th>
            <td>
              {facts.nodeCount}
              {(facts.subgraphCount ?? 0) > 0 ? ` (${facts.subgraphCount} subgraphs)` : ''}
            </td>
          </tr>
          <tr>
            <th scope="row">Opsets</th>
            <td>{opset}</td>
          </tr>
          <tr>
            <th scope="row">Producer</th>
            <td>
              {facts.producer || '–'} · IR {facts.irVersion}
            </td>
          </tr>
        </tbody>
      </table>
      <TensorRows title="Inputs" tensors={facts.inputs} />
      <TensorRows title="Outputs" tensors={facts.outputs} />
      <h3>Ops ({facts.opHistogram.length} types)</h3>
      <OpHistogram key={facts.path} ops={facts.opHistogram} />
    </section>
  );
}
