/** The run: plan, EPs, progress, the report, cancel and export. */
import type { StateCreator } from 'zustand/vanilla';
import { defaultPlan } from '../../shared/plan.js';
import type { AppState, RunSlice, StoreDeps } from './app-state.js';
import { saveExport } from './save-export.js';

/** The run slice. Progress and results arrive as events, matched by runId. */
export const createRunSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], RunSlice> =>
  (set, get) => {
    // Cancel pressed between Run and the engine's run id: honoured as soon as the id arrives.
    let cancelWanted = false;
    return {
      // The app favours a quick first answer; the CLI's defaults are for careful measurement.
      plan: { ...defaultPlan(), timedRuns: 30, profiledRuns: 5, warmupRuns: 3 },
      eps: [],
      runId: null,
      progress: null,
      report: null,
      remeasure: { running: false, result: null },

      setPlan(change) {
        set({ plan: { ...get().plan, ...change } });
      },

      async loadEps() {
        const result = await deps.api().invoke('eps:list');
        if (result.ok) set({ eps: [...result.value] });
        else get().showError(result.error);
      },

      async start() {
        const { summary, plan, runId, missingModel } = get();
        if (missingModel && !summary) {
          return get().showError({
            code: 'MODEL_NOT_FOUND',
            message: `Cannot run: the model file of this report (${missingModel.path}) is not available. Open the model to run it.`,
          });
        }
        if (!summary || runId) return;
        const unset = Object.keys(get().fieldProblems);
        if (unset.length)
          return get().showError({
            code: 'BAD_ARGUMENT',
            message: `Set ${unset.join(', ')} first: Run uses exactly what the fields say.`,
          });
        if (get().compareProgress) {
          return get().showError({
            code: 'BUSY',
            message: 'A comparison is running; a profile would measure against it. Cancel it or wait for it to finish.',
          });
        }
        cancelWanted = false;
        set({
          error: null,
          notice: null,
          progress: {
            phase: 'reading',
            done: 0,
            total: 1,
            // A device first connects and copies what it lacks: say where the run goes.
            message: get().runOn === 'local' ? 'Starting' : `Connecting to ${get().runOn}`,
            fraction: 0,
            etaMs: null,
          },
        });
        const { runOn } = get();
        const result = await deps
          .api()
          .invoke('profile:start', { modelPath: summary.path, plan, ...(runOn !== 'local' ? { device: runOn } : {}) });
        if (!result.ok) {
          set({ progress: null });
          return get().showError(result.error);
        }
        set({ runId: result.value.runId });
        if (cancelWanted) {
          cancelWanted = false;
          await deps.api().invoke('profile:cancel', result.value.runId);
        }
      },

      async remeasureMachine(threads) {
        if (get().remeasure.running) return;
        set({ remeasure: { running: true, result: null }, error: null });
        const result = await deps.api().invoke('machine:measure', { threads });
        set({ remeasure: { running: false, result: result.ok ? result.value : null } });
        if (!result.ok) get().showError(result.error);
      },

      async cancel() {
        const { runId, progress } = get();
        if (!runId) {
          cancelWanted = progress !== null; // starting: the id is on its way
          return;
        }
        await deps.api().invoke('profile:cancel', runId);
      },

      async exportReport(format) {
        const { report } = get();
        if (!report) return;
        saveExport(deps, get, set, await deps.api().invoke('report:export', { report, format }));
      },
    };
  };
