// Module paths of the layers onnxruntime actually runs, with the names it gave them (copied from
// profiles of the sample model and of buildConvNet with optimisations on).
import { describe, expect, it } from 'vitest';
import { indexGraphs } from '../../../../../electron/core/model/graph-index.js';
import { assignModulePaths, modulePathOf } from '../../../../../electron/core/model/module-paths.js';
import { decodeModel, walkGraphs } from '../../../../../electron/core/model/onnx-proto.js';
import { buildConvNet } from '../../../../support/synthetic-models.js';

describe('module paths', () => {
  it('drops the op segment, and sees through fusions rather than keeping "MatMul" or "fused " in the path', () => {
    expect(modulePathOf('/encoder/layer.0/attn/k_proj/MatMul/MatMulAddFusion')).toBe('encoder/layer.0/attn/k_proj');
    expect(modulePathOf('/encoder/layer.0/attn/scores/MatMul/MatMulScaleFusion/')).toBe('encoder/layer.0/attn/scores');
    expect(modulePathOf('fused /fc1/MatMul')).toBe('fc1');
    expect(modulePathOf('/encoder/layer.0/attn/merge/Reshape_new_reshape')).toBe('encoder/layer.0/attn/merge');
    expect(modulePathOf('p2o.Conv.3')).toBe('');
  });

  it("places onnxruntime's Gemm reshapes with the Gemm they serve, before and after it", () => {
    const layers = [
      { name: '/encoder/layer.0/attn/norm/LayerNormalization', opType: 'LayerNormalization' },
      { name: 'gemm_input_reshape_token_2', opType: 'Reshape' },
      { name: '/encoder/layer.0/attn/q_proj/MatMul/MatMulAddFusion', opType: 'Gemm' },
      { name: 'gemm_output_reshape_token_5_new_reshape', opType: 'Reshape' },
      { name: '/encoder/layer.0/attn/q_proj/Transpose', opType: 'Transpose' },
    ];
    expect(assignModulePaths(layers)).toEqual([
      'encoder/layer.0/attn/norm',
      'encoder/layer.0/attn/q_proj',
      'encoder/layer.0/attn/q_proj',
      'encoder/layer.0/attn/q_proj',
      'encoder/layer.0/attn/q_proj',
    ]);
  });

  it('finds an NCHWc layer through the tensor it is named after, back to the node of its own op type', () => {
    const graph = indexGraphs(walkGraphs(decodeModel(buildConvNet().bytes).graph));
    const layers = [
      { name: 'ReorderInput', opType: 'ReorderInput' },
      // A Conv fused with its Relu, named after the Relu's output tensor.
      { name: '/features/stage.0/act/Relu_out_nchwc', opType: 'Conv' },
      { name: '/features/stage.0/pool/MaxPool_out_nchwc', opType: 'MaxPool' },
      { name: 'gap_out_nchwc', opType: 'GlobalAveragePool' },
      { name: 'ReorderOutput', opType: 'ReorderOutput' },
      { name: '/head/fc/Gemm', opType: 'Gemm' },
    ];
    expect(assignModulePaths(layers, graph)).toEqual([
      'features/stage.0/conv',
      'features/stage.0/conv',
      'features/stage.0/pool',
      'head/pool',
      'head/pool',
      'head/fc',
    ]);
    // Without the graph only the names speak: the fused Conv lands with its activation.
    expect(assignModulePaths(layers)[1]).toBe('features/stage.0/act');
  });
});

describe('the graph index', () => {
  const graph = indexGraphs(walkGraphs(decodeModel(buildConvNet().bytes).graph));

  it('gives the constant input shapes of a node, fused names seen through, null for computed inputs', () => {
    expect(graph.constantShapes('/features/stage.0/conv/Conv')).toEqual([null, [8, 3, 3, 3], [8]]);
    expect(graph.constantShapes('fused /features/stage.0/conv/Conv')).toEqual([null, [8, 3, 3, 3], [8]]);
    expect(graph.constantShapes('gemm_input_reshape_token_2')).toBeUndefined();
  });

  it('names the producer of a tensor', () => {
    expect(graph.producerOf('/features/stage.1/act/Relu_out')).toMatchObject({
      name: '/features/stage.1/act/Relu',
      opType: 'Relu',
    });
    expect(graph.producerOf('image')).toBeUndefined();
  });
});
