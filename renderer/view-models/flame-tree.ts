/**
 * The flame graph's frames, built from the module hierarchy in node names: each layer's `modulePath`
 * segments become nested module frames and the layer itself is the leaf under them. Width is time
 * (the layer's own mean per-run µs: a control-flow layer without the subgraph layers that ran inside
 * it, which have frames of their own); a module is exactly as wide as the layers under it.
 *
 * Pure and DOM-free: the app and the HTML report draw the same frames.
 *
 * Example: layers `enc/l0/attn/MatMul` (30 µs), `enc/l0/attn/Softmax` (10 µs), `enc/l0/ffn/Gemm`
 * (60 µs) give frames
 *   depth 0: enc      [0, 100)
 *   depth 1: l0       [0, 100)
 *   depth 2: attn     [0, 40)        ffn [40, 100)
 *   depth 3: MatMul   [0, 30)  Softmax [30, 40)  Gemm [40, 100)
 * Siblings are ordered by when they first ran, so the graph reads left to right in execution order.
 */
import { robustOwnTimesUs } from '../../shared/layer-time.js';
import type { LayerStats } from '../../shared/report.js';

/**
 * What a flame leaf needs of a layer: a report's layers, or anything shaped like them (the
 * Generation view's per-module phase times).
 */
export type FlameLayer = Pick<
  LayerStats,
  'index' | 'name' | 'modulePath' | 'firstStartUs' | 'meanUs' | 'parent' | 'ownP50Us'
>;

/** One rectangle of the flame graph. */
export interface FlameFrame {
  readonly id: number; // index into FlameTree.frames
  readonly key: string; // module path ("enc/l0/attn") for modules; "<path>#<layer index>" for leaves
  readonly label: string; // module segment, or the layer name's last segment for leaves
  readonly depth: number; // 0 = top row
  readonly startUs: number; // left edge, in µs of mean per-run time from the left of the graph
  readonly widthUs: number;
  readonly layer: number | null; // index into report.layers for leaves, null for modules
  readonly parent: number | null; // frame id
  readonly layerCount: number; // leaves at or under this frame
}

/** Every frame in depth-first pre-order (a parent always precedes its children). */
export interface FlameTree {
  readonly frames: readonly FlameFrame[];
  readonly totalUs: number;
  readonly maxDepth: number; // deepest row index; -1 when there are no layers
  readonly byKey: ReadonlyMap<string, number>; // frame key -> frame id
}

interface TrieNode {
  readonly label: string;
  readonly path: string;
  readonly children: Map<string, TrieNode>;
  readonly leaves: FlameLayer[];
  firstStartUs: number;
  totalUs: number;
}

function newNode(label: string, path: string): TrieNode {
  return { label, path, children: new Map(), leaves: [], firstStartUs: Infinity, totalUs: 0 };
}

/** The label a leaf shows: the part of the node name after its module path ("MatMul"), else the name. */
export function leafLabel(layer: Pick<LayerStats, 'name' | 'index'>): string {
  const segments = layer.name.split('/').filter((s) => s.length > 0);
  return segments.length > 0 ? segments[segments.length - 1]! : layer.name || `#${layer.index}`;
}

