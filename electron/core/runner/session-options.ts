/**
 * A ProfilePlan as onnxruntime-node session options, and onnxruntime's error messages as sentences
 * a user can act on.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { StrataError } from '../../../shared/errors.js';
import { clip } from '../clip.js';
import { formatBytes } from '../../../shared/format.js';
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

/**
 * Settings in the plan that onnxruntime will not use, said as notes for the report rather than
 * refused: the plan is still valid, it just does not do what the user may think.
 */
export function planNotes(plan: ProfilePlan): string[] {
  const notes: string[] = [];
  if (plan.interOpThreads > 0 && plan.executionMode === 'sequential') {
    notes.push(
      `Inter-op threads (${plan.interOpThreads}) have no effect in sequential execution: onnxruntime uses them only to run ` +
        'independent nodes at once. Turn on parallel execution (in Run settings, or --parallel on the command line) to use them.',
    );
  }
  return notes;
}

/** What to say when onnxruntime finds no WebGPU adapter (no GPU, or no Vulkan/Metal/D3D12 driver Dawn accepts). */
export const NO_WEBGPU_ADAPTER =
  'No WebGPU adapter was found (no GPU, or no Vulkan driver that WebGPU accepts). Install a Vulkan driver, e.g. mesa-vulkan-drivers 24 or newer, or leave webgpu out of the EPs.';

/** onnxruntime's message without its source location prefix ("/onnxruntime_src/...cc:136 fn() "). */
export function ortMessageTail(raw: string): string {
  const message = raw.replace(/\s+/g, ' ').trim();
  // "path.cc:136 signature(...) condition was false. What happened" -> "What happened"
  const located = /^\/\S+:\d+ .*? was false\. (.*)$/.exec(message) ?? /^\/\S+:\d+ \S+ (.*)$/.exec(message);
  return (located?.[1] ?? message).replace(/\[ONNXRuntimeError\] : \d+ : \w+ : /, '');
}

