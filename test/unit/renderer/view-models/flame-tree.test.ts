import { describe, expect, it } from 'vitest';
import {
  buildFlameTree,
  flameAncestry,
  flameFramesInRange,
  flameZoomRange,
  leafLabel,
  type FlameFrame,
} from '../../../../renderer/view-models/flame-tree.js';
import { makeReport } from '../../../fixtures/make-report.js';

const report = makeReport({ layers: 1200, threads: 2, runs: 3 });
const tree = buildFlameTree(report.layers);

function childrenOf(id: number | null): FlameFrame[] {
  return tree.frames.filter((f) => f.parent === id);
}

describe('buildFlameTree', () => {
  it('has one leaf per layer, each pointing at its layer', () => {
    const leaves = tree.frames.filter((f) => f.layer !== null);
    expect(leaves).toHaveLength(report.layers.length);
    expect(new Set(leaves.map((f) => f.layer)).size).toBe(report.layers.length);
    for (const leaf of leaves) expect(leaf.widthUs).toBeCloseTo(report.layers[leaf.layer!]!.meanUs, 9);
  });

  it('makes each module exactly as wide as its children, and lays children side by side inside it', () => {
    for (const frame of tree.frames) {
      const kids = childrenOf(frame.id);
      if (frame.layer !== null) {
        expect(kids).toHaveLength(0);
        continue;
      }
      const sum = kids.reduce((s, k) => s + k.widthUs, 0);
      expect(sum).toBeLessThanOrEqual(frame.widthUs * (1 + 1e-9));
      expect(sum).toBeCloseTo(frame.widthUs, 6);
      let cursor = frame.startUs;
      for (const kid of kids) {
        expect(kid.depth).toBe(frame.depth + 1);
        expect(kid.startUs).toBeCloseTo(cursor, 6);
        cursor += kid.widthUs;
      }
    }
  });

  it('puts the top row side by side across the total time of all layers', () => {
    const top = childrenOf(null);
    const total = report.layers.reduce((s, l) => s + l.meanUs, 0);
    expect(tree.totalUs).toBeCloseTo(total, 6);
    expect(top.reduce((s, f) => s + f.widthUs, 0)).toBeCloseTo(total, 6);
    expect(top.every((f) => f.depth === 0)).toBe(true);
  });

  it('follows the module path: a leaf sits one row below its last module segment', () => {
    for (const frame of tree.frames) {
      if (frame.layer === null) continue;
      const layer = report.layers[frame.layer]!;
      const segments = layer.modulePath.split('/').filter(Boolean);
      expect(frame.depth).toBe(segments.length);
      const chain = flameAncestry(tree, frame.id)
        .slice(0, -1)
        .map((f) => f.label);
      expect(chain).toEqual(segments);
    }
    expect(tree.maxDepth).toBe(Math.max(...tree.frames.map((f) => f.depth)));
  });

  it('orders siblings by when they first ran', () => {
    const layers = childrenOf(tree.byKey.get('encoder')!);
    expect(layers.map((f) => f.label).slice(0, 3)).toEqual(['layer.0', 'layer.1', 'layer.2']);
  });

  it('counts leaves under each module', () => {
    const block = tree.frames[tree.byKey.get('encoder/layer.0')!]!;
    expect(block.layerCount).toBe(
      report.layers.filter((l) => l.modulePath.startsWith('encoder/layer.0/') || l.modulePath === 'encoder/layer.0')
        .length,
    );
  });

  it('handles an empty model and zero-time layers', () => {
    expect(buildFlameTree([])).toMatchObject({ frames: [], totalUs: 0, maxDepth: -1 });
    const zero = buildFlameTree(report.layers.slice(0, 3).map((l) => ({ ...l, meanUs: 0 })));
    expect(zero.frames.filter((f) => f.layer !== null)).toHaveLength(3);
    expect(zero.totalUs).toBe(0);
  });
});

describe('flame zoom', () => {
  it('spans the zoomed frame and keeps only it, its ancestors (clipped) and its descendants', () => {
    const key = 'encoder/layer.3/attn';
    const id = tree.byKey.get(key)!;
    const frame = tree.frames[id]!;
    const range = flameZoomRange(tree, key);
    expect(range).toEqual({ startUs: frame.startUs, endUs: frame.startUs + frame.widthUs });
    const visible = flameFramesInRange(tree, key);
    const ancestors = flameAncestry(tree, id).map((f) => f.key);
    expect(ancestors).toEqual(['encoder', 'encoder/layer.3', key]);
    for (const v of visible) {
      expect(v.startUs).toBeGreaterThanOrEqual(range.startUs);
      expect(v.endUs).toBeLessThanOrEqual(range.endUs);
      const inside = v.frame.key.startsWith(key + '/') || v.frame.key.startsWith(key + '#');
      expect(inside || ancestors.includes(v.frame.key)).toBe(true);
    }
    expect(visible.filter((v) => v.frame.layer !== null)).toHaveLength(frame.layerCount);
  });

  it('shows everything for no zoom or an unknown key', () => {
    expect(flameFramesInRange(tree)).toHaveLength(tree.frames.length);
    expect(flameFramesInRange(tree, 'no/such/module')).toHaveLength(tree.frames.length);
  });
});

describe('leafLabel', () => {
  it('is the last segment of the node name', () => {
    expect(leafLabel({ ...report.layers[0]!, name: '/encoder/layer.0/attn/MatMul_1' })).toBe('MatMul_1');
    expect(leafLabel({ ...report.layers[0]!, name: 'Conv_12' })).toBe('Conv_12');
  });
});

describe('nested layers in the flame graph', () => {
  it('gives a control-flow layer its own time only, so its subgraph is not counted twice', () => {
    const base = makeReport({ layers: 3 }).layers;
    // An If of 100 µs whose subgraph ran a Conv of 30 µs and a Relu of 20 µs.
    const layers = [
      { ...base[0]!, index: 0, name: '/If', modulePath: '', opType: 'If', meanUs: 100, parent: undefined },
      { ...base[1]!, index: 1, name: '/then/Conv', modulePath: 'then', opType: 'Conv', meanUs: 30, parent: '/If' },
      { ...base[2]!, index: 2, name: '/then/Relu', modulePath: 'then', opType: 'Relu', meanUs: 20, parent: '/If' },
    ];
    const tree = buildFlameTree(layers);
    expect(tree.totalUs).toBe(100);
    expect(tree.frames.find((f) => f.layer === 0)!.widthUs).toBe(50);
    expect(tree.frames.find((f) => f.key === 'then')!.widthUs).toBe(50);
  });
});
