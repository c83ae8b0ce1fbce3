/**
 * A ProfilePlan as onnxruntime-node session options, and onnxruntime's error messages as sentences
 * a user can act on.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { StrataError } from '../../../shared/errors.js';
import type { EpName, ProfilePlan } from '../../../shared/plan.js';

type EpConfig = NonNullable<InferenceSession.SessionOptions['executionProviders']>[number];

/** The onnxruntime-node EP entry for `ep` (options per PLATFORM.md). */
export function epConfig(ep: EpName, plan?: Pick<ProfilePlan, 'coreMlFlags'>): EpConfig {
  switch (ep) {
    case 'cuda':
    case 'tensorrt':
    case 'dml':
      return { name: ep, deviceId: 0 } as EpConfig;
    case 'coreml':
      return { name: 'coreml', coreMlFlags: plan?.coreMlFlags ?? 0 } as EpConfig;
    default:
      return ep;
  }
}

/** Session options for a plan; `profilePrefix` turns the profiler on. */
export function sessionOptions(plan: ProfilePlan, profilePrefix?: string): InferenceSession.SessionOptions {
  return {
    executionProviders: plan.eps.map((ep) => epConfig(ep, plan)),
    intraOpNumThreads: plan.intraOpThreads,
    interOpNumThreads: plan.interOpThreads,
    graphOptimizationLevel: plan.graphOptimizationLevel,
    executionMode: plan.executionMode,
    // Warnings (e.g. unused initializers) would interleave with the CLI's output; errors still throw.
    logSeverityLevel: 3,
    ...(profilePrefix ? { enableProfiling: true, profileFilePrefix: profilePrefix } : {}),
  };
}

/** Turns an onnxruntime error into a StrataError with a sentence that says what to do. */
export function explainOrtError(err: unknown, stage: 'load' | 'run', ortVersion: string): StrataError {
  if (err instanceof StrataError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const message = raw.replace(/\s+/g, ' ').trim();
  const noOp = /No Op registered for (\S+) with domain_version of (\d+)/.exec(message);
  if (noOp) {
    const node = /\("([^"]*)", \S+, "([^"]*)"/.exec(message);
    const domain = node?.[2] ?? '';
    return new StrataError(
      'MODEL_UNSUPPORTED',
      `${node?.[1] ? `Node "${node[1]}" uses` : 'The model uses'} op '${noOp[1]}' (domain '${domain}', opset ${noOp[2]}), ` +
        `which onnxruntime ${ortVersion} does not implement. Replace the op, export with a different opset, or register a custom op library.`,
    );
  }
  const dims = /Got invalid dimensions for input: (\S+) for the following indices index: (\d+) Got: (\d+) Expected: (\d+)/.exec(message);
  if (dims) {
    return new StrataError(
      'BAD_SHAPE',
      `Input '${dims[1]}' dim ${dims[2]} must be ${dims[4]}, but ${dims[3]} was given. Fix it with --shape or --dim.`,
    );
  }
  const rank = /Invalid rank for input: (\S+) Got: (\d+) Expected: (\d+)/.exec(message);
  if (rank) {
    return new StrataError('BAD_SHAPE', `Input '${rank[1]}' must have ${rank[3]} dims, but ${rank[2]} were given. Fix it with --shape.`);
  }
  if (/no available backend|backend not found|not supported on this platform|adapter/i.test(message)) {
    return new StrataError('EP_UNAVAILABLE', `onnxruntime could not start the requested execution provider: ${message}. Run \`strata eps\` to see which work here.`);
  }
  if (stage === 'load') {
    return new StrataError('MODEL_UNSUPPORTED', `onnxruntime ${ortVersion} could not load the model: ${message}.`);
  }
  return new StrataError(
    'RUN_FAILED',
    `The model failed while running: ${message}. If the inputs' shapes are wrong for this model, set them with --shape or --dim.`,
  );
}
