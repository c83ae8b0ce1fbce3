/** Tabs, the selected layer, messages and the connection state. */
import type { StateCreator } from 'zustand/vanilla';
import type { AppState, UiSlice } from './app-state.js';

/** The UI slice. */
export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set, get) => ({
  info: null,
  view: 'profile',
  tab: 'summary',
  selectedLayer: null,
  error: null,
  notice: null,
  connection: 'connected',
  runLostToConnection: false,
  fieldProblems: {},
  setFieldProblem(field, problem) {
    const current = get().fieldProblems;
    if ((current[field] ?? null) === problem) return;
    const next = { ...current };
    if (problem === null) delete next[field];
    else next[field] = problem;
    set({ fieldProblems: next });
  },
  setView: (view) => set({ view }),
  setTab: (tab) => set({ tab }),
  selectLayer: (selectedLayer) => set({ selectedLayer }),
  showError: (error) => set({ error, notice: null }),
  showNotice: (notice) => set({ notice }),
});