/** Turns an onnxruntime error into a StrataError with a sentence that says what to do. */
export function explainOrtError(err: unknown, stage: 'load' | 'run', ortVersion: string): StrataError {
  if (err instanceof StrataError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const message = ortMessageTail(raw);
  const noOp = /No Op registered for (\S+) with domain_version of (\d+)/.exec(message);
  if (noOp) {
    // "... for the node ("name", Op, "domain", -1)" or similar: the node name and domain when given.
    const node = /\("([^"]*)", \S+, "([^"]*)"/.exec(message);
    const domain = node?.[2] ?? '';
    return new StrataError(
      'MODEL_UNSUPPORTED',
      `${node?.[1] ? `Node "${clip(node[1])}" uses` : 'The model uses'} op '${noOp[1]}' (domain '${domain}', opset ${noOp[2]}), ` +
        `which onnxruntime ${ortVersion} does not implement. Replace the op, export with a different opset, or register a custom op library.`,
    );
  }
  const dims =
    /Got invalid dimensions for input: (\S+) for the following indices index: (\d+) Got: (\d+) Expected: (\d+)/.exec(
      message,
    );
  if (dims) {
    return new StrataError(
      'BAD_SHAPE',
      `Input '${dims[1]}' dim ${dims[2]} must be ${dims[4]}, but ${dims[3]} was given. Set it in Run settings, or with --shape/--dim on the command line.`,
    );
  }
  const rank = /Invalid rank for input: (\S+) Got: (\d+) Expected: (\d+)/.exec(message);
  if (rank) {
    return new StrataError(
      'BAD_SHAPE',
      `Input '${rank[1]}' must have ${rank[3]} dims, but ${rank[2]} were given. Set its shape in Run settings, or with --shape on the command line.`,
    );
  }
  const type = /Unexpected input data type\. Actual: \(tensor\((\w+)\)\) , expected: \(tensor\((\w+)\)\)/.exec(message);
  if (type) {
    return new StrataError(
      'BAD_INPUT',
      `An input must hold ${type[2]} data, but ${type[1]} was given. Give a file of the model's element type.`,
    );
  }
  if (/Failed to get a WebGPU adapter|No supported adapters/i.test(message))
    return new StrataError('EP_UNAVAILABLE', NO_WEBGPU_ADAPTER);
  const ep =
    /(?:OrtSessionOptionsAppendExecutionProvider_|SessionOptionsAppendExecutionProvider.*?)(\w+): Failed to load shared library/.exec(
      message,
    );
  if (ep || /no available backend|backend not found|not supported on this platform|providers_shared/i.test(message)) {
    const which = ep ? `the ${ep[1]} execution provider` : 'the requested execution provider';
    return new StrataError(
      'EP_UNAVAILABLE',
      `onnxruntime could not start ${which} ("${message}"). It is not in this onnxruntime-node build or its libraries are missing; run \`strata eps\` to see which EPs work here.`,
    );
  }
  if (/Failed to allocate memory|BFCArena|bad_alloc|out of memory/i.test(message)) {
    const asked = /requested buffer of size (\d+)/.exec(message);
    const size = asked ? ` (it asked for ${formatBytes(Number(asked[1]))} at once)` : '';
    return new StrataError(
      stage === 'load' ? 'MODEL_UNSUPPORTED' : 'RUN_FAILED',
      `The model needs more memory than onnxruntime could get on this machine${size}. Use smaller input shapes, or a machine with more memory.`,
      raw,
    );
  }
  const reason = plainOrtReason(message);
  if (stage === 'load') {
    const what = /INVALID_PROTOBUF|Protobuf parsing failed/i.test(raw)
      ? 'its file is corrupt or not an ONNX model'
      : /INVALID_GRAPH|TypeInferenceError|ShapeInferenceError|Type Error|invalid model|cycle|topological/i.test(raw)
        ? 'its graph is invalid'
        : /NOT_IMPLEMENTED|not implemented|Could not find an implementation/i.test(raw)
          ? 'it uses something onnxruntime does not implement'
          : 'it is malformed or uses something onnxruntime does not support';
    return new StrataError(
      'MODEL_UNSUPPORTED',
      `onnxruntime ${ortVersion} could not load the model: ${what}${reason ? ` (${reason})` : ''}. ${VERBOSE_HINT}`,
      raw,
    );
  }
  return new StrataError(
    'RUN_FAILED',
    `The model failed while running${reason ? `: ${reason}` : ''}. ${SHAPE_ADVICE}`,
    raw,
  );
}

/** Where the full text of a translated onnxruntime message is. */
export const VERBOSE_HINT = "--verbose shows onnxruntime's own message.";

/**
 * The gist of an onnxruntime message when it reads as plain words: no C++ signatures, source
 * paths or status prefixes, and short. Null when nothing that plain is left.
 */
export function plainOrtReason(tail: string): string | null {
  const text = tail
    .replace(/\[ONNXRuntimeError\] : \d+ : \w+ : /g, '')
    // "Non-zero status code returned while running Pad node. Name:'p' Status Message: why" -> node "p" (Pad): why
    .replace(
      /Non-zero status code returned while running (\w+) node\. Name:'([^']*)' Status Message: /,
      (_m, op: string, name: string) => `node "${name}" (${op}): `,
    )
    .replace(/\S*\/\S+\.(?:cc|cpp|h):\d+\s*/g, '')
    .replace(/(?:[\w:<>~]+::)+[\w~<>]+\([^)]*\)(?: const)?\s*/g, '')
    .replace(/^Load model from \S+ failed:\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\.$/, '');
  if (!text || /::|\.cc\b|\bstd\b/.test(text)) return null;
  return text.length > 200
    ? `${clip(text, 1000)
        .slice(0, 197)
        .replace(/\s+\S*$/, '')}…`
    : clip(text, 200);
}

/** The advice a run failure ends with; the caller swaps it for a precise one when Strata chose dims. */
export const SHAPE_ADVICE =
  "If the inputs' shapes are wrong for this model, set them in Run settings, or with --shape/--dim on the command line.";
