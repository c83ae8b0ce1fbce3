// Plans as session options, and onnxruntime 1.30's own error messages (copied from real failures) as
// sentences with the right code.
import { describe, expect, it } from 'vitest';
import { StrataError } from '../../../../../shared/errors.js';
import { defaultPlan } from '../../../../../shared/plan.js';
import {
  epConfig,
  explainOrtError,
  ortMessageTail,
  planNotes,
  sessionOptions,
} from '../../../../../electron/core/runner/session-options.js';

describe('sessionOptions', () => {
  it('maps every plan setting, with per-EP options, and turns the profiler on only with a prefix', () => {
    const plan = {
      ...defaultPlan(),
      eps: ['coreml', 'cuda', 'webgpu', 'cpu'] as const,
      coreMlFlags: 0x10,
      intraOpThreads: 2,
      interOpThreads: 1,
      graphOptimizationLevel: 'basic' as const,
      executionMode: 'parallel' as const,
    };
    const options = sessionOptions(plan);
    expect(options).toMatchObject({
      executionProviders: [{ name: 'coreml', coreMlFlags: 0x10 }, { name: 'cuda', deviceId: 0 }, 'webgpu', 'cpu'],
      intraOpNumThreads: 2,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'basic',
      executionMode: 'parallel',
    });
    expect(options.enableProfiling).toBeUndefined();
    expect(sessionOptions(plan, '/tmp/x/strata-1')).toMatchObject({
      enableProfiling: true,
      profileFilePrefix: '/tmp/x/strata-1',
    });
    expect(epConfig('coreml')).toEqual({ name: 'coreml', coreMlFlags: 0 }); // all compute units
  });
});

describe('planNotes', () => {
  it('says inter-op threads do nothing in sequential mode, and how to use them', () => {
    const [note, ...rest] = planNotes({ ...defaultPlan(), interOpThreads: 4 });
    expect(rest).toEqual([]);
    expect(note).toMatch(/^Inter-op threads \(4\) have no effect in sequential execution/);
    expect(note).toMatch(/in Run settings, or --parallel on the command line/);
    expect(planNotes({ ...defaultPlan(), interOpThreads: 4, executionMode: 'parallel' })).toEqual([]);
    expect(planNotes(defaultPlan())).toEqual([]);
  });
});

describe('explainOrtError', () => {
  const explain = (message: string, stage: 'load' | 'run' = 'run') =>
    explainOrtError(new Error(message), stage, '1.30.0');

  it('names the node, op and domain of an op onnxruntime lacks', () => {
    const err = explain(
      'This is an invalid model. In Node, ("/block/CustomOpThatDoesNotExist", CustomOpThatDoesNotExist, "", -1) : ("x": tensor(float),) -> ("y": tensor(float),) , Error No Op registered for CustomOpThatDoesNotExist with domain_version of 17',
      'load',
    );
    expect(err.code).toBe('MODEL_UNSUPPORTED');
    expect(err.message).toBe(
      "Node \"/block/CustomOpThatDoesNotExist\" uses op 'CustomOpThatDoesNotExist' (domain '', opset 17), which onnxruntime 1.30.0 does not implement. Replace the op, export with a different opset, or register a custom op library.",
    );
  });

  it('names the input and both dims of a wrong shape or rank', () => {
    const dims = explain(
      'Got invalid dimensions for input: x for the following indices\n index: 1 Got: 4 Expected: 3\n Please fix either the inputs/outputs or the model.',
    );
    expect(dims.code).toBe('BAD_SHAPE');
    expect(dims.message).toBe(
      "Input 'x' dim 1 must be 3, but 4 was given. Set it in Run settings, or with --shape/--dim on the command line.",
    );
    const rank = explain(
      'Invalid rank for input: x Got: 3 Expected: 4 Please fix either the inputs/outputs or the model.',
    );
    expect(rank.code).toBe('BAD_SHAPE');
    expect(rank.message).toBe(
      "Input 'x' must have 4 dims, but 3 were given. Set its shape in Run settings, or with --shape on the command line.",
    );
  });

  it('says an input has the wrong element type', () => {
    const err = explain('Unexpected input data type. Actual: (tensor(int32)) , expected: (tensor(float))');
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(/must hold float data, but int32 was given/);
  });

  it('calls a missing WebGPU adapter or CUDA library an unavailable EP, without source paths', () => {
    const webgpu = explain(
      '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters',
      'load',
    );
    expect(webgpu.code).toBe('EP_UNAVAILABLE');
    expect(webgpu.message).toMatch(/^No WebGPU adapter was found .*mesa-vulkan-drivers/);
    const cuda = explain('OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library', 'load');
    expect(cuda.code).toBe('EP_UNAVAILABLE');
    expect(cuda.message).toMatch(/^onnxruntime could not start the Cuda execution provider .*strata eps/);
  });

  it("falls back to one plain sentence, with onnxruntime's words kept as the detail", () => {
    const load = explain('Failed to load model because protobuf parsing failed.', 'load');
    expect(load.code).toBe('MODEL_UNSUPPORTED');
    expect(load.message).toBe(
      "onnxruntime 1.30.0 could not load the model: its file is corrupt or not an ONNX model (Failed to load model because protobuf parsing failed). --verbose shows onnxruntime's own message.",
    );
    expect(load.detail).toBe('Failed to load model because protobuf parsing failed.');
    const run = explain("input 'x' is missing in 'feeds'.");
    expect(run.code).toBe('RUN_FAILED');
    expect(run.message).toMatch(/^The model failed while running: input 'x' is missing in 'feeds'\. If/);
  });

  it('keeps C++ signatures and source paths out of the sentence', () => {
    const raw =
      '[ONNXRuntimeError] : 1 : FAIL : Load model from /tmp/m.onnx failed:/onnxruntime_src/onnxruntime/core/graph/graph.cc:1482 void onnxruntime::Graph::InitializeStateFromModelFileGraphProto() This is an invalid model. Graph output (y) does not exist in the graph.';
    const load = explain(raw, 'load');
    expect(load.message).not.toMatch(/::|\.cc|onnxruntime_src/);
    expect(load.message).toMatch(/^onnxruntime 1\.30\.0 could not load the model: its graph is invalid/);
    expect(load.detail).toBe(raw);
    const long = explain(`Something ${'very '.repeat(100)}long.`, 'load');
    expect(long.message.length).toBeLessThan(400);
  });

  it('says a failed allocation is the machine running out of memory, not BFCArena', () => {
    const raw =
      '/onnxruntime_src/onnxruntime/core/framework/bfc_arena.cc:359 void* onnxruntime::BFCArena::AllocateRawInternal(size_t, bool, onnxruntime::Stream*, bool, onnxruntime::WaitNotificationFn) Failed to allocate memory for requested buffer of size 32212254720';
    const run = explain(raw, 'run');
    expect(run.code).toBe('RUN_FAILED');
    expect(run.message).toMatch(
      /^The model needs more memory than onnxruntime could get on this machine \(it asked for 30(\.0)? GiB at once\)/,
    );
    expect(run.message).not.toMatch(/BFCArena/);
  });

  it('passes a StrataError through untouched', () => {
    const original = new StrataError('BAD_INPUT', 'Already explained.');
    expect(explainOrtError(original, 'run', '1.30.0')).toBe(original);
  });

  it('strips the source location onnxruntime puts before its message', () => {
    expect(ortMessageTail('/onnxruntime_src/onnxruntime/core/session/inference_session.cc:42 Fn Something broke')).toBe(
      'Something broke',
    );
    expect(ortMessageTail('plain\n message')).toBe('plain message');
  });
});
