/**
 * `strata inspect MODEL [--json]`: a model's structure, parameters, opsets, inputs and outputs, op
 * histogram and subgraphs, read on the same open path as the app (weights never read), with the
 * time it took.
 */
import { formatBytes, formatCount, formatShape } from '../../shared/format.js';
import type { ModelInspection } from '../../shared/model.js';
import { StrataError } from '../../shared/errors.js';
import { createEngine } from '../core/engine.js';
import { parseStrict } from './args.js';
import { terminalSafe } from './terminal.js';

/** Runs `strata inspect`; returns the exit code. */
export async function runInspectCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseStrict(argv, { json: { type: 'boolean' } });
  if (positionals.length !== 1)
    throw new StrataError('BAD_ARGUMENT', 'Give one model to inspect: strata inspect MODEL.onnx [--json].');
  const t0 = performance.now();
  const inspection = await createEngine().inspect(positionals[0]!);
  const timeMs = performance.now() - t0;
  if (values.json) process.stdout.write(JSON.stringify({ ...inspection, timeMs }, null, 1) + '\n');
  else process.stdout.write(terminalSafe(formatInspection(inspection, timeMs)));
  return 0;
}

/** The inspection as text for a terminal. */
export function formatInspection(inspection: ModelInspection, timeMs: number): string {
  const s = inspection.summary;
  const lines = [
    `${s.fileName}: ${formatBytes(s.bytes)}${s.externalDataBytes ? ` + ${formatBytes(s.externalDataBytes)} external data` : ''}, IR ${s.irVersion}${s.producer ? `, from ${s.producer}` : ''}`,
    `opsets     ${s.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ')}`,
    `nodes      ${formatCount(s.nodeCount)} (${formatCount(s.topLevelNodeCount)} in the main graph, ${s.subgraphCount} subgraph${s.subgraphCount === 1 ? '' : 's'})`,
    `parameters ${formatCount(s.parameterCount)} in ${formatBytes(s.parameterBytes)}: ${s.initializerCount} initializers, ${s.constantNodeCount} Constant nodes`,
    ...s.inputs.map((t) => `input      ${t.name} ${t.elementType} ${formatShape(t.dims)}`),
    ...s.outputs.map((t) => `output     ${t.name} ${t.elementType} ${formatShape(t.dims)}`),
    `ops        ${s.opHistogram.map((o) => `${o.opType} ${o.count}`).join(', ')}`,
    ...inspection.subgraphs.map(
      (g) =>
        `subgraph   ${'  '.repeat(g.depth - 1)}${g.owner} (${g.ownerOp}) ${g.attribute}: ${formatCount(g.nodeCount)} nodes`,
    ),
    ...(s.externalData.length
      ? [
          `external   ${s.externalData.length} tensors in ${new Set(s.externalData.map((e) => e.location)).size} files${s.missingExternalFiles.length ? `; missing: ${s.missingExternalFiles.join(', ')}` : ''}`,
        ]
      : []),
    `read       ${formatBytes(inspection.bytesRead)} of the file in ${inspection.openMs.toFixed(0)} ms; inspect took ${timeMs.toFixed(0)} ms`,
  ];
  return lines.join('\n') + '\n';
}
