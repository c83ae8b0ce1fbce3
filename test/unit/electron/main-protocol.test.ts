// electron/main.ts run for real against a stand-in for the electron module (no Electron binary can
// run here): the strata:// handler's responses carry the CSP, permissions are denied, navigation
// away is refused, and IPC handlers are registered once however many windows open.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

const fake = vi.hoisted(() => {
  const state = {
    protocolHandler: null as null | ((request: Request) => Promise<Response>),
    permissionRequest: null as null | ((...a: unknown[]) => void),
    permissionCheck: null as null | ((...a: unknown[]) => boolean),
    devicePermission: null as null | ((...a: unknown[]) => boolean),
    ipcChannels: [] as string[],
    windows: [] as { listeners: Map<string, Listener[]>; openHandler: null | (() => unknown) }[],
    ready: null as null | (() => void),
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    readonly webContents: Record<string, unknown>;
    readonly record = { listeners: new Map<string, Listener[]>(), openHandler: null as null | (() => unknown) };
    constructor() {
      const record = this.record;
      fake.windows.push(record);
      this.webContents = {
        on: (event: string, listener: Listener) =>
          record.listeners.set(event, [...(record.listeners.get(event) ?? []), listener]),
        setWindowOpenHandler: (handler: () => unknown) => (record.openHandler = handler),
        isDestroyed: () => false,
        send: () => {},
      };
    }
    once() {}
    on() {}
    show() {}
    loadURL() {
      return Promise.resolve();
    }
  }
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (h: (...a: unknown[]) => void) => (fake.permissionRequest = h),
      setPermissionCheckHandler: (h: (...a: unknown[]) => boolean) => (fake.permissionCheck = h),
      setDevicePermissionHandler: (h: (...a: unknown[]) => boolean) => (fake.devicePermission = h),
      webRequest: { onHeadersReceived: () => {} },
    },
  };
  return {
    app: {
      isPackaged: false,
      whenReady: () => new Promise<void>((resolve) => (fake.ready = resolve)),
      on: () => {},
      quit: () => {},
    },
    BrowserWindow,
    dialog: {},
    Menu: { setApplicationMenu: () => {}, buildFromTemplate: () => ({}) },
    // Like Electron's net.fetch of a file:// URL: the file's bytes, or a rejection when it is missing.
    net: {
      fetch: async (url: string) =>
        new Response((await import('node:fs')).readFileSync(new URL(url)), {
          status: 200,
          headers: { 'content-type': 'text/html' },
        }),
    },
    protocol: {
      registerSchemesAsPrivileged: () => {},
      handle: (_scheme: string, handler: (request: Request) => Promise<Response>) => (fake.protocolHandler = handler),
    },
    session,
    shell: { openExternal: () => {} },
    ipcMain: {
      handle: (channel: string) => {
        if (fake.ipcChannels.includes(channel))
          throw new Error(`Attempted to register a second handler for '${channel}'`);
        fake.ipcChannels.push(channel);
      },
    },
    utilityProcess: { fork: () => ({}) },
  };
});

let main: typeof import('../../../electron/main.js');

beforeAll(async () => {
  main = await import('../../../electron/main.js');
  fake.ready!();
  await new Promise((r) => setTimeout(r, 0));
});

describe('the desktop app (electron mocked)', () => {
  it('delivers the CSP with every strata:// response, from the protocol handler itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-renderer-'));
    writeFileSync(join(dir, 'index.html'), '<div id="root"></div>');
    const page = await main.rendererResponse(new Request('strata://app/index.html'), dir);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("object-src 'none'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-eval');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('root');
    // Refusals carry it too, and nothing outside the bundle is served.
    const outside = await main.rendererResponse(new Request('strata://app/..%2f..%2fetc%2fpasswd'), dir);
    expect(outside.status).toBe(404);
    expect(outside.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await main.rendererResponse(new Request('strata://app/%ff'), dir)).status).toBe(400);
    expect((await main.rendererResponse(new Request('strata://other/index.html'), dir)).status).toBe(404);
  });

  it('registers the protocol handler that answers with those headers', async () => {
    expect(fake.protocolHandler).not.toBeNull();
    const response = await fake.protocolHandler!(new Request('strata://app/no-such-file.js'));
    expect(response.headers.get('content-security-policy')).toBe(main.SECURITY_HEADERS['Content-Security-Policy']);
  });

  it('denies every permission request, permission check and device', () => {
    const answers: boolean[] = [];
    fake.permissionRequest!({}, 'media', (ok: boolean) => answers.push(ok));
    expect(answers).toEqual([false]);
    expect(fake.permissionCheck!({}, 'notifications', 'strata://app', {})).toBe(false);
    expect(fake.devicePermission!({ deviceType: 'usb', origin: 'strata://app' })).toBe(false);
  });

  it('refuses navigation, frame navigation and redirects away from the app, and new windows', () => {
    const window = fake.windows[0]!;
    const prevented = (event: string, url: string) => {
      let stopped = false;
      const e = { url, preventDefault: () => (stopped = true) };
      for (const listener of window.listeners.get(event) ?? []) listener(e, url);
      return stopped;
    };
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(prevented(event, 'https://evil.example/')).toBe(true);
      expect(prevented(event, 'file:///etc/passwd')).toBe(true);
      expect(prevented(event, 'strata://app/index.html')).toBe(false);
    }
    expect(window.openHandler!()).toEqual({ action: 'deny' });
    expect(prevented('will-attach-webview', 'strata://app/')).toBe(true);
  });

  it('registers each IPC channel once, however many windows are opened', async () => {
    const { INVOKE_CHANNELS } = await import('../../../shared/api.js');
    expect(fake.ipcChannels.length).toBe(INVOKE_CHANNELS.length);
    expect(new Set(fake.ipcChannels).size).toBe(INVOKE_CHANNELS.length);
  });
});
