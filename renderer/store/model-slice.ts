/** Opening models (path, picked or dropped file, recent list) and saved reports. */
import type { StateCreator } from 'zustand/vanilla';
import type { Dim } from '../../shared/model.js';
import type { AppState, ModelSlice, StoreDeps } from './app-state.js';

const isReport = (name: string) => /\.json$/i.test(name);

/** The model slice. */
export const createModelSlice =
  (deps: StoreDeps): StateCreator<AppState, [], [], ModelSlice> =>
  (set, get) => ({
    summary: null,
    recent: [],
    opening: null,

    async openPath(path) {
      const name = path.split(/[\\/]/).pop() ?? path;
      set({ opening: name, error: null });
      if (isReport(name)) {
        const result = await deps.api().invoke('report:open', path);
        set({ opening: null });
        if (!result.ok) return get().showError(result.error);
        set({ report: result.value, selectedLayer: null, tab: 'summary', notice: `Opened the saved report of ${result.value.model.fileName}.` });
        return;
      }
      const result = await deps.api().invoke('model:open', path);
      set({ opening: null });
      if (!result.ok) return get().showError(result.error);
      const summary = result.value;
      set({ summary, plan: { ...get().plan, shapes: {}, dims: defaultDims(summary.inputs.flatMap((i) => i.dims ?? [])), inputs: {} } });
      void get().loadRecent();
    },

    async openFile(file) {
      set({ opening: file.name, error: null });
      const uploaded = await deps.upload(file);
      if (!uploaded.ok) {
        set({ opening: null });
        return get().showError(uploaded.error);
      }
      await get().openPath(uploaded.value);
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
  });

// Every named symbolic dim gets a field, starting at 1.
function defaultDims(dims: readonly Dim[]): Record<string, number> {
  return Object.fromEntries(dims.filter((d): d is string => typeof d === 'string').map((d) => [d, 1]));
}
