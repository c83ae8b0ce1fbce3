/**
 * The Generation view's state: its settings, the draft model, the running generation profile and
 * its report (and the one before it, for a side-by-side of two decoders).
 */
import type { StateCreator } from 'zustand/vanilla';
import {
  defaultGenerateSettings,
  type GeneratePhase,
  type GenerateReport,
  type GenerateSettings,
} from '../../shared/generate.js';
import type { GenerateComparison } from '../../shared/generate-compare.js';
import type { ProfileProgress } from '../../shared/progress.js';
import type { AppState, StoreDeps } from './app-state.js';
import { saveExport } from './save-export.js';

/** Which phase the flame graph, layers chart and layers table show. */
export type { GeneratePhase };

/** The Generation view. */
export interface GenerateSlice {
  generateSettings: GenerateSettings;
  draft: { readonly path: string; readonly fileName: string } | null;
  generateRunId: string | null;
  generateProgress: ProfileProgress | null;
  generateReport: GenerateReport | null;
  /** The report before the current one (another decoder, or the same one before a change): compared beside it. */
  previousGenerateReport: GenerateReport | null;
  generatePhase: GeneratePhase;
  /** The report before the current one against the current one, when there are two. */
  generateComparison: GenerateComparison | null;
  setGenerateSettings(change: Partial<GenerateSettings>): void;
  setGeneratePhase(phase: GeneratePhase): void;
  setDraftFile(file: File): Promise<void>;
  pickDraft(): Promise<void>;
  clearDraft(): void;
  startGenerate(): Promise<void>;
  cancelGenerate(): Promise<void>;
  exportGenerate(format: 'html' | 'json'): Promise<void>;
  /** Profiles another decoder (picked in a dialog) with the same settings, to compare against the current report. */
  pickGenerateVs(): Promise<void>;
  /** The same from a file the browser uploads. */
  setGenerateVsFile(file: File): Promise<void>;
  /** Compares the report before against the current one (after each run; nothing with one report). */
  compareGenerateRuns(): Promise<void>;
  exportGenerateComparison(format: 'html' | 'json'): Promise<void>;
}

/** The generation slice over `deps`. */
export const createGenerateSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], GenerateSlice> =>
  (set, get) => {
    const adoptDraft = async (path: string) => {
      const opened = await deps.api().invoke('model:open', path);
      if (!opened.ok) return get().showError(opened.error);
      set({ draft: { path: opened.value.path, fileName: opened.value.fileName }, error: null });
    };
    // A generation of `modelPath` with the current settings; the draft goes with the opened model only
    // (a decoder profiled to compare against it is timed alone, as `strata generate A --vs B` does).
    const start = async (modelPath: string, withDraft: boolean) => {
      const { plan, generateSettings, draft, generateRunId } = get();
      if (generateRunId) return;
      set({ error: null, notice: null, generateProgress: null });
      const result = await deps.api().invoke('generate:start', {
        modelPath,
        ...(draft && withDraft ? { draftPath: draft.path } : {}),
        settings: generateSettings,
        plan,
      });
      if (!result.ok) return get().showError(result.error);
      set({ generateRunId: result.value.runId });
    };
    return {
      generateSettings: { ...defaultGenerateSettings(), promptLengths: [16, 64, 128], newTokens: 32, context: 160 },
      draft: null,
      generateRunId: null,
      generateProgress: null,
      generateReport: null,
      previousGenerateReport: null,
      generatePhase: 'decode',
      generateComparison: null,
      setGenerateSettings(change) {
        set({ generateSettings: { ...get().generateSettings, ...change } });
      },
      setGeneratePhase: (generatePhase) => set({ generatePhase }),
      async setDraftFile(file) {
        const uploaded = await deps.upload(file);
        if (!uploaded.ok) return get().showError(uploaded.error);
        await adoptDraft(uploaded.value);
      },
      async pickDraft() {
        const result = await deps.api().invoke('dialog:openModel');
        if (!result.ok) return get().showError(result.error);
        if (result.value) await adoptDraft(result.value);
      },
      clearDraft: () => set({ draft: null }),
      async startGenerate() {
        const { summary } = get();
        if (summary) await start(summary.path, true);
      },
      async pickGenerateVs() {
        const result = await deps.api().invoke('dialog:openModel');
        if (!result.ok) return get().showError(result.error);
        if (result.value) await start(result.value, false);
      },
      async setGenerateVsFile(file) {
        const uploaded = await deps.upload(file);
        if (!uploaded.ok) return get().showError(uploaded.error);
        await start(uploaded.value, false);
      },
      async compareGenerateRuns() {
        const { previousGenerateReport: a, generateReport: b } = get();
        if (!a || !b) return set({ generateComparison: null });
        const result = await deps.api().invoke('generate:compare', { a, b });
        // A newer run may have finished meanwhile: keep only the comparison of what is shown.
        if (get().generateReport !== b) return;
        if (!result.ok) return get().showError(result.error);
        set({ generateComparison: result.value });
      },
      async exportGenerateComparison(format) {
        const { previousGenerateReport: baseline, generateReport: report } = get();
        if (!baseline || !report) return;
        await saveExport(deps, get, set, await deps.api().invoke('generate:export', { report, format, baseline }));
      },
      async cancelGenerate() {
        const { generateRunId } = get();
        if (!generateRunId) return;
        await deps.api().invoke('profile:cancel', generateRunId);
        set({ generateRunId: null, generateProgress: null });
      },
      async exportGenerate(format) {
        const report = get().generateReport;
        if (!report) return;
        await saveExport(deps, get, set, await deps.api().invoke('generate:export', { report, format }));
      },
    };
  };
