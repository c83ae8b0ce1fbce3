/** Tabs, the selected layer, messages and the connection state. */
import type { StateCreator } from 'zustand/vanilla';
import type { AppState, UiSlice } from './app-state.js';

/** The UI slice. */
export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  info: null,
  view: 'profile',
  tab: 'summary',
  selectedLayer: null,
  error: null,
  notice: null,
  connection: 'connected',
  runLostToConnection: false,
  setView: (view) => set({ view }),
  setTab: (tab) => set({ tab }),
  selectLayer: (selectedLayer) => set({ selectedLayer }),
  showError: (error) => set({ error, notice: null }),
  showNotice: (notice) => set({ notice }),
});
