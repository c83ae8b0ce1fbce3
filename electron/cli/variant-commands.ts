/**
 * `strata quantize`, `strata convert --fp16` and `strata prune`: write a variant of a model and say
 * what it changed.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { StrataError } from '../../shared/errors.js';
import { formatBytes, formatShare, sizeChange } from '../../shared/format.js';
import { assertExternalDataPresent } from '../core/model/summary.js';
import { summarizeModelFile } from '../core/model/open-model.js';
import { writeOutputFile } from '../core/report/write-exports.js';
import { calibrateActivations, type CalibrationMethod } from '../core/variants/calibrate.js';
import { convertToFp16, DEFAULT_KEEP_FP32 } from '../core/variants/fp16.js';
import { pruneModel } from '../core/variants/prune.js';
import { activationsToCalibrate, assertStaticQuantizable, quantizeModel } from '../core/variants/quantize.js';
import { parseStrict, planFromValues, PLAN_OPTIONS } from './args.js';
import { terminalSafe } from './terminal.js';
import type { ModelSummary } from '../../shared/model.js';
import { defaultPlan, type ProfilePlan } from '../../shared/plan.js';
import { fidelityLine, inputsGiven, verifyVariant } from '../core/variants/verify.js';

const list = (raw: string | undefined) =>
  raw
    ? raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

async function readModel(
  path: string,
): Promise<{ bytes: Uint8Array; dir: string; path: string; summary: ModelSummary }> {
  const absolute = resolve(path);
  const summary = await summarizeModelFile(absolute);
  assertExternalDataPresent(summary);
  return { bytes: await readFile(absolute), dir: dirname(absolute), path: absolute, summary };
}

/**
 * Loads and runs the variant in onnxruntime against the original before anything is written: a
 * variant that does not load is an error, not a "wrote" line. Returns the fidelity line to print.
 */
async function checkedVariant(
  model: Awaited<ReturnType<typeof readModel>>,
  variant: Uint8Array,
  plan: ProfilePlan,
  what: string,
): Promise<string> {
  const check = await verifyVariant(model.path, model.summary, model.bytes, variant, plan, what);
  return fidelityLine(check, inputsGiven(plan));
}

function oneModel(positionals: string[], usage: string): string {
  if (positionals.length !== 1) throw new StrataError('BAD_ARGUMENT', `Expected one model. Usage: ${usage}`);
  return positionals[0]!;
}

function requireOut(out: string | undefined, usage: string): string {
  if (!out) throw new StrataError('BAD_ARGUMENT', `Say where to write the variant with --out FILE. Usage: ${usage}`);
  return resolve(out);
}

const QUANTIZE_USAGE =
  'strata quantize MODEL --out FILE [--mode dynamic|static|weight-only] [--per-channel|--per-tensor] [--symmetric] [--weight-type int8|uint8] ' +
  '[--calibrate minmax|percentile|entropy] [--ops MatMul,Gemm,Conv] [--exclude NODE,...] [--calibration-inputs N|DIR]';

/** `strata quantize`. */
export async function runQuantizeCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseStrict(argv, {
    ...PLAN_OPTIONS,
    out: { type: 'string', short: 'o' },
    mode: { type: 'string' },
    'per-channel': { type: 'boolean' },
    'per-tensor': { type: 'boolean' },
    symmetric: { type: 'boolean' },
    'weight-type': { type: 'string' },
    calibrate: { type: 'string' },
    ops: { type: 'string' },
    exclude: { type: 'string' },
    'calibration-inputs': { type: 'string' },
  });
  const model = await readModel(oneModel(positionals, QUANTIZE_USAGE));
  const out = requireOut(values.out, QUANTIZE_USAGE);
  const mode = values.mode ?? 'dynamic';
  if (mode !== 'dynamic' && mode !== 'static' && mode !== 'weight-only') {
    throw new StrataError(
      'BAD_ARGUMENT',
      `--mode "${mode}" must be dynamic (int8 compute), static (QDQ) or weight-only (int8 weights, float compute).`,
    );
  }
  const weightType = values['weight-type'] ?? 'int8';
  if (weightType !== 'int8' && weightType !== 'uint8')
    throw new StrataError('BAD_ARGUMENT', `--weight-type "${weightType}" must be int8 or uint8.`);
  const method = (values.calibrate ?? 'minmax') as CalibrationMethod;
  if (!['minmax', 'percentile', 'entropy'].includes(method)) {
    throw new StrataError('BAD_ARGUMENT', `--calibrate "${method}" must be minmax, percentile or entropy.`);
  }
  if (values['per-channel'] && values['per-tensor'])
    throw new StrataError('BAD_ARGUMENT', 'Give --per-channel or --per-tensor, not both.');
  // Dynamic int8 defaults to per-channel weights, as onnxruntime advises for Conv: one scale for a
  // whole depthwise or BN-folded weight leaves most channels a few levels (PP-OCRv4 det: cosine 0.03).
  const perChannel = values['per-channel'] ?? (values['per-tensor'] ? false : mode === 'dynamic');
  const ops = list(values.ops);
  const exclude = list(values.exclude);
  const plan = planFromValues(values);
  let activationRanges;
  if (mode === 'static') {
    assertStaticQuantizable(model.bytes);
    const tensors = activationsToCalibrate(model.bytes, { ops, exclude });
    activationRanges = await calibrateActivations({
      modelPath: model.path,
      plan,
      tensors,
      method,
      samples: values['calibration-inputs'],
      onProgress: (message) => process.stderr.write(`strata: ${terminalSafe(message)}\n`),
    });
  }
  const result = quantizeModel(
    model.bytes,
    {
      mode,
      perChannel,
      symmetric: values.symmetric ?? false,
      weightType,
      ops,
      exclude,
      activationRanges,
    },
    model.dir,
  );
  const fidelity = await checkedVariant(model, result.bytes, plan, `${mode} int8 variant`);
  await writeOutputFile(out, result.bytes);
  process.stdout.write(
    terminalSafe(
      `quantized ${result.quantizedNodes.length} nodes (${mode}, ${weightType} weights, ` +
        `${perChannel ? 'per-channel' : 'per-tensor'}, ${values.symmetric ? 'symmetric' : 'asymmetric'}` +
        `${mode === 'static' ? `, ${method} calibration` : ''})\n` +
        `coverage ${result.coverage.map((c) => `${c.opType} ${c.quantized}/${c.total}`).join(', ')}\n` +
        `compute  ${result.computeSummary}\n` +
        `size     ${formatBytes(model.bytes.length)} -> ${formatBytes(result.bytes.length)} (${sizeChange(model.bytes.length, result.bytes.length)})\n` +
        result.skipped.map((s) => `skipped  ${s.node}: ${s.reason}\n`).join('') +
        `fidelity ${fidelity}\n` +
        `wrote    ${out}\n`,
    ),
  );
  return 0;
}

