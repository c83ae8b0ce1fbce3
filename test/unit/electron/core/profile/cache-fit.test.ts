import { describe, expect, it } from 'vitest';
import { cacheLevelFor, parameterBytesOf, workingSetBytes } from '../../../../../electron/core/profile/cache-fit.js';
import { nodeWeightBytes } from '../../../../../electron/core/profile/node-weights.js';
import { buildMlp } from '../../../../support/synthetic-models.js';
import { decodeModel, walkGraphs } from '../../../../../electron/core/model/onnx-proto.js';

describe('weights per node from the graph', () => {
  it('gives each MatMul and Add of an MLP the bytes of its initializers', () => {
    const sizes = [64, 64, 256, 2048];
    const weights = nodeWeightBytes(walkGraphs(decodeModel(buildMlp({ sizes }).bytes).graph));
    for (let i = 0; i + 1 < sizes.length; i++) {
      expect(weights(`/mlp/layer.${i}/fc/MatMul`)).toBe(sizes[i]! * sizes[i + 1]! * 4);
      expect(weights(`/mlp/layer.${i}/fc/Add`)).toBe(sizes[i + 1]! * 4);
    }
    expect(weights('/mlp/layer.0/act/Relu')).toBeUndefined(); // reads no weight
  });

  it('finds the weights of layers onnxruntime fused, through the name they came from', () => {
    const sizes = [64, 256, 32];
    const weights = nodeWeightBytes(walkGraphs(decodeModel(buildMlp({ sizes }).bytes).graph));
    // MatMul + bias Add fused into one Gemm: the weight matrix and the bias.
    expect(weights('/mlp/layer.0/fc/MatMul/MatMulAddFusion')).toBe((64 * 256 + 256) * 4);
    expect(weights('fused /mlp/layer.1/fc/MatMul')).toBe(256 * 32 * 4);
    expect(weights('/mlp/layer.1/fc/MatMul/MatMulScaleFusion/')).toBe(256 * 32 * 4);
    // Nodes onnxruntime inserts have no weights in the graph.
    expect(weights('gemm_input_reshape_token_2')).toBeUndefined();
  });

  it('takes the larger of onnxruntime’s count and the graph’s', () => {
    // After prepacking, onnxruntime reports 0 parameter bytes for a MatMul whose W is 16 KiB.
    expect(parameterBytesOf({ parameterBytes: 0 }, 16384)).toBe(16384);
    expect(parameterBytesOf({ parameterBytes: 256 }, undefined)).toBe(256); // a fused node the graph does not name
    expect(parameterBytesOf({ parameterBytes: 512 }, 256)).toBe(512);
    expect(workingSetBytes({ parameterBytes: 16384, activationBytes: 256, outputBytes: 256 })).toBe(16896);
  });

  it('places working sets in the smallest cache that holds them', () => {
    const caches = { l1d: 48 * 1024, l1i: 32 * 1024, l2: 1024 ** 2, l3: 32 * 1024 ** 2, source: 'sysfs' as const };
    expect(
      [16.5 * 1024, 66 * 1024, 2 * 1024 ** 2, 128 * 1024 ** 2, 4 * 1024 ** 2].map((b) => cacheLevelFor(b, caches)),
    ).toEqual(['L1', 'L2', 'L3', 'DRAM', 'L3']);
  });
});
