/**
 * Nested time: a control-flow layer (If, Loop, Scan) runs its subgraph's layers inside its own
 * call, so its meanUs includes theirs. Adding every layer's meanUs counts that time twice; adding
 * every layer's own time counts each microsecond once. The CLI, the exports and the app's charts
 * all read own time from here.
 */
import type { LayerStats } from './report.js';

/**
 * Each layer's own time per run, in `layers` order: its meanUs minus its direct children's (the
 * layers naming it as `parent`). A kernel's own time is its meanUs; a control-flow layer's is what
 * it spends outside its subgraph's layers. Example: If 416 µs holding Conv 14 µs and If 140 µs (which
 * holds LSTM 18 µs) -> If 262 µs, Conv 14 µs, If 122 µs, LSTM 18 µs; together 416 µs.
 */
export function ownTimesUs(layers: readonly Pick<LayerStats, 'name' | 'meanUs' | 'parent'>[]): number[] {
  const childUs = new Map<string, number>();
  for (const layer of layers)
    if (layer.parent) childUs.set(layer.parent, (childUs.get(layer.parent) ?? 0) + layer.meanUs);
  return layers.map((layer) => layer.meanUs - (childUs.get(layer.name) ?? 0));
}

/** Names of the layers other layers ran inside (If, Loop, Scan): their times include their children's. */
export function containerNames(layers: readonly Pick<LayerStats, 'parent'>[]): Set<string> {
  return new Set(layers.map((l) => l.parent).filter((p): p is string => Boolean(p)));
}

/** A control-flow layer's own time and how many layers ran directly inside it. */
export interface ContainerTime {
  readonly ownUs: number;
  readonly childCount: number;
}

/** The control-flow layers of `layers` by name, with their own time and direct child count. */
export function containerTimes(
  layers: readonly Pick<LayerStats, 'name' | 'meanUs' | 'parent'>[],
): Map<string, ContainerTime> {
  const own = ownTimesUs(layers);
  const children = new Map<string, number>();
  for (const layer of layers) if (layer.parent) children.set(layer.parent, (children.get(layer.parent) ?? 0) + 1);
  const out = new Map<string, ContainerTime>();
  layers.forEach((layer, i) => {
    const childCount = children.get(layer.name);
    if (childCount) out.set(layer.name, { ownUs: own[i]!, childCount });
  });
  return out;
}

/**
 * Each layer's own time per run by the robust statistic: the median over runs (`ownP50Us`), so one
 * stalled run does not make a layer look like the bottleneck; the mean-based own time for reports
 * made before it existed. Shares, the default ranking and flame widths use this.
 */
export function robustOwnTimesUs(
  layers: readonly Pick<LayerStats, 'name' | 'meanUs' | 'parent' | 'ownP50Us'>[],
): number[] {
  const own = ownTimesUs(layers);
  return layers.map((layer, i) => layer.ownP50Us ?? own[i]!);
}
