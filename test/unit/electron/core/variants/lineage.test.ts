// Layer lineage: layers onnxruntime renamed, and nodes a transform wrote, map back to the node they
// came from, and the matcher sums a quantized layer's group against the original.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../../electron/core/model/graph-builder.js';
import { decodeModel, encodeModel } from '../../../../../electron/core/model/onnx-proto.js';
import {
  layerOriginResolver,
  lineageFromName,
  lineageName,
  readLineage,
  stamp,
} from '../../../../../electron/core/variants/lineage.js';
import { matchLayers } from '../../../../../electron/core/variants/matching.js';
import type { LayerStats } from '../../../../../shared/report.js';

function convRelu(): GraphBuilder {
  const g = new GraphBuilder();
  g.input('x', [1, 3, 8, 8]);
  g.floatInit('w', [4, 3, 3, 3], () => 0.1);
  g.node('Conv', ['x', 'w'], '/a/Conv_out', { name: '/a/Conv' });
  g.node('Relu', ['/a/Conv_out'], '/a/Relu_out', { name: '/a/Relu' });
  g.node('MaxPool', ['/a/Relu_out'], 'y', { name: '/a/MaxPool', attrs: { kernel_shape: [2, 2] } });
  g.output('y', null);
  return g;
}

const layer = (name: string, opType: string, p50Us: number): LayerStats =>
  ({ name, opType, p50Us, meanUs: p50Us, share: 0, provider: 'CPUExecutionProvider' }) as LayerStats;

describe('layer lineage', () => {
  it('writes lineage into node metadata, and it survives encoding', () => {
    const g = convRelu();
    g.graph.nodes[0] = stamp(g.graph.nodes[0]!, '/a/Conv', 'compute');
    const dql = lineageName('/a/Conv', 'quantize-input', 'DynamicQuantizeLinear');
    g.graph.nodes.push(
      stamp(
        {
          name: dql,
          opType: 'DynamicQuantizeLinear',
          domain: '',
          inputs: ['x'],
          outputs: ['q', 's', 'z'],
          attributes: [],
        },
        '/a/Conv',
        'quantize-input',
      ),
    );
    const lineage = readLineage(decodeModel(encodeModel(g.toModel())));
    expect(lineage.get('/a/Conv')).toEqual({ origin: '/a/Conv', role: 'compute' });
    expect(lineage.get(dql)).toEqual({ origin: '/a/Conv', role: 'quantize-input' });
  });

  it('falls back to the naming rule when a tool dropped the metadata', () => {
    expect(lineageFromName('/enc/conv/Conv/strata.rescale/Mul_scale')).toEqual({
      origin: '/enc/conv/Conv',
      role: 'rescale',
    });
    expect(lineageFromName('/enc/conv/Conv')).toBeNull();
  });

  it("maps onnxruntime's renamed layers back to the node they came from", () => {
    const resolve = layerOriginResolver(convRelu().toModel());
    expect(resolve('fused /a/Conv')).toEqual({ origin: '/a/Conv', role: null });
    expect(resolve('/a/Conv_token_3')).toEqual({ origin: '/a/Conv', role: null });
    // Conv+Relu fused and named after the Relu's output tensor: the Conv is the layer's origin.
    expect(resolve('/a/Relu_out_nchwc', 'Conv')).toEqual({ origin: '/a/Conv', role: null });
    expect(resolve('/a/Relu_out_nchwc', 'Relu')).toEqual({ origin: '/a/Relu', role: null });
    // Nodes onnxruntime inserted have no origin in the file.
    expect(resolve('ReorderInput')).toBeNull();
    expect(resolve('Transpose_token_10')).toBeNull();
  });

  it('sums a quantized layer with its helpers against the original, and counts the match rate', () => {
    const base = [layer('/a/Relu_out_nchwc', 'Conv', 40), layer('/a/MaxPool', 'MaxPool', 5)];
    const variant = [
      layer(lineageName('/a/Conv', 'quantize-input', 'DynamicQuantizeLinear'), 'DynamicQuantizeLinear', 10),
      layer('/a/Conv', 'ConvInteger', 100),
      layer(lineageName('/a/Conv', 'rescale', 'Mul'), 'Mul', 3),
      layer('/a/Relu', 'Relu', 2),
      layer('/a/MaxPool', 'MaxPool', 5),
    ];
    const baseResolve = layerOriginResolver(convRelu().toModel());
    const variantResolve = (name: string) => {
      const named = lineageFromName(name);
      return (
        named ??
        (name.startsWith('/a/') ? { origin: name, role: name === '/a/Conv' ? ('compute' as const) : null } : null)
      );
    };
    const { layers, unmatched, matchRates } = matchLayers([base, variant], [baseResolve, variantResolve]);
    const conv = layers[0]!;
    expect(conv.how).toBe('lineage');
    expect(conv.opTypes).toEqual(['Conv', 'ConvInteger']);
    expect(conv.timesUs).toEqual([40, 113]);
    expect(conv.groups?.[1]).toHaveLength(3);
    expect(layers[1]!.timesUs).toEqual([5, 5]);
    expect(unmatched).toEqual([{ model: 1, layers: ['/a/Relu'] }]);
    expect(matchRates).toEqual([{ model: 1, matched: 2, total: 2, byLineage: 1, inserted: 0 }]);
  });
});
