import { describe, expect, it } from 'vitest';
import { compareTensors, looksLikeClassScores, topKAgreement } from '../../../../../electron/core/variants/fidelity.js';
import { originName } from '../../../../../electron/core/model/fused-names.js';
import { matchLayers } from '../../../../../electron/core/variants/matching.js';
import { matchTensors } from '../../../../../shared/tensor-match.js';
import type { LayerStats } from '../../../../../shared/report.js';

const names = { name: 'y', baselineName: 'y' };

describe('output fidelity', () => {
  it('matches the worked example', () => {
    const f = compareTensors([1, 2], [1, 2.1], names);
    expect(f.cosine).toBeCloseTo(5.2 / Math.sqrt(5 * 5.41), 12);
    expect(f.maxAbsErr).toBeCloseTo(0.1, 12);
    expect(f.meanAbsErr).toBeCloseTo(0.05, 12);
    expect(f.snrDb).toBeCloseTo(10 * Math.log10(5 / 0.01), 9);
  });

  it('calls identical outputs identical, all-zero outputs included', () => {
    expect(compareTensors([3, -1], [3, -1], names)).toMatchObject({ cosine: 1, maxAbsErr: 0, snrDb: Infinity });
    expect(compareTensors([0, 0], [0, 0], names).cosine).toBe(1);
    expect(compareTensors([0, 0], [1, 0], names).cosine).toBe(0);
  });

  it('counts top-1 and top-5 agreement per row', () => {
    // Two rows of 3 classes: row 0 agrees (class 2 wins in both), row 1 does not.
    expect(topKAgreement([0, 1, 5, 9, 1, 0], [0, 2, 4, 0, 1, 3], 3, 1)).toBe(0.5);
    expect(topKAgreement([0, 1, 5, 9, 1, 0], [0, 2, 4, 0, 1, 3], 3, 3)).toBe(1);
    const f = compareTensors(
      Array.from({ length: 20 }, (_, i) => i),
      Array.from({ length: 20 }, (_, i) => i),
      names,
      10,
    );
    expect(f.top1Agreement).toBe(1);
    expect(f.top5Agreement).toBe(1);
  });

  it('recognises class scores by name or by rows that are probability distributions', () => {
    expect(looksLikeClassScores([1, 1000], 'logits')).toBe(true);
    expect(looksLikeClassScores([1, 40, 6625], 'softmax_11.tmp_0')).toBe(true);
    expect(looksLikeClassScores([2, 3], 'y', [0.2, 0.3, 0.5, 0.1, 0.1, 0.8])).toBe(true);
    expect(
      looksLikeClassScores(
        [2, 1, 128],
        'stateN',
        Array.from({ length: 256 }, (_, i) => Math.sin(i)),
      ),
    ).toBe(false);
    expect(looksLikeClassScores([1, 1, 320, 320], 'probs')).toBe(false);
    expect(looksLikeClassScores([1, 1], 'logits')).toBe(false);
  });
});

describe('matching across models', () => {
  const tensor = (name: string, dims: (number | string | null)[], elementType = 'float32' as const) => ({
    name,
    elementType,
    dims,
  });

  it('matches inputs by name, then by position and shape', () => {
    const base = [tensor('input', ['batch', 512]), tensor('sr', [], 'int64' as never)];
    const variant = [tensor('audio', [1, 512]), tensor('sr', [], 'int64' as never)];
    expect(matchTensors(base, variant, 'input', 'variant')).toEqual([
      { name: 'audio', baselineName: 'input', how: 'position' },
      { name: 'sr', baselineName: 'sr', how: 'name' },
    ]);
  });

  it('explains an input that matches neither by name nor by shape', () => {
    expect(() =>
      matchTensors([tensor('x', [1, 3, 224, 224])], [tensor('image', [1, 224, 224])], 'input', 'distilled.onnx'),
    ).toThrow(/distilled\.onnx's input "image" \(float32\[1, 224, 224\]\) matches no baseline input by name, nor "x"/);
  });

  it("sees through onnxruntime's fused names", () => {
    expect(originName('fused /mlp/layer.0/fc/MatMul/MatMulAddFusion')).toBe('/mlp/layer.0/fc/MatMul');
    expect(originName('/a/Conv')).toBe('/a/Conv');
    expect(originName('/s/MatMul/MatMulScaleFusion/')).toBe('/s/MatMul');
    const layer = (name: string, opType: string, p50Us: number) => ({ name, opType, p50Us }) as LayerStats;
    const { layers } = matchLayers([
      [layer('fused /a/MatMul/MatMulAddFusion', 'FusedGemm', 10)],
      [layer('/a/MatMul', 'DynamicQuantizeMatMul', 4)],
    ]);
    expect(layers[0]).toMatchObject({ how: 'origin', deltasUs: [null, -6] });
  });

  it('matches layers by name, then by op type in order, and lists the rest', () => {
    const layer = (name: string, opType: string, p50Us: number) => ({ name, opType, p50Us }) as LayerStats;
    const base = [layer('/a/MatMul', 'MatMul', 10), layer('/b/Relu', 'Relu', 2), layer('/c/MatMul', 'MatMul', 20)];
    const variant = [
      layer('/a/MatMul', 'DynamicQuantizeMatMul', 4),
      layer('fused_relu', 'Relu', 1),
      layer('extra', 'Cast', 1),
    ];
    const { layers, unmatched } = matchLayers([base, variant]);
    expect(layers.map((l) => [l.name, l.how, l.deltasUs[1]])).toEqual([
      ['/a/MatMul', 'name', -6],
      ['/b/Relu', 'op-position', -1],
      ['/c/MatMul', 'unmatched', null],
    ]);
    expect(unmatched).toEqual([{ model: 1, layers: ['extra'] }]);
  });
});
