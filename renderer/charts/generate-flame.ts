/**
 * The Generation view's flame graph: the profiled generation's per-module times (phase-layers.ts
 * keeps module paths three deep: model/layers.0/attn) laid out as the app's flame frames
 * (view-models/flame-tree.ts) and drawn by the same canvas chart (components/time-canvas.tsx).
 *
 * Width by phase: µs per prefill pass, µs per decode step, or for "both" one whole generation of
 * the profiled pass (its prefill plus every decode step), each module then split into a prefill and
 * a decode frame in the timeline's colours, so the switch answers "where does the time go" for the
 * prompt, for a token, and for the request.
 *
 * Example: modules model/layers.0/attn (prefill 300 µs, decode 20 µs per step) and lm_head (100,
 * 10), 8 decode steps, phase "both" give
 *   depth 0: model [0, 460)                               lm_head [460, 640)
 *   depth 1: layers.0 [0, 460)                            prefill [460, 560) decode [560, 640)
 *   depth 2: attn [0, 460)
 *   depth 3: prefill [0, 300) decode [300, 460)
 */
import { formatShare, formatUs } from '../../shared/format.js';
import {
  phaseUnit,
  phaseUs,
  type GeneratePhase,
  type GenerateReport,
  type LayerPhaseTime,
} from '../../shared/generate.js';
import { buildFlameTree, type FlameLayer, type FlameTree } from '../view-models/flame-tree.js';
import { buildIntervalRows, type IntervalRow } from './canvas/interval-rows.js';
import type { ViewRange } from './canvas/view-range.js';
import { opTypeColor, type ChartTheme } from './theme.js';
import { tooltipTable } from './tooltip.js';

/** One leaf of the generation flame: a module's time in one phase (or its own time under a parent). */
interface PhaseLeaf extends FlameLayer {
  readonly module: LayerPhaseTime;
  readonly phase: GeneratePhase;
}

/** The frames, rows and look of one phase's flame graph. */
export interface GenerateFlame {
  readonly tree: FlameTree;
  readonly rows: IntervalRow[];
  readonly full: ViewRange;
  readonly fills: readonly string[]; // by frame id
  readonly labels: readonly string[]; // by frame id
  readonly tooltip: (id: number) => string;
  /** What a frame's width is, in words. */
  readonly unit: string;
}

/**
 * The flame leaves of `report` in `phase`. A module that is also the parent of others (the
 * residual Add of model/layers.0 beside model/layers.0/attn) keeps its own time as an "(own)"
 * leaf under itself, so no frame is drawn twice at one depth under one name.
 */
export function generateFlameLeaves(report: GenerateReport, phase: GeneratePhase): PhaseLeaf[] {
  const steps = report.profiledPass.decodeSteps;
  const paths = report.layers.map((m) => m.module);
  const isParent = (path: string) => paths.some((p) => p.startsWith(`${path}/`));
  const leaves: PhaseLeaf[] = [];
  report.layers.forEach((m, order) => {
    const own = isParent(m.module);
    const base = own ? `${m.module}/(own)` : m.module;
    const parentPath = own ? m.module : m.module.split('/').slice(0, -1).join('/');
    const add = (name: string, modulePath: string, us: number, leafPhase: GeneratePhase) =>
      leaves.push({
        index: leaves.length,
        name,
        modulePath,
        firstStartUs: order, // phase-layers lists modules in the order their first kernel ran
        meanUs: us,
        ownP50Us: us,
        module: m,
        phase: leafPhase,
      });
    if (phase !== 'both') add(base, parentPath, phaseUs(m, phase, steps), phase);
    else {
      // Each module a frame of its own with its two phases under it.
      add(`${base}/prefill`, base, m.prefillUs, 'prefill');
      add(`${base}/decode`, base, m.decodeUs * steps, 'decode');
    }
  });
  return leaves;
}

const cache = new WeakMap<GenerateReport, Map<string, GenerateFlame>>();

/** The flame graph of `report` in `phase` under `theme`, built once per report, phase and theme. */
export function buildGenerateFlame(report: GenerateReport, phase: GeneratePhase, theme: ChartTheme): GenerateFlame {
  let byKey = cache.get(report);
  if (!byKey) cache.set(report, (byKey = new Map()));
  const key = `${phase}|${theme.bg}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const steps = report.profiledPass.decodeSteps;
  const leaves = generateFlameLeaves(report, phase);
  const tree = buildFlameTree(leaves);
  const rows = buildIntervalRows(
    tree.frames.map((f) => ({ row: f.depth, startUs: f.startUs, endUs: f.startUs + f.widthUs, id: f.id })),
    Math.max(1, tree.maxDepth + 1),
  );
  const fills = tree.frames.map((f) => {
    if (f.layer === null) return theme.moduleFill;
    const leaf = leaves[f.layer]!;
    if (phase === 'both') return leaf.phase === 'prefill' ? theme.cold : theme.accent;
    // The module kind (attn, mlp, lm_head) picks the colour, so every layer's attention reads alike.
    return opTypeColor(f.label === '(own)' ? leaf.module.module.split('/').pop()! : f.label, theme);
  });
  const unit = phaseUnit(phase, steps);
  const tooltip = (id: number): string => {
    const f = tree.frames[id];
    if (!f) return '';
    const leaf = f.layer === null ? undefined : leaves[f.layer];
    const share = formatShare(tree.totalUs > 0 ? f.widthUs / tree.totalUs : 0);
    if (!leaf)
      return tooltipTable(f.key, [
        ['Time', `${formatUs(f.widthUs)} ${unit}`],
        ['Share', share],
      ]);
    const m = leaf.module;
    return tooltipTable(m.module, [
      ['Prefill', `${formatUs(m.prefillUs)} per pass`],
      ['Decode', `${formatUs(m.decodeUs)} per step`],
      ['This frame', `${formatUs(f.widthUs)} ${phase === 'both' ? `(${leaf.phase})` : unit}`],
      ['Share', `${share} of the graph`],
    ]);
  };
  const flame: GenerateFlame = {
    tree,
    rows,
    full: { startUs: 0, endUs: tree.totalUs > 0 ? tree.totalUs : 1 },
    fills,
    labels: tree.frames.map((f) => f.label),
    tooltip,
    unit,
  };
  byKey.set(key, flame);
  return flame;
}
