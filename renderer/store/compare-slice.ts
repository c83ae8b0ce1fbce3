/**
 * Comparing the open model with its variants: the settings grid, models brought in (a distilled one,
 * say), generating the variant files, running the comparison, and exporting its results.
 */
import type { StateCreator } from 'zustand/vanilla';
import { defaultVariantGrid, expandVariantGrid } from '../view-models/variant-grid.js';
import { paretoFront } from '../../shared/compare-summary.js';
import { inputMismatch } from '../../shared/tensor-match.js';
import type { Comparison } from '../../shared/compare.js';
import type { ModelSummary } from '../../shared/model.js';
import type { AppState, BroughtModel, CompareSlice, StoreDeps } from './app-state.js';
import { saveExport } from './save-export.js';

/** The compare slice. Progress and results arrive as events, matched by `compareRunId`. */
export const createCompareSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], CompareSlice> =>
  (set, get) => {
    // Bumped by every start and cancel: a start whose variant files arrive after a cancel stops there.
    let attempt = 0;

    const bring = async (path: string) => {
      // Open it first: a bad file is named now, not after every other model has run.
      const result = await deps.api().invoke('model:open', path);
      if (!result.ok) return get().showError(result.error);
      const { fileName, bytes, externalDataBytes, inputs } = result.value;
      const baseline = get().summary;
      if (path === baseline?.path || get().brought.some((b) => b.path === path)) return;
      // Inputs that cannot take the baseline's are named now, not after every variant has run.
      const mismatch = baseline ? inputMismatch(baseline.inputs, inputs, fileName) : null;
      if (mismatch) return get().showError({ code: 'BAD_INPUT', message: mismatch });
      set({ brought: [...get().brought, { path, fileName, bytes: bytes + externalDataBytes, inputs }], error: null });
    };

    return {
      grid: defaultVariantGrid(),
      brought: [],
      compareRunId: null,
      compareProgress: null,
      comparison: null,
      generated: [],
      chosenModel: 1,

      setGrid(change) {
        set({ grid: { ...get().grid, ...change } });
      },

      async bringModelFile(file) {
        const uploaded = await deps.upload(file);
        if (!uploaded.ok) return get().showError(uploaded.error);
        await bring(uploaded.value);
      },

      async pickBroughtModel() {
        const result = await deps.api().invoke('dialog:openModel');
        if (!result.ok) return get().showError(result.error);
        if (result.value) await bring(result.value);
      },

      dropBroughtModel(path) {
        set({ brought: get().brought.filter((b) => b.path !== path) });
      },

      async startCompare() {
        const { summary, plan, grid, brought, compareProgress } = get();
        if (!summary || compareProgress) return;
        const specs = expandVariantGrid(grid);
        if (specs.length + brought.length === 0) {
          return get().showError({
            code: 'BAD_ARGUMENT',
            message: 'Nothing to compare with: tick at least one variant in the grid, or add a model.',
          });
        }
        const mine = ++attempt;
        const models = 1 + specs.length + brought.length;
        set({
          error: null,
          notice: null,
          compareProgress: { stage: specs.length ? 'generating' : 'profile', model: 0, models, progress: null },
        });
        // One job in the engine: it makes the variants, then compares, and one cancel stops both.
        const started = await deps.api().invoke('compare:start', {
          paths: [summary.path, ...brought.map((b) => b.path)],
          labels: [`baseline (${summary.fileName})`, ...brought.map((b) => b.fileName)],
          plan,
          variants: specs,
        });
        if (mine !== attempt) {
          if (started.ok) void deps.api().invoke('profile:cancel', started.value.runId);
          return;
        }
        if (!started.ok) {
          set({ compareProgress: null });
          return get().showError(started.error);
        }
        set({ generated: [], compareRunId: started.value.runId });
      },

      async cancelCompare() {
        const { compareRunId, compareProgress } = get();
        if (!compareProgress) return;
        attempt++;
        set({
          compareRunId: null,
          compareProgress: null,
          notice: 'Comparison cancelled; the previous results are kept.',
        });
        if (compareRunId) await deps.api().invoke('profile:cancel', compareRunId);
      },

      chooseModel(index) {
        const count = get().comparison?.models.length ?? 0;
        if (index >= 0 && index < count) set({ chosenModel: index });
      },

      async exportComparison(format) {
        const { comparison } = get();
        if (!comparison) return;
        saveExport(deps, get, set, await deps.api().invoke('compare:export', { comparison, format }));
      },

      async exportChosenModel() {
        const { comparison, chosenModel } = get();
        const model = comparison?.models[chosenModel];
        if (!model) return;
        saveExport(deps, get, set, await deps.api().invoke('model:download', model.path), ` (${model.label})`);
      },
    };
  };

/**
 * The brought models that can still be compared with a new baseline, and a note naming the ones
 * that cannot (their inputs do not match, or it is the baseline itself), or null when all fit.
 */
export function broughtForBaseline(
  brought: readonly BroughtModel[],
  baseline: ModelSummary,
): { kept: BroughtModel[]; note: string | null } {
  const kept: BroughtModel[] = [];
  const dropped: string[] = [];
  for (const b of brought) {
    if (b.path === baseline.path) dropped.push(`${b.fileName} (it is now the baseline)`);
    else if (inputMismatch(baseline.inputs, b.inputs, b.fileName))
      dropped.push(`${b.fileName} (its inputs do not match ${baseline.fileName}'s)`);
    else kept.push(b);
  }
  return { kept, note: dropped.length ? `Removed from your own models in Compare: ${dropped.join(', ')}.` : null };
}

/** The model to show first: the fastest variant on the Pareto front, else the first variant. */
export function firstChoice(comparison: Comparison): number {
  return paretoFront(comparison).find((i) => i > 0) ?? (comparison.models.length > 1 ? 1 : 0);
}
