// Raising an opset 9 model to 11 for DynamicQuantizeLinear: the ops whose attributes became inputs
// are rewritten, and a model with an op that changed in ways not handled is left alone, with why.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../../electron/core/model/graph-builder.js';
import { defaultOpset, upgradeOpset } from '../../../../../electron/core/variants/opset-upgrade.js';

describe('opset upgrade', () => {
  it("moves Clip's min/max and Slice's starts/ends/axes from attributes to inputs", () => {
    const g = new GraphBuilder();
    g.input('x', [1, 8]);
    g.node('Clip', ['x'], 'c', { name: 'clip', attrs: { min: 0, max: 6.0001 } });
    g.node('Slice', ['c'], 'y', { name: 'slice', attrs: { starts: [0], ends: [4], axes: [1] } });
    g.output('y', null);
    const model = g.toModel(9);
    expect(upgradeOpset(model, 11)).toBeNull();
    expect(defaultOpset(model)).toBe(11);
    const [clip, slice] = model.graph.nodes;
    expect(clip!.attributes).toEqual([]);
    expect(clip!.inputs).toHaveLength(3);
    expect(slice!.attributes).toEqual([]);
    expect(slice!.inputs).toHaveLength(4);
    const init = (name: string) => model.graph.initializers.find((t) => t.name === name)!;
    expect(Array.from(new Float32Array(init(clip!.inputs[2]!).raw!.slice().buffer))[0]).toBeCloseTo(6.0001, 4);
    expect(Array.from(new BigInt64Array(init(slice!.inputs[2]!).raw!.slice().buffer))).toEqual([4n]);
  });

  it('refuses, saying why, when an op changed in a way it does not rewrite', () => {
    const g = new GraphBuilder();
    g.input('x', [1, 1, 4, 4]);
    g.node('Upsample', ['x', 'scales'], 'y', { name: 'up' });
    g.output('y', null);
    const model = g.toModel(9);
    expect(upgradeOpset(model, 11)).toMatch(/opset 9 and its Upsample would change meaning at opset 11/);
    expect(defaultOpset(model)).toBe(9);
  });
});
