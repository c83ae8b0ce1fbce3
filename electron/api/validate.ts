/**
 * Checks what arrived over IPC or a WebSocket: a ProfilePlan (the one rule in shared/plan.ts, which
 * the CLI uses too) and a variant spec, so a bad request is an error message, never a crash or a
 * worker asked to do something absurd.
 */
import { StrataError } from '../../shared/errors.js';
import type { VariantSpec } from '../../shared/api.js';
import { checkPlan } from '../../shared/plan.js';

/** The plan if it is valid, with defaults for missing fields; throws BAD_ARGUMENT otherwise (see checkPlan). */
export const validatePlan = checkPlan;

/** The variant spec if it is one Strata can make; throws BAD_ARGUMENT otherwise. */
export function validateSpec(raw: unknown): VariantSpec {
  const spec = raw as VariantSpec;
  switch (spec?.kind) {
    case 'fp16':
      return { kind: 'fp16' };
    case 'prune':
      if (!['unstructured', '2:4'].includes(spec.pattern) || !(spec.sparsity > 0 && spec.sparsity < 1)) {
        throw new StrataError(
          'BAD_ARGUMENT',
          'Pruning needs a sparsity between 0 and 1 and a pattern, unstructured or 2:4.',
        );
      }
      return { kind: 'prune', sparsity: spec.sparsity, pattern: spec.pattern };
    case 'quantize':
      if (!['dynamic', 'static', 'weight-only'].includes(spec.mode) || !['int8', 'uint8'].includes(spec.weightType)) {
        throw new StrataError(
          'BAD_ARGUMENT',
          'Quantization needs a mode (dynamic, static or weight-only) and a weight type (int8 or uint8).',
        );
      }
      if (spec.calibrate !== undefined && !['minmax', 'percentile', 'entropy'].includes(spec.calibrate)) {
        throw new StrataError('BAD_ARGUMENT', 'Calibration must be minmax, percentile or entropy.');
      }
      return {
        kind: 'quantize',
        mode: spec.mode,
        perChannel: Boolean(spec.perChannel),
        symmetric: Boolean(spec.symmetric),
        weightType: spec.weightType,
        calibrate: spec.calibrate,
      };
    default:
      throw new StrataError('BAD_ARGUMENT', 'A variant must be quantize, fp16 or prune.');
  }
}
