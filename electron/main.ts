/**
 * The desktop app: one window over the renderer bundle, with Electron's security checklist applied
 * (context isolation, sandbox, no Node in the page, strict CSP, a custom protocol instead of
 * file://, navigation and new windows denied, IPC only from our page), wired to the same API
 * handlers as browser mode.
 */
import { app, BrowserWindow, dialog, Menu, net, protocol, session, shell } from 'electron';
import { writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApiHandlers } from './api/handlers.js';
import { setWorkerForker } from './core/runner/worker-client.js';
import { strataRoot } from './core/version.js';
import { APP_ORIGIN, registerIpc, sendEvent } from './ipc.js';
import { forkUtilityWorker } from './utility-worker.js';

const RENDERER_DIR = join(strataRoot(), 'dist', 'renderer');
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

// Inference workers run as utility processes, so packaged builds ship with the RunAsNode fuse off
// (electron-builder.yml): nothing can turn the app binary into a plain Node interpreter.
setWorkerForker(forkUtilityWorker);

protocol.registerSchemesAsPrivileged([{ scheme: 'strata', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let window: BrowserWindow | null = null;

function serveRenderer(): void {
  protocol.handle('strata', (request) => {
    const url = new URL(request.url);
    const file = resolve(RENDERER_DIR, '.' + decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
    if (url.host !== 'app' || !file.startsWith(RENDERER_DIR + sep)) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  // No permission (camera, notifications, ...) is ever needed.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}

function createWindow(initialModelPath: string | null): void {
  window = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'Strata',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // Middle-click would open links in new windows, bypassing setWindowOpenHandler's checks.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window?.show());

  const handlers = createApiHandlers({
    mode: 'electron',
    initialModelPath,
    emit: (channel, payload) => sendEvent(contents, channel, payload),
    showOpenDialog: async () => {
      const result = await dialog.showOpenDialog(window!, {
        title: 'Open an ONNX model or a Strata report',
        properties: ['openFile'],
        filters: [{ name: 'ONNX models and Strata reports', extensions: ['onnx', 'json'] }],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    showSaveDialog: async (file) => {
      const result = await dialog.showSaveDialog(window!, { defaultPath: file.fileName });
      if (result.canceled || !result.filePath) return null;
      await writeFile(result.filePath, file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : file.content);
      return result.filePath;
    },
  });
  registerIpc(handlers);
  window.on('closed', () => {
    handlers.dispose();
    window = null;
  });
  void window.loadURL(`${APP_ORIGIN}/index.html`);
}

function buildMenu(): void {
  const isMac = process.platform === 'darwin';
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(isMac ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'File',
        submenu: [
          // The page owns the shortcut (it also works in browser mode); the menu item mirrors it.
          { label: 'Open Model…', accelerator: 'CmdOrCtrl+O', click: () => window?.webContents.sendInputEvent({ type: 'keyDown', keyCode: 'O', modifiers: [isMac ? 'meta' : 'control'] }) },
          { type: 'separator' },
          isMac ? { role: 'close' } : { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      {
        role: 'help',
        submenu: [{ label: 'ONNX Runtime execution providers', click: () => void shell.openExternal('https://onnxruntime.ai/docs/execution-providers/') }],
      },
    ]),
  );
}

const initialModel = process.argv.slice(app.isPackaged ? 1 : 2).find((arg) => arg.endsWith('.onnx')) ?? null;
void app.whenReady().then(() => {
  serveRenderer();
  buildMenu();
  createWindow(initialModel ? resolve(initialModel) : null);
});
app.on('window-all-closed', () => app.quit());
