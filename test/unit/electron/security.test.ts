// Electron's security checklist, asserted on the sources (the binary cannot run here). These
// complement scripts/security-check.mjs: electronegativity misses some settings (nodeIntegration).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, EVENT_CHANNELS } from '../../../shared/api.js';
import { REPO } from '../../fixtures/paths.js';

const main = readFileSync(join(REPO, 'electron', 'main.ts'), 'utf8');
const preload = readFileSync(join(REPO, 'electron', 'preload.cts'), 'utf8');
const ipc = readFileSync(join(REPO, 'electron', 'ipc.ts'), 'utf8');
const webPreferences = /webPreferences:\s*\{([^}]*)\}/.exec(main)?.[1] ?? '';

describe('Electron security checklist', () => {
  it('isolates and sandboxes the page, with no Node in it', () => {
    expect(webPreferences).toMatch(/contextIsolation:\s*true/);
    expect(webPreferences).toMatch(/sandbox:\s*true/);
    expect(webPreferences).toMatch(/nodeIntegration:\s*false/);
    expect(webPreferences).toMatch(/nodeIntegrationInWorker:\s*false/);
    expect(webPreferences).toMatch(/webviewTag:\s*false/);
  });

  it('keeps web security on, insecure content and experimental features off', () => {
    expect(webPreferences).toMatch(/webSecurity:\s*true/);
    expect(webPreferences).toMatch(/allowRunningInsecureContent:\s*false/);
    expect(webPreferences).toMatch(/experimentalFeatures:\s*false/);
    expect(main).not.toMatch(/enableBlinkFeatures/);
  });

  it('sets a strict Content-Security-Policy on every response', () => {
    // One policy for both front doors (electron/app-csp.ts), used by main.ts.
    const csp = /APP_CSP =\s*"([^"]+)"/.exec(readFileSync(join(REPO, 'electron', 'app-csp.ts'), 'utf8'))?.[1] ?? '';
    expect(main).toMatch(/const CSP = APP_CSP;/);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    // Set on the protocol handler's responses (webRequest never sees strata://): see main-protocol.test.ts.
    expect(main).toMatch(/'Content-Security-Policy': CSP/);
    expect(main).not.toMatch(/onHeadersReceived\(/);
  });

  it('serves the renderer from a custom protocol, not file://', () => {
    expect(main).toMatch(/protocol\.handle\('strata'/);
    expect(main).toMatch(/loadURL\(`\$\{APP_ORIGIN\}/);
    expect(main).not.toMatch(/loadFile\(/);
  });

  it('limits navigation and denies new windows and webviews', () => {
    expect(main).toMatch(/will-navigate[\s\S]*preventDefault/);
    expect(main).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(main).toMatch(/will-attach-webview[\s\S]*preventDefault/);
    expect(main).toMatch(/setPermissionRequestHandler\([^)]*\) => callback\(false\)/);
  });

  it('calls openExternal only with constant URLs', () => {
    for (const call of main.matchAll(/openExternal\(([^)]*)\)/g)) expect(call[1]).toMatch(/^'https:\/\/[^']+'$/);
  });

  it('checks the sender of every IPC message', () => {
    expect(ipc).toMatch(/ipcMain\.handle\([\s\S]*isTrustedSender\(event\)/);
    expect(ipc).toMatch(/senderFrame/);
  });

  it('exposes exactly the contract through the preload, never raw ipcRenderer', () => {
    expect(preload).toMatch(/contextBridge\.exposeInMainWorld\('strata', api\)/);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    for (const channel of [...INVOKE_CHANNELS, ...EVENT_CHANNELS]) expect(preload).toContain(`'${channel}': true`);
    expect(main).not.toMatch(/\bremote\b/);
  });

  it('ships with the fuses off that would let the binary run as Node or take inspector flags', () => {
    const fuses = readFuses(readFileSync(join(REPO, 'electron-builder.yml'), 'utf8'));
    expect(fuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // With RunAsNode off, workers must be utility processes, not forks of the Electron binary.
    expect(main).toMatch(/setWorkerForker\(forkUtilityWorker\)/);
  });

  it('reads the fuse block strictly: a duplicate, a typo or a non-boolean fails', () => {
    const base = 'appId: x\nelectronFuses:\n  runAsNode: false\n';
    expect(readFuses(base)).toEqual({ runAsNode: false });
    expect(() => readFuses(base + '  runAsNode: true\n')).toThrow(/twice/);
    expect(() => readFuses(base + '  runAsnode: false\n')).toThrow(/unknown fuse/);
    expect(() => readFuses(base + '  onlyLoadAppFromAsar: "true"\n')).toThrow(/not a boolean/);
    expect(() => readFuses(base + 'asar: false\n')).toThrow(/asar/);
    expect(() => readFuses(base + 'electronFuses:\n  runAsNode: true\n')).toThrow(/twice/);
  });
});

const KNOWN_FUSES = new Set([
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
]);

/**
 * electron-builder.yml's `electronFuses` mapping, read line by line and strictly: every line of the
 * block must be `  name: true|false` for a fuse @electron/fuses knows, once; the key must appear
 * once; and asar must not be turned off (onlyLoadAppFromAsar would then load nothing).
 */
function readFuses(yml: string): Record<string, boolean> {
  const lines = yml.split('\n');
  const starts = lines.flatMap((line, i) => (/^electronFuses:\s*(#.*)?$/.test(line) ? [i] : []));
  if (starts.length !== 1) throw new Error(`electronFuses appears ${starts.length === 0 ? 'nowhere' : 'twice'}`);
  if (lines.some((line) => /^asar:\s*false\b/.test(line))) throw new Error('asar is turned off');
  const fuses: Record<string, boolean> = {};
  for (const line of lines.slice(starts[0]! + 1)) {
    if (line.trim() === '' || /^\s*#/.test(line)) continue;
    if (!/^\s/.test(line)) break; // the next top-level key
    const m = /^ {2}(\w+):\s*(\S+)\s*(#.*)?$/.exec(line);
    if (!m) throw new Error(`unreadable fuse line "${line}"`);
    const [, name, value] = m as unknown as [string, string, string];
    if (!KNOWN_FUSES.has(name)) throw new Error(`unknown fuse "${name}"`);
    if (name in fuses) throw new Error(`fuse "${name}" is set twice`);
    if (value !== 'true' && value !== 'false') throw new Error(`fuse "${name}" is not a boolean: ${value}`);
    fuses[name] = value === 'true';
  }
  return fuses;
}
