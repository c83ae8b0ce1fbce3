/**
 * The desktop app: one window over the renderer bundle, with Electron's security checklist applied
 * (context isolation, sandbox, no Node in the page, strict CSP, a custom protocol instead of
 * file://, navigation and new windows denied, IPC only from our page), wired to the same API
 * handlers as browser mode.
 */
import { app, BrowserWindow, dialog, Menu, net, protocol, session, shell, type WebContents } from 'electron';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileAccess } from './api/file-access.js';
import { writeFileToSave } from './api/file-to-save.js';
import { createApiHandlers } from './api/handlers.js';
import { RecentFiles } from './api/recent-files.js';
import { setWorkerForker } from './core/runner/worker-client.js';
import { strataRoot } from './core/version.js';
import { APP_ORIGIN, registerIpc, sendEvent } from './ipc.js';
import { forkUtilityWorker } from './utility-worker.js';
import { APP_CSP } from './app-csp.js';

const RENDERER_DIR = join(strataRoot(), 'dist', 'renderer');
const CSP = APP_CSP;

// Inference workers run as utility processes, so packaged builds ship with the RunAsNode fuse off
// (electron-builder.yml): nothing can turn the app binary into a plain Node interpreter.
setWorkerForker(forkUtilityWorker);

protocol.registerSchemesAsPrivileged([
  { scheme: 'strata', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let window: BrowserWindow | null = null;

/** Headers every strata:// response carries: the CSP above all, since no other layer adds one. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * Answers strata://app/... with a file of the renderer bundle and the security headers. The CSP
 * must be set here: session.webRequest.onHeadersReceived never sees custom-protocol responses
 * (electron/electron#6021), so a CSP set there would leave the page without one.
 */
export async function rendererResponse(request: Request, rendererDir: string = RENDERER_DIR): Promise<Response> {
  const url = new URL(request.url);
  let file: string;
  try {
    file = resolve(rendererDir, '.' + decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
  } catch {
    return new Response('Bad path', { status: 400, headers: SECURITY_HEADERS });
  }
  if (url.host !== 'app' || !file.startsWith(rendererDir + sep))
    return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
  const fetched = await net.fetch(pathToFileURL(file).toString()).catch(() => null);
  if (!fetched) return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
  const headers = new Headers(fetched.headers);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
  return new Response(fetched.body, { status: fetched.status, statusText: fetched.statusText, headers });
}

function serveRenderer(): void {
  protocol.handle('strata', (request) => rendererResponse(request));
  // No permission (camera, notifications, USB, HID, serial...) is ever needed: deny requests and
  // checks alike, and every device.
  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  defaultSession.setPermissionCheckHandler(() => false);
  defaultSession.setDevicePermissionHandler(() => false);
}

/** True for a URL of our own page; every navigation elsewhere is refused. */
export function isAppUrl(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`);
}

// One set of API handlers for the app, registered with IPC once (Electron throws on a second
// registration of a channel); events go to whichever window is open.
const files = new FileAccess(() => new RecentFiles().list());
let handlers: ReturnType<typeof createApiHandlers> | null = null;

function apiHandlers(initialModelPath: string | null): ReturnType<typeof createApiHandlers> {
  if (handlers) return handlers;
  handlers = createApiHandlers({
    mode: 'electron',
    files,
    opensPickedPaths: true,
    initialModelPath,
    emit: (channel, payload) => {
      if (window) sendEvent(window.webContents, channel, payload);
    },
    showOpenDialog: async () => {
      if (!window) return null;
      const result = await dialog.showOpenDialog(window, {
        title: 'Open an ONNX model or a Strata report',
        properties: ['openFile'],
        filters: [{ name: 'ONNX models and Strata reports', extensions: ['onnx', 'json'] }],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    // Main asks where and writes: the export never goes to the page and back.
    saveFile: async (file) => {
      const result = window ? await dialog.showSaveDialog(window, { defaultPath: file.fileName }) : null;
      if (!result || result.canceled || !result.filePath) return { fileName: file.fileName, savedTo: null };
      await writeFileToSave(file, result.filePath);
      return { fileName: file.fileName, savedTo: result.filePath };
    },
  });
  registerIpc(handlers);
  return handlers;
}

/** Refuses every navigation, redirect and frame navigation away from our page, in every frame. */
export function guardNavigation(contents: WebContents): void {
  const refuseOutside = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => refuseOutside(event, url));
  contents.on('will-frame-navigate', (event) => refuseOutside(event, event.url));
  contents.on('will-redirect', (event, url) => refuseOutside(event, url));
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
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
  guardNavigation(window.webContents);
  window.once('ready-to-show', () => window?.show());
  // Runs of a closed window stop with it; the handlers (and their IPC) stay for the next window.
  const api = apiHandlers(initialModelPath);
  window.on('closed', () => {
    // Cancelling and removing temp folders is best effort: the window is gone, and temp-owner.ts's
    // janitor removes what is left when Strata ends.
    api.dispose().catch(() => undefined);
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
          {
            label: 'Open Model…',
            accelerator: 'CmdOrCtrl+O',
            click: () =>
              window?.webContents.sendInputEvent({
                type: 'keyDown',
                keyCode: 'O',
                modifiers: [isMac ? 'meta' : 'control'],
              }),
          },
          { type: 'separator' },
          isMac ? { role: 'close' } : { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      {
        role: 'help',
        submenu: [
          {
            label: 'ONNX Runtime execution providers',
            click: () => void shell.openExternal('https://onnxruntime.ai/docs/execution-providers/'),
          },
        ],
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
