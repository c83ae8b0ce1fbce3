/**
 * The app store: `createAppStore(deps)` for tests, and the page's own store with `useAppStore`,
 * a hook taking a selector (components select narrowly).
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { StrataApi } from '../../shared/api.js';
import { createApi, isConnectionError, uploadFile, type ConnectionState } from '../api/client.js';
import { downloadSaved } from '../api/save-file.js';
import type { AppState, StoreDeps } from './app-state.js';
import { createCompareSlice, firstChoice } from './compare-slice.js';
import { createGenerateSlice } from './generate-slice.js';
import { createModelSlice } from './model-slice.js';
import { createRunSlice } from './run-slice.js';
import { createUiSlice } from './ui-slice.js';
import { createDevicesSlice } from './devices-slice.js';

export type { AppState, Tab, View } from './app-state.js';

/** A fresh store over `deps`. */
export function createAppStore(deps: StoreDeps): StoreApi<AppState> {
  return createStore<AppState>()((...a) => ({
    ...createModelSlice(deps)(...a),
    ...createRunSlice(deps)(...a),
    ...createCompareSlice(deps)(...a),
    ...createUiSlice(...a),
    ...createGenerateSlice(deps)(...a),
    ...createDevicesSlice(deps)(...a),
  }));
}

type PageApi = StrataApi & { onState?: (listener: (state: ConnectionState) => void) => () => void };

let api: PageApi | null = null;

/** The page's API, created on first use (so importing the store needs no engine). */
export function pageApi(): NonNullable<typeof api> {
  api ??= createApi();
  return api;
}

/** The page's store. */
export const appStore = createAppStore({ api: pageApi, upload: uploadFile, save: downloadSaved });

/** Selects from the page's store; also carries getState/setState/subscribe. */
export const useAppStore = Object.assign(<T>(selector: (state: AppState) => T): T => useStore(appStore, selector), {
  getState: appStore.getState,
  setState: appStore.setState,
  subscribe: appStore.subscribe,
});

/** Wires engine events into the store; call once at start-up. Returns an unsubscribe. */
export function connectEvents(store: StoreApi<AppState>, source: PageApi): () => void {
  const offs = [
    source.on('profile:progress', ({ runId, progress }) => {
      if (runId === store.getState().runId) store.setState({ progress });
    }),
    source.on('profile:done', ({ runId, report }) => {
      if (runId !== store.getState().runId) return;
      store.setState({ report, runId: null, progress: null, selectedLayer: null, notice: null });
    }),
    source.on('profile:failed', ({ runId, error }) => {
      if (runId !== store.getState().runId) return;
      store.setState({ runId: null, progress: null });
      store.getState().showError(error);
    }),
    source.on('compare:progress', ({ runId, stage, model, models, progress, job }) => {
      if (runId === store.getState().compareRunId)
        store.setState({ compareProgress: { stage, model, models, progress, job } });
    }),
    source.on('compare:done', ({ runId, comparison }) => {
      if (runId !== store.getState().compareRunId) return;
      store.setState({
        comparison,
        chosenModel: firstChoice(comparison),
        compareRunId: null,
        compareProgress: null,
        notice: null,
      });
    }),
    source.on('compare:failed', ({ runId, error }) => {
      if (runId !== store.getState().compareRunId) return;
      store.setState({ compareRunId: null, compareProgress: null });
      store.getState().showError(error);
    }),
    source.on('generate:progress', ({ runId, progress }) => {
      if (runId === store.getState().generateRunId) store.setState({ generateProgress: progress });
    }),
    source.on('generate:done', ({ runId, report, comparison }) => {
      if (runId !== store.getState().generateRunId) return;
      // Two decoders in one run: B is shown with A dashed beside it, and their comparison is the one
      // both views show (its speeds from the run's alternating rounds).
      if (comparison)
        return store.setState({
          generateReport: comparison.b,
          previousGenerateReport: comparison.a,
          generateComparison: comparison,
          generateRunId: null,
          generateProgress: null,
          notice: null,
        });
      const previous = store.getState().generateReport;
      store.setState({
        generateReport: report,
        previousGenerateReport: previous,
        generateComparison: null,
        generateRunId: null,
        generateProgress: null,
        notice: null,
      });
      void store.getState().compareGenerateRuns();
    }),
    source.on('generate:failed', ({ runId, error }) => {
      if (runId !== store.getState().generateRunId) return;
      store.setState({ generateRunId: null, generateProgress: null });
      store.getState().showError(error);
    }),
    source.onState?.((connection) => {
      const { runId, compareProgress, generateRunId, error, runLostToConnection } = store.getState();
      if (connection === 'connected') {
        // Back (a dropped socket, same server): calls that failed meanwhile can be made again.
        store.setState({
          connection,
          runLostToConnection: false,
          ...(error && isConnectionError(error) ? { error: null } : {}),
        });
        if (runLostToConnection)
          store.getState().showError({
            code: 'IO_ERROR',
            message: 'The connection came back, but the run that was going when it dropped is lost: run it again.',
          });
        return;
      }
      store.setState({ connection });
      // A run cannot survive a lost engine connection: the connection banner says so (one banner).
      if (
        (connection === 'unreachable' || connection === 'restarted') &&
        (runId !== null || compareProgress !== null || generateRunId !== null)
      ) {
        store.setState({
          runId: null,
          progress: null,
          compareRunId: null,
          compareProgress: null,
          generateRunId: null,
          generateProgress: null,
          runLostToConnection: true,
        });
      }
    }) ?? (() => {}),
  ];
  return () => offs.forEach((off) => off());
}
