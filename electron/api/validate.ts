/**
 * Checks a ProfilePlan that arrived over IPC or a WebSocket: every field typed and in range, so a
 * bad request is an error message, never a crash or a worker asked to do something absurd.
 */
import { StrataError } from '../../shared/errors.js';
import type { VariantSpec } from '../../shared/api.js';
import { defaultPlan, EP_NAMES, type InputSource, type ProfilePlan } from '../../shared/plan.js';


function count(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new StrataError('BAD_ARGUMENT', `${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** The plan if it is valid, with defaults for missing fields; throws BAD_ARGUMENT otherwise. */
export function validatePlan(raw: unknown): ProfilePlan {
  if (!raw || typeof raw !== 'object') throw new StrataError('BAD_ARGUMENT', 'The profile settings are missing.');
  const plan = { ...defaultPlan(), ...(raw as Partial<ProfilePlan>) };
  if (!Array.isArray(plan.eps) || plan.eps.length === 0 || !plan.eps.every((ep) => (EP_NAMES as readonly string[]).includes(ep))) {
    throw new StrataError('BAD_ARGUMENT', `Execution providers must be a non-empty list of ${EP_NAMES.join(', ')}.`);
  }
  count(plan.intraOpThreads, 'Threads', 0, 1024);
  count(plan.interOpThreads, 'Inter-op threads', 0, 1024);
  count(plan.warmupRuns, 'Warm-up runs', 0, 10_000);
  count(plan.timedRuns, 'Runs', 1, 100_000);
  count(plan.profiledRuns, 'Profiled runs', 1, 10_000);
  count(plan.seed, 'Seed', 0, 2 ** 31);
  count(plan.runTimeoutMs, 'The run timeout', 100, 24 * 3_600_000);
  if (plan.precision !== undefined && !(typeof plan.precision === 'number' && plan.precision >= 0.001 && plan.precision <= 0.5)) {
    throw new StrataError('BAD_ARGUMENT', `The precision must be a fraction from 0.001 to 0.5 (0.1% to 50%); got ${JSON.stringify(plan.precision)}.`);
  }
  if (!['disabled', 'basic', 'extended', 'all'].includes(plan.graphOptimizationLevel)) {
    throw new StrataError('BAD_ARGUMENT', 'The optimization level must be disabled, basic, extended or all.');
  }
  if (!['sequential', 'parallel'].includes(plan.executionMode)) throw new StrataError('BAD_ARGUMENT', 'The execution mode must be sequential or parallel.');
  for (const [name, shape] of Object.entries(plan.shapes ?? {})) {
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 1 && d <= 1 << 30)) {
      throw new StrataError('BAD_SHAPE', `The shape of "${name}" must be a list of positive whole numbers.`);
    }
  }
  for (const [name, dim] of Object.entries(plan.dims ?? {})) count(dim, `Dim "${name}"`, 1, 1 << 30);
  for (const [name, source] of Object.entries(plan.inputs ?? {})) validateSource(name, source);
  return plan;
}

function validateSource(name: string, source: InputSource): void {
  const kind = (source as { kind?: unknown })?.kind;
  if (kind === 'zeros') return;
  if (kind === 'random' && Number.isInteger((source as { seed?: unknown }).seed)) return;
  if (kind === 'scalar' && Number.isFinite((source as { value?: unknown }).value)) return;
  if (kind === 'file' && typeof (source as { path?: unknown }).path === 'string') return;
  throw new StrataError('BAD_INPUT', `The value of input "${name}" must be random, zeros, a number or a file.`);
}

/** The variant spec if it is one Strata can make; throws BAD_ARGUMENT otherwise. */
export function validateSpec(raw: unknown): VariantSpec {
  const spec = raw as VariantSpec;
  switch (spec?.kind) {
    case 'fp16':
      return { kind: 'fp16' };
    case 'prune':
      if (!['unstructured', '2:4'].includes(spec.pattern) || !(spec.sparsity > 0 && spec.sparsity < 1)) {
        throw new StrataError('BAD_ARGUMENT', 'Pruning needs a sparsity between 0 and 1 and a pattern, unstructured or 2:4.');
      }
      return { kind: 'prune', sparsity: spec.sparsity, pattern: spec.pattern };
    case 'quantize':
      if (!['dynamic', 'static', 'weight-only'].includes(spec.mode) || !['int8', 'uint8'].includes(spec.weightType)) {
        throw new StrataError('BAD_ARGUMENT', 'Quantization needs a mode (dynamic, static or weight-only) and a weight type (int8 or uint8).');
      }
      if (spec.calibrate !== undefined && !['minmax', 'percentile', 'entropy'].includes(spec.calibrate)) {
        throw new StrataError('BAD_ARGUMENT', 'Calibration must be minmax, percentile or entropy.');
      }
      return { kind: 'quantize', mode: spec.mode, perChannel: Boolean(spec.perChannel), symmetric: Boolean(spec.symmetric), weightType: spec.weightType, calibrate: spec.calibrate };
    default:
      throw new StrataError('BAD_ARGUMENT', 'A variant must be quantize, fp16 or prune.');
  }
}
