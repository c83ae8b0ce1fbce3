/**
 * Arena memory across the node sequence: layers in the order they ran, with the arena in use after
 * each. Pure, for the app's Memory view and the HTML report.
 */
import type { LayerStats } from '../../shared/report.js';

/** One step of the node sequence. */
export interface MemoryStep {
  readonly step: number; // 0-based position in execution order
  readonly layer: number; // index into report.layers
  readonly arenaInUseBytes: number | null; // null where ORT did not report it
}

/** Layer indices in execution order: by mean first start, ties by layer index. */
export function executionOrder(layers: readonly LayerStats[]): number[] {
  return layers
    .map((l) => l.index)
    .sort((a, b) => {
      const sa = layers[a]?.firstStartUs ?? Infinity;
      const sb = layers[b]?.firstStartUs ?? Infinity;
      return sa === sb ? a - b : sa < sb ? -1 : 1;
    });
}

/** The arena-in-use series over the node sequence, one step per layer. */
export function buildArenaSeries(layers: readonly LayerStats[]): MemoryStep[] {
  return executionOrder(layers).map((layer, step) => ({
    step,
    layer,
    arenaInUseBytes: layers[layer]?.arenaInUseBytes ?? null,
  }));
}
