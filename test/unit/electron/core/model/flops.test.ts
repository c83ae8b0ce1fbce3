import { describe, expect, it } from 'vitest';
import { estimateFlops } from '../../../../../electron/core/model/flops.js';

describe('FLOPs from shapes', () => {
  it('counts a batched MatMul as 2·M·N·K per batch', () => {
    expect(
      estimateFlops(
        'MatMul',
        [
          [1, 64, 64],
          [64, 256],
        ],
        [[1, 64, 256]],
      ),
    ).toBe(2 * 64 * 256 * 64);
    expect(
      estimateFlops(
        'MatMul',
        [
          [4, 8, 32, 16],
          [4, 8, 16, 32],
        ],
        [[4, 8, 32, 32]],
      ),
    ).toBe(2 * 4 * 8 * 32 * 32 * 16);
  });

  it('counts Gemm with and without bias', () => {
    expect(estimateFlops('Gemm', [[2, 10], [10, 5], [5]], [[2, 5]])).toBe(2 * 2 * 5 * 10 + 2 * 5);
    expect(
      estimateFlops(
        'Gemm',
        [
          [2, 10],
          [5, 10],
        ],
        [[2, 5]],
      ),
    ).toBe(2 * 2 * 5 * 10);
  });

  it('counts Conv and grouped Conv from the weight shape', () => {
    expect(
      estimateFlops(
        'Conv',
        [
          [1, 3, 32, 32],
          [8, 3, 3, 3],
        ],
        [[1, 8, 32, 32]],
      ),
    ).toBe(2 * 8 * 32 * 32 * 27);
    // Depthwise: weight [C, 1, 3, 3].
    expect(estimateFlops('Conv', [[1, 16, 8, 8], [16, 1, 3, 3], [16]], [[1, 16, 8, 8]])).toBe(
      2 * 16 * 64 * 9 + 16 * 64,
    );
    expect(estimateFlops('FusedConv', [[1, 3, 8, 8], [4, 3, 1, 1], [4]], [[1, 4, 8, 8]])).toBe(2 * 256 * 3 + 256 + 256);
  });

  it('counts ConvTranspose from the input side', () => {
    expect(
      estimateFlops(
        'ConvTranspose',
        [
          [1, 4, 8, 8],
          [4, 2, 2, 2],
        ],
        [[1, 2, 16, 16]],
      ),
    ).toBe(2 * 256 * 8);
  });

  it('counts quantized MatMuls like MatMul, reading the right inputs', () => {
    expect(estimateFlops('DynamicQuantizeMatMul', [[4, 512], [512, 1024], [1024], [1024]], [[4, 1024]])).toBe(
      2 * 4 * 1024 * 512,
    );
    expect(estimateFlops('QLinearMatMul', [[4, 8], [], [], [8, 3], [], [], [], []], [[4, 3]])).toBe(2 * 4 * 3 * 8);
  });

  it('counts element-wise ops once per output element and leaves data movement undefined', () => {
    expect(estimateFlops('Relu', [[2, 3]], [[2, 3]])).toBe(6);
    expect(estimateFlops('Add', [[2, 3], [3]], [[2, 3]])).toBe(6);
    expect(estimateFlops('Reshape', [[2, 3], [2]], [[3, 2]])).toBeNull();
    expect(estimateFlops('Softmax', [[2, 3]], [[2, 3]])).toBeNull();
  });
});

describe('FLOPs when onnxruntime prepacked the weight', () => {
  it('counts a ConvTranspose whose weight only the graph has, with and without bias', () => {
    // onnxruntime's CPU ConvTranspose lists [X, B] (or [X]): W [Cin=8, Cout/group=4, 2, 2] is in the graph.
    expect(estimateFlops('ConvTranspose', [[1, 8, 16, 16], [4]], [[1, 4, 32, 32]])).toBeNull();
    expect(estimateFlops('ConvTranspose', [[1, 8, 16, 16], [4]], [[1, 4, 32, 32]], [null, [8, 4, 2, 2], [4]])).toBe(
      2 * 2048 * 16 + 4096,
    );
    expect(estimateFlops('ConvTranspose', [[1, 4, 32, 32]], [[1, 4, 32, 32]], [null, [4, 2, 3, 3]])).toBe(
      2 * 4096 * 18,
    );
    // A weight the trace does list wins over the graph's.
    expect(
      estimateFlops(
        'ConvTranspose',
        [
          [1, 4, 8, 8],
          [4, 2, 2, 2],
        ],
        [[1, 2, 16, 16]],
        [null, [9, 9, 9, 9]],
      ),
    ).toBe(2 * 256 * 8);
  });

  it('counts a Conv whose weight the trace left out from the graph, bias from where the weight was', () => {
    expect(estimateFlops('Conv', [[1, 3, 8, 8], [4]], [[1, 4, 8, 8]], [null, [4, 3, 3, 3], [4]])).toBe(
      2 * 256 * 27 + 256,
    );
  });

  it('still counts a Gemm whose B is missing from the profiled inputs, bias included', () => {
    // As the profiler lists a Gemm with a prepacked [32, 10] weight: A and C only.
    expect(estimateFlops('Gemm', [[1, 32], [10]], [[1, 10]])).toBe(2 * 32 * 10 + 10);
    expect(estimateFlops('Gemm', [[1, 32]], [[1, 10]])).toBe(2 * 32 * 10);
  });
});
