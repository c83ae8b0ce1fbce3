/** Opening models (path, picked or dropped file, recent list) and saved reports. */
import type { StateCreator } from 'zustand/vanilla';
import type { EpInfo } from '../../shared/eps.js';
import type { ErrorInfo, Result } from '../../shared/errors.js';
import type { ProfilePlan } from '../../shared/plan.js';
import type { Report } from '../../shared/report.js';
import { readReport } from '../api/report-reader.js';
import type { AppState, ModelSlice, StoreDeps } from './app-state.js';
import { broughtForBaseline } from './compare-slice.js';
import { batchDims } from './plan-defaults.js';

// A draft and a decoder B were chosen for the model open before: another model starts without them.
const forAnotherModel = { draft: null, generateVs: null } as const;

const isReport = (name: string) => /\.json$/i.test(name);

/** The model slice. */
export const createModelSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], ModelSlice> =>
  (set, get) => {
    /**
     * Stops a profile of the model being left: its report would otherwise land on top of what the
     * user opened (the first launch's profile of the sample model replaced a report opened meanwhile).
     * Returns the sentence saying so, or null when nothing ran.
     */
    function leaveRun(opened: string): string | null {
      const { runId, progress, summary } = get();
      if (!runId && !progress) return null;
      if (runId) void deps.api().invoke('profile:cancel', runId);
      else void get().cancel(); // still starting: cancelled when its id arrives
      set({ runId: null, progress: null });
      return `The profile of ${summary?.fileName ?? 'the previous model'} was stopped: you opened ${opened}.`;
    }

    /**
     * The open model's content hash, asked for after it is shown (a 1 GiB file takes seconds to
     * hash): filled into the summary if that model is still the one open. Resolves with it, or ''.
     */
    async function fillHash(path: string): Promise<string> {
      const result = await deps.api().invoke('model:hash', path);
      if (!result.ok) return '';
      const summary = get().summary;
      if (summary?.path === path && summary.sha256 === '') set({ summary: { ...summary, sha256: result.value } });
      return result.value;
    }

    /**
     * Opens a saved report (read by `load`, in the page), then its model if the file is still there,
     * so Run profile runs that model.
     */
    async function openReport(load: () => Promise<Result<Report>>): Promise<void> {
      const result = await load();
      if (!result.ok) {
        set({ opening: null });
        return get().showError(result.error);
      }
      const report = result.value;
      const stopped = leaveRun(`the report of ${report.model.fileName}`);
      const model = await deps.api().invoke('model:open', report.model.path);
      set({ opening: null, report, selectedLayer: null, tab: 'summary' });
      if (!model.ok) {
        // The sidebar shows the report's model as the report recorded it, and why it cannot run.
        set({
          summary: null,
          ...forAnotherModel,
          missingModel: {
            path: report.model.path,
            fileName: report.model.fileName,
            reason:
              model.error.code === 'MODEL_NOT_FOUND'
                ? null
                : model.error.code === 'FILE_NOT_CHOSEN'
                  ? 'in browser mode Strata opens only the files you choose, so it cannot look for it.'
                  : model.error.message,
          },
        });
        return get().showNotice(
          `${stopped ? `${stopped} ` : ''}Opened the saved report of ${report.model.fileName}. Its model file is not available here, so it cannot be run again until you open it.`,
        );
      }
      const { kept, note } = broughtForBaseline(get().brought, model.value);
      set({
        summary: model.value,
        missingModel: null,
        plan: planOfReport(report, get().plan, get().eps),
        brought: kept,
        ...(model.value.path !== get().summary?.path ? forAnotherModel : {}),
      });
      void get().loadRecent();
      const sha256 = await fillHash(model.value.path);
      get().showNotice(
        (sha256 === report.model.sha256 || sha256 === ''
          ? `Opened the saved report of ${report.model.fileName}, with its model and run settings: Run profile measures it again.`
          : `Opened the saved report of ${report.model.fileName}. The model file has changed since the report was made: Run profile measures the file as it is now.`) +
          (note ? ` ${note}` : '') +
          (stopped ? ` ${stopped}` : ''),
      );
    }

    /** Opens a model or a report; `uploadedAs` is the user's file name when `path` is an upload. */
    async function open(path: string, uploadedAs: string | null): Promise<void> {
      set({ opening: uploadedAs ?? path.split(/[\\/]/).pop() ?? path, error: null });
      if (isReport(path))
        return openReport(async () => {
          const found = await deps.api().invoke('report:open', path);
          if (!found.ok) return uploadedAs ? { ok: false, error: named(found.error, path, uploadedAs) } : found;
          return readReport(found.value, `"${uploadedAs ?? path}"`);
        });
      const result = await deps.api().invoke('model:open', path);
      set({ opening: null });
      if (!result.ok) {
        // A recent entry whose file has gone: the list is read again and drops it.
        if (result.error.code === 'MODEL_NOT_FOUND') void get().loadRecent();
        return get().showError(uploadedAs ? named(result.error, path, uploadedAs) : result.error);
      }
      const summary = result.value;
      const stopped = summary.path === get().summary?.path ? null : leaveRun(summary.fileName);
      await get().loadRecent();
      // The run settings of its last profile, if it had one here; else fresh fields for its dims.
      const last = get().recent.find((r) => r.path === summary.path)?.lastPlan;
      const plan = last
        ? planOfSaved(last, get().plan, get().eps)
        : { ...get().plan, shapes: {}, dims: batchDims(summary.inputs), inputs: {} };
      const { kept, note } = broughtForBaseline(get().brought, summary);
      set({
        summary,
        missingModel: null,
        plan,
        brought: kept,
        ...(summary.path !== get().summary?.path ? forAnotherModel : {}),
      });
      void fillHash(summary.path);
      const notices = [
        stopped,
        last ? `Run settings of your last profile of ${summary.fileName} restored.` : null,
        note,
      ].filter(Boolean);
      if (notices.length) get().showNotice(notices.join(' '));
    }

    return {
      summary: null,
      missingModel: null,
      recent: [],
      opening: null,

      openPath: (path) => open(path, null),

      async openFile(file) {
        set({ opening: file.name, error: null });
        // A report is read here, where the file already is: sending it to the engine to be sent back was most of its open time.
        if (isReport(file.name)) return openReport(() => readReport(file, `"${file.name}"`));
        const uploaded = await deps.upload(file);
        if (!uploaded.ok) {
          set({ opening: null });
          return get().showError(uploaded.error);
        }
        // Messages name the user's file, not where browser mode stored the upload.
        await open(uploaded.value, file.name);
      },

      async pickModel() {
        const result = await deps.api().invoke('dialog:openModel');
        if (!result.ok) return get().showError(result.error);
        if (result.value) await get().openPath(result.value);
      },

      async loadRecent() {
        const result = await deps.api().invoke('model:recent');
        if (result.ok) set({ recent: [...result.value] });
      },
    };
  };

/** `error` with the file at `path` called `name`: where browser mode stored an upload means nothing to the user. */
export function named(error: ErrorInfo, path: string, name: string): ErrorInfo {
  return { ...error, message: error.message.split(path).join(name) };
}

/**
 * The plan a saved report was made with, to run its model again; execution providers this machine
 * cannot use are left out (CPU when none is left), so the run settings show what will run.
 */
export function planOfReport(report: Report, current: ProfilePlan, eps: readonly EpInfo[]): ProfilePlan {
  return planOfSaved(report.settings.plan, current, eps);
}

/** A plan saved earlier (a report's, a recent model's last), with EPs this machine cannot use left out. */
export function planOfSaved(saved: ProfilePlan, current: ProfilePlan, eps: readonly EpInfo[]): ProfilePlan {
  const usable = new Set(eps.filter((ep) => ep.usable).map((ep) => ep.name));
  const kept = eps.length ? saved.eps.filter((ep) => usable.has(ep)) : saved.eps;
  return { ...current, ...saved, eps: kept.length ? kept : ['cpu'] };
}
