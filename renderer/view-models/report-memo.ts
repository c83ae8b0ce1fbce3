/**
 * What the results views derive from a report's whole layer list, computed once per report and
 * only when a view first asks: a 50,000-layer report opened in the app spent over half a second
 * on the layer detail's container times before anything was selected, and again in each tab.
 */
import { containerTimes, type ContainerTime } from '../../shared/layer-time.js';
import type { LayerStats } from '../../shared/report.js';

const containers = new WeakMap<readonly LayerStats[], Map<string, ContainerTime>>();

/** Container layers' own time and child count by name (containerTimes), memoised per layer list. */
export function containerTimesOf(layers: readonly LayerStats[]): Map<string, ContainerTime> {
  let map = containers.get(layers);
  if (!map) {
    map = containerTimes(layers);
    containers.set(layers, map);
  }
  return map;
}
