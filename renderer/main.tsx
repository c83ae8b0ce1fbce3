/** The renderer's entry: mount the app, connect engine events, open the first model. */
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { appStore, connectEvents, pageApi } from './store/index.js';
import './styles.css';

async function start(): Promise<void> {
  const api = pageApi();
  connectEvents(appStore, api);
  createRoot(document.getElementById('root')!).render(<App />);
  const info = await api.invoke('app:info');
  if (!info.ok) return appStore.getState().showError(info.error);
  appStore.setState({ info: info.value });
  const state = appStore.getState();
  void state.loadEps();
  void state.loadRecent();
  void state.loadDevices();
  // First launch: the model named on the command line, else the bundled sample, so a newcomer
  // sees a profile at once.
  await state.openPath(info.value.initialModelPath ?? info.value.sampleModelPath);
  if (appStore.getState().summary && !appStore.getState().report) void appStore.getState().start();
}

void start();