/** Builds the flame frames for a report's layers. Negative or non-finite times count as zero. */
export function buildFlameTree(layers: readonly FlameLayer[]): FlameTree {
  const root = newNode('', '');
  const own = robustOwnTimesUs(layers);
  const widthOf = new Map<FlameLayer, number>();
  for (const [i, layer] of layers.entries()) {
    const us = Number.isFinite(own[i]) && own[i]! > 0 ? own[i]! : 0;
    widthOf.set(layer, us);
    const start = Number.isFinite(layer.firstStartUs) ? layer.firstStartUs : Infinity;
    let node = root;
    node.totalUs += us;
    node.firstStartUs = Math.min(node.firstStartUs, start);
    for (const segment of layer.modulePath.split('/').filter((s) => s.length > 0)) {
      let child = node.children.get(segment);
      if (!child) {
        child = newNode(segment, node.path ? `${node.path}/${segment}` : segment);
        node.children.set(segment, child);
      }
      node = child;
      node.totalUs += us;
      node.firstStartUs = Math.min(node.firstStartUs, start);
    }
    node.leaves.push(layer);
  }

  const frames: FlameFrame[] = [];
  const byKey = new Map<string, number>();
  let maxDepth = -1;

  // Lays out one module's children from `startUs` on; returns nothing, frames are appended in pre-order.
  const layout = (node: TrieNode, depth: number, startUs: number, parent: number | null): void => {
    type Item = { order: number; seq: number; module?: TrieNode; leaf?: FlameLayer };
    const items: Item[] = [];
    let seq = 0;
    for (const child of node.children.values()) items.push({ order: child.firstStartUs, seq: seq++, module: child });
    for (const leaf of node.leaves) {
      items.push({ order: Number.isFinite(leaf.firstStartUs) ? leaf.firstStartUs : Infinity, seq: seq++, leaf });
    }
    // Stable: equal start times keep insertion order (modules first seen, then leaves in layer order).
    items.sort((a, b) => (a.order === b.order ? a.seq - b.seq : a.order < b.order ? -1 : 1));
    let cursor = startUs;
    maxDepth = Math.max(maxDepth, depth);
    for (const item of items) {
      const id = frames.length;
      if (item.module) {
        const m = item.module;
        const frame: FlameFrame = {
          id,
          key: m.path,
          label: m.label,
          depth,
          startUs: cursor,
          widthUs: m.totalUs,
          layer: null,
          parent,
          layerCount: countLeaves(m),
        };
        frames.push(frame);
        byKey.set(frame.key, id);
        layout(m, depth + 1, cursor, id);
        cursor += m.totalUs;
      } else {
        const layer = item.leaf!;
        const us = widthOf.get(layer) ?? 0;
        const frame: FlameFrame = {
          id,
          key: `${node.path}#${layer.index}`,
          label: leafLabel(layer),
          depth,
          startUs: cursor,
          widthUs: us,
          layer: layer.index,
          parent,
          layerCount: 1,
        };
        frames.push(frame);
        byKey.set(frame.key, id);
        cursor += us;
      }
    }
  };
  if (layers.length > 0) layout(root, 0, 0, null);
  return { frames, totalUs: root.totalUs, maxDepth, byKey };
}

function countLeaves(node: TrieNode): number {
  let n = node.leaves.length;
  for (const child of node.children.values()) n += countLeaves(child);
  return n;
}

/** The frames from the top row down to `frameId` (inclusive): the breadcrumb of a zoom. */
export function flameAncestry(tree: FlameTree, frameId: number): FlameFrame[] {
  const chain: FlameFrame[] = [];
  let id: number | null = frameId;
  while (id !== null) {
    const frame: FlameFrame | undefined = tree.frames[id];
    if (!frame) break;
    chain.unshift(frame);
    id = frame.parent;
  }
  return chain;
}

/** The horizontal range [startUs, endUs) a zoom key shows: the whole graph when the key is unknown or absent. */
export function flameZoomRange(tree: FlameTree, zoomKey?: string | null): { startUs: number; endUs: number } {
  const id = zoomKey ? tree.byKey.get(zoomKey) : undefined;
  const frame = id === undefined ? undefined : tree.frames[id];
  if (!frame || frame.widthUs <= 0) return { startUs: 0, endUs: tree.totalUs };
  return { startUs: frame.startUs, endUs: frame.startUs + frame.widthUs };
}

/**
 * The frames visible when zoomed into `zoomKey`, clipped to its range: the zoomed frame, its
 * ancestors (clipped to the same width) and its descendants. All frames when not zoomed.
 */
export function flameFramesInRange(
  tree: FlameTree,
  zoomKey?: string | null,
): { frame: FlameFrame; startUs: number; endUs: number }[] {
  const { startUs, endUs } = flameZoomRange(tree, zoomKey);
  const out: { frame: FlameFrame; startUs: number; endUs: number }[] = [];
  for (const frame of tree.frames) {
    const s = Math.max(frame.startUs, startUs);
    const e = Math.min(frame.startUs + frame.widthUs, endUs);
    // A zero-width frame inside the range is kept (it ran, just too fast to measure).
    if (e > s || (frame.widthUs === 0 && frame.startUs >= startUs && frame.startUs < endUs)) {
      out.push({ frame, startUs: s, endUs: e });
    }
  }
  return out;
}
