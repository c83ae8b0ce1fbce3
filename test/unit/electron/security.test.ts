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
    const csp = /const CSP = "([^"]+)"/.exec(main)?.[1] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
    expect(main).toMatch(/onHeadersReceived[\s\S]*Content-Security-Policy/);
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
    const builder = readFileSync(join(REPO, 'electron-builder.yml'), 'utf8');
    const fuses = /electronFuses:\n((?: {2}\w+: (?:true|false)\n)+)/.exec(builder)?.[1] ?? '';
    expect(fuses).toMatch(/runAsNode: false/);
    expect(fuses).toMatch(/enableNodeOptionsEnvironmentVariable: false/);
    expect(fuses).toMatch(/enableNodeCliInspectArguments: false/);
    expect(fuses).toMatch(/onlyLoadAppFromAsar: true/);
    // With RunAsNode off, workers must be utility processes, not forks of the Electron binary.
    expect(main).toMatch(/setWorkerForker\(forkUtilityWorker\)/);
  });
});
