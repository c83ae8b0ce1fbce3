import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strataErrorOf as errorOf } from '../../../fixtures/errors.js';
import { defaultPlan } from '../../../../shared/plan.js';
import { parseInputs, parseProfileArgs, parseShapes } from '../../../../electron/cli/args.js';

describe('strata profile arguments', () => {
  it('uses the default plan when only a model is given', async () => {
    const args = parseProfileArgs(['model.onnx']);
    expect(args.modelPath).toBe(resolve('model.onnx'));
    expect(args.plan).toEqual(defaultPlan());
    expect(args.outputs).toEqual({ json: undefined, csv: undefined, trace: undefined, html: undefined });
  });

  it('maps every execution flag onto the plan', async () => {
    const { plan } = parseProfileArgs([
      'm.onnx',
      '--ep',
      'webgpu,cpu',
      '--runs',
      '7',
      '--warmup',
      '0',
      '--profiled-runs',
      '3',
      '--threads',
      '2',
      '--inter-threads',
      '1',
      '--parallel',
      '--opt-level',
      'basic',
      '--seed',
      '9',
      '--timeout',
      '2.5',
    ]);
    expect(plan).toMatchObject({
      eps: ['webgpu', 'cpu'],
      timedRuns: 7,
      warmupRuns: 0,
      profiledRuns: 3,
      intraOpThreads: 2,
      interOpThreads: 1,
      executionMode: 'parallel',
      graphOptimizationLevel: 'basic',
      seed: 9,
      runTimeoutMs: 2500,
    });
  });

  it('reads shapes, named dims and input values', async () => {
    const { plan } = parseProfileArgs([
      'm.onnx',
      '--shape',
      'x=1x3x48x192',
      '--shape',
      'sr=',
      '--dim',
      'batch=4',
      '--input',
      'sr=16000',
      '--input',
      'x=zeros',
      '--input',
      'state=s.npy',
    ]);
    expect(plan.shapes).toEqual({ x: [1, 3, 48, 192], sr: [] });
    expect(plan.dims).toEqual({ batch: 4 });
    expect(plan.inputs).toEqual({
      sr: { kind: 'scalar', value: 16000 },
      x: { kind: 'zeros' },
      state: { kind: 'file', path: resolve('s.npy') },
    });
  });

  it('seeds --input NAME=random with --seed, wherever the flags stand', async () => {
    expect(parseProfileArgs(['m.onnx', '--input', 'x=random', '--seed', '7']).plan.inputs).toEqual({
      x: { kind: 'random', seed: 7 },
    });
    expect(parseProfileArgs(['m.onnx', '--seed', '7', '--input', 'x=random']).plan.inputs.x).toEqual({
      kind: 'random',
      seed: 7,
    });
    expect(parseProfileArgs(['m.onnx', '--input', 'x=random']).plan.inputs.x).toEqual({
      kind: 'random',
      seed: defaultPlan().seed,
    });
  });

  it('accepts commas as shape separators', async () => {
    expect(parseShapes(['x=2,3'])).toEqual({ x: [2, 3] });
  });

  it('names the bad dimension of a wrong --shape', async () => {
    const err = await errorOf(() => parseShapes(['x=1x0x4']));
    expect(err.code).toBe('BAD_SHAPE');
    expect(err.message).toContain('"0"');
  });

  it('rejects an input value it cannot read', async () => {
    const err = await errorOf(() => parseInputs(['x=banana']));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toContain('"banana"');
  });

  it('rejects unknown EPs, unknown flags and missing models as usage errors', async () => {
    expect((await errorOf(() => parseProfileArgs(['m.onnx', '--ep', 'tpu']))).message).toContain('"tpu"');
    expect((await errorOf(() => parseProfileArgs(['m.onnx', '--bogus']))).code).toBe('BAD_ARGUMENT');
    expect((await errorOf(() => parseProfileArgs([]))).message).toContain('No model given');
    expect((await errorOf(() => parseProfileArgs(['m.onnx', '--runs', '0']))).message).toContain('--runs');
    expect((await errorOf(() => parseProfileArgs(['m.onnx', '--opt-level', 'max']))).message).toContain('"max"');
  });
});
