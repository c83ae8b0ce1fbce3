/**
 * The Generation view's state: its settings, the draft model, the running generation profile and
 * its report (and the one before it, for a side-by-side of two decoders), and the comparison of two
 * decoders that the Generation view and the Compare view both show.
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
  /**
   * The report before the current one against the current one, when there are two: from a run with a
   * second decoder (alternating rounds), or from two runs one after the other. Shown in both views.
   */
  generateComparison: GenerateComparison | null;
  /** The second decoder picked to compare with the open one. */
  generateVs: { readonly path: string; readonly fileName: string } | null;
  setGenerateSettings(change: Partial<GenerateSettings>): void;
  setGeneratePhase(phase: GeneratePhase): void;
  setDraftFile(file: File): Promise<void>;
  pickDraft(): Promise<void>;
  clearDraft(): void;
  startGenerate(): Promise<void>;
  cancelGenerate(): Promise<void>;
  exportGenerate(format: 'html' | 'json'): Promise<void>;
  /** Picks the second decoder in a dialog (the desktop app); true when one was chosen and opened. */
  pickGenerateVs(): Promise<boolean>;
  /** The same from a file the browser uploads. */
  setGenerateVsFile(file: File): Promise<boolean>;
  /**
   * Profiles the open model (A) and the second decoder (B) with the current settings, as
   * `strata generate A --vs B`: A's profile ends with both in alternating rounds, the verdicts' samples.
   */
  startGenerateVs(): Promise<void>;
  clearGenerateVs(): void;
  /** Compares the report before against the current one (after each run; nothing with one report). */
  compareGenerateRuns(): Promise<void>;
  exportGenerateComparison(format: 'html' | 'json'): Promise<void>;
}

/** The generation slice over `deps`. */
export const createGenerateSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], GenerateSlice> =>
  (set, get) => {
    // A model picked as the draft or the second decoder: opened (read as ONNX, allowed to the API) first.
    const adopt = async (path: string, field: 'draft' | 'generateVs'): Promise<boolean> => {
      const opened = await deps.api().invoke('model:open', path);
      if (!opened.ok) {
        get().showError(opened.error);
        return false;
      }
      set({ [field]: { path: opened.value.path, fileName: opened.value.fileName }, error: null });
      return true;
    };
    const adoptDraft = (path: string) => adopt(path, 'draft').then(() => undefined);
    // A generation of the open model with the current settings: with the draft, or against a second
    // decoder (a comparison is not a speculative pair: the draft stays out, as in `strata generate --vs`).
    const start = async (vsPath?: string) => {
      const { plan, generateSettings, draft, generateRunId, summary } = get();
      if (generateRunId || !summary) return;
      set({ error: null, notice: null, generateProgress: null });
      const result = await deps.api().invoke('generate:start', {
        modelPath: summary.path,
        ...(vsPath ? { vsPath } : draft ? { draftPath: draft.path } : {}),
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
      generateVs: null,
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
      startGenerate: () => start(),
      async pickGenerateVs() {
        const result = await deps.api().invoke('dialog:openModel');
        if (!result.ok) {
          get().showError(result.error);
          return false;
        }
        return result.value ? adopt(result.value, 'generateVs') : false;
      },
      async setGenerateVsFile(file) {
        const uploaded = await deps.upload(file);
        if (!uploaded.ok) {
          get().showError(uploaded.error);
          return false;
        }
        return adopt(uploaded.value, 'generateVs');
      },
      clearGenerateVs: () => set({ generateVs: null }),
      async startGenerateVs() {
        const vs = get().generateVs;
        if (vs) await start(vs.path);
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
        const comparison = get().generateComparison;
        if (!comparison) return;
        const { a: baseline, b: report } = comparison;
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