const CONVERT_USAGE = 'strata convert MODEL --fp16 --out FILE [--keep-fp32 OP_OR_NODE,...]';

/** `strata convert --fp16`. */
export async function runConvertCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseStrict(argv, {
    out: { type: 'string', short: 'o' },
    fp16: { type: 'boolean' },
    'keep-fp32': { type: 'string' },
  });
  if (!values.fp16)
    throw new StrataError('BAD_ARGUMENT', `Say which conversion: --fp16 is the one there is. Usage: ${CONVERT_USAGE}`);
  const model = await readModel(oneModel(positionals, CONVERT_USAGE));
  const out = requireOut(values.out, CONVERT_USAGE);
  const keep = list(values['keep-fp32']);
  const result = convertToFp16(
    model.bytes,
    { keepFp32: keep ? [...DEFAULT_KEEP_FP32, ...keep] : undefined },
    model.dir,
  );
  const fidelity = await checkedVariant(model, result.bytes, defaultPlan(), 'fp16 variant');
  await writeOutputFile(out, result.bytes);
  process.stdout.write(
    `converted ${result.convertedTensors} tensors to float16; ${result.keptNodes.length} nodes kept in float32; ` +
      `${result.castsInserted} Casts inserted\n` +
      `size      ${formatBytes(model.bytes.length)} -> ${formatBytes(result.bytes.length)} (${sizeChange(model.bytes.length, result.bytes.length)})\n` +
      `fidelity  ${fidelity}\n` +
      `wrote     ${out}\n`,
  );
  return 0;
}

const PRUNE_USAGE =
  'strata prune MODEL --sparsity S [--pattern unstructured|2:4] --out FILE [--ops ...] [--exclude ...]';

/** `strata prune`. */
export async function runPruneCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseStrict(argv, {
    out: { type: 'string', short: 'o' },
    sparsity: { type: 'string' },
    pattern: { type: 'string' },
    ops: { type: 'string' },
    exclude: { type: 'string' },
  });
  const model = await readModel(oneModel(positionals, PRUNE_USAGE));
  const out = requireOut(values.out, PRUNE_USAGE);
  const pattern = values.pattern ?? 'unstructured';
  if (pattern !== 'unstructured' && pattern !== '2:4')
    throw new StrataError('BAD_ARGUMENT', `--pattern "${pattern}" must be unstructured or 2:4.`);
  const sparsity = values.sparsity === undefined ? 0.5 : Number(values.sparsity);
  if (pattern === '2:4' && values.sparsity !== undefined && sparsity !== 0.5) {
    throw new StrataError(
      'BAD_ARGUMENT',
      `2:4 pruning always reaches 50% sparsity; drop --sparsity ${values.sparsity} or use --pattern unstructured.`,
    );
  }
  const result = pruneModel(
    model.bytes,
    { sparsity, pattern, ops: list(values.ops), exclude: list(values.exclude) },
    model.dir,
  );
  const fidelity = await checkedVariant(model, result.bytes, defaultPlan(), 'pruned variant');
  await writeOutputFile(out, result.bytes);
  process.stdout.write(
    `pruned    ${result.prunedTensors} weight tensors (${pattern}), ${formatShare(result.achievedSparsity)} of their ${result.prunedWeights} weights are now zero\n` +
      `size      ${formatBytes(result.sizeBytes)} (dense); compressed ${formatBytes(result.originalCompressedBytes)} -> ${formatBytes(result.compressedBytes)}\n` +
      `fidelity  ${fidelity}\n` +
      `wrote     ${out}\n`,
  );
  return 0;
}
