/** What the HTML report is about: model, machine, settings, when, and the notes. */
import { formatBytes, formatCount } from '../../shared/format.js';
import type { Comparison } from '../../shared/compare.js';
import type { Report } from '../../shared/report.js';

/** The report page's header. */
export function ReportHeader({ report }: { report: Report }) {
  const { model, device, settings } = report;
  const plan = settings.plan;
  return (
    <header className="report-header">
      <h1>{model.fileName}</h1>
      <dl>
        <dt>Model</dt>
        <dd>
          {formatBytes(model.bytes)}, {model.nodeCount} nodes, {formatCount(model.parameterCount)} parameters, sha256{' '}
          {model.sha256.slice(0, 12)}…
        </dd>
        <dt>Machine</dt>
        <dd>
          {device.name ? `device ${device.name}: ` : ''}
          {device.cpu}, {device.cores} cores / {device.threads} threads, {formatBytes(device.memoryBytes)}, {device.os},
          onnxruntime {device.onnxruntimeVersion}
        </dd>
        <dt>Settings</dt>
        <dd>
          EPs {plan.eps.join(', ')}; threads {plan.intraOpThreads || 'default'}; optimization{' '}
          {plan.graphOptimizationLevel}; {plan.warmupRuns} warm-up, {plan.timedRuns} timed and {plan.profiledRuns}{' '}
          profiled runs; inputs{' '}
          {settings.inputs.map((i) => `${i.name} ${i.elementType}[${i.shape.join('×')}] ${i.source}`).join('; ')}
        </dd>
        <dt>Made</dt>
        <dd>
          {new Date(report.createdAt).toLocaleString()} by Strata {report.strataVersion}
        </dd>
      </dl>
      {report.notes.length > 0 && (
        <ul className="report-notes">
          {report.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </header>
  );
}

/** The comparison page's header: what was compared, how, and when. */
export function ComparisonHeader({ comparison }: { comparison: Comparison }) {
  const plan = comparison.plan;
  const baseline = comparison.models[0];
  return (
    <header className="report-header">
      <h1>
        {baseline && comparison.kind === 'devices'
          ? `${baseline.fileName} on ${comparison.models.map((m) => m.device).join(', ')} (runs not interleaved across devices)`
          : baseline
            ? `${baseline.fileName} against ${comparison.models.length - 1} other model${comparison.models.length === 2 ? '' : 's'}`
            : 'Strata comparison'}
      </h1>
      <dl>
        <dt>Settings</dt>
        <dd>
          EPs {plan.eps.join(', ')}; threads {plan.intraOpThreads || 'default'}; optimization{' '}
          {plan.graphOptimizationLevel}; {plan.warmupRuns} warm-up, {plan.timedRuns} timed and {plan.profiledRuns}{' '}
          profiled runs
        </dd>
        <dt>Made</dt>
        <dd>{new Date(comparison.createdAt).toLocaleString()}</dd>
      </dl>
    </header>
  );
}
