// The layer rule of README "Layout", as the project's own ESLint config enforces it (eslint/layers.js):
// deliberate violations written as if they sat inside each layer must fail lint with the rule that
// names the boundary, and the imports each layer may make must pass. `npm run lint` applies the same
// config to the real tree.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: ROOT,
    // The probes exist only as strings, so TypeScript's project service cannot see them: the two
    // type-aware promise rules are switched off for them. The rules under test read no types.
    overrideConfig: [
      {
        files: ['**/*.ts', '**/*.tsx', '**/*.cts'],
        languageOptions: { parserOptions: { projectService: false } },
        rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
      },
    ],
  });
});

/** `rule: line: message` for every boundary finding when `source` is linted as if it were `file`. */
async function boundaryFindings(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(ROOT, file) });
  return result!.messages
    .filter((m) => m.fatal || ['strata/layers', 'no-restricted-imports', 'no-restricted-syntax'].includes(m.ruleId!))
    .map((m) => `${m.ruleId}: ${m.line}: ${m.message}`);
}

describe('lint enforces the layers', () => {
  it('the engine (electron/core/) may not import Electron, the front doors or the renderer', async () => {
    const found = await boundaryFindings(
      'electron/core/model/lint-probe.ts',
      [
        "import { app } from 'electron';",
        "import { startServer } from '../../server.js';",
        "import { apiHandlers } from '../../api/handlers.js';",
        "import { App } from '../../../renderer/App.js';",
        'export const used = [app, startServer, apiHandlers, App];',
      ].join('\n'),
    );
    expect(found).toEqual([
      expect.stringMatching(/^strata\/layers: 1: electron\/core\/ may not import "electron"/),
      expect.stringMatching(
        /^strata\/layers: 2: electron\/core\/ may not import from electron\/ outside electron\/core\//,
      ),
      expect.stringMatching(/^strata\/layers: 3: .*"\.\.\/\.\.\/api\/handlers\.js"/),
      expect.stringMatching(/^strata\/layers: 4: electron\/core\/ may not import from renderer\//),
    ]);
  });

  it('the engine may import itself, shared/ and Node; only its runner loads onnxruntime-node', async () => {
    const ok = [
      "import { readFileSync } from 'node:fs';",
      "import { openModel } from '../engine.js';",
      "import type { Report } from '../../../shared/report.js';",
      "import * as ort from 'onnxruntime-node';",
      'export const used = [readFileSync, openModel, ort] as unknown as Report;',
    ].join('\n');
    expect(await boundaryFindings('electron/core/runner/lint-probe.ts', ok)).toEqual([]);
    expect(await boundaryFindings('electron/core/model/lint-probe.ts', ok)).toEqual([
      expect.stringMatching(/^strata\/layers: 4: .*"onnxruntime-node": only the worker/),
    ]);
  });

  it('the renderer may not import electron/, Electron or Node built-ins', async () => {
    const found = await boundaryFindings(
      'renderer/views/results/LintProbe.tsx',
      [
        "import { readFileSync } from 'node:fs';",
        "import { join } from 'path';",
        "import { shell } from 'electron';",
        "import { openModel } from '../../../electron/core/engine.js';",
        "import { formatMs } from '../../../shared/format.js';",
        'export const used = [readFileSync, join, shell, openModel, formatMs];',
      ].join('\n'),
    );
    expect(found.map((f) => f.slice(0, f.indexOf(':', f.indexOf(':') + 1)))).toEqual([
      'strata/layers: 1',
      'strata/layers: 2',
      'strata/layers: 3',
      'strata/layers: 4',
    ]);
  });

  it('shared/ imports nothing outside shared/', async () => {
    const found = await boundaryFindings(
      'shared/lint-probe.ts',
      [
        "import { formatMs } from './format.js';",
        "import { openModel } from '../electron/core/engine.js';",
        "import { useAppStore } from '../renderer/store/index.js';",
        "import { synthetic } from '../test/support/synthetic-models.js';",
        "import { tmpdir } from 'node:os';",
        'export const used = [formatMs, openModel, useAppStore, synthetic, tmpdir];',
      ].join('\n'),
    );
    expect(found.map((f) => f.split(':').slice(0, 2).join(':'))).toEqual([
      'strata/layers: 2',
      'strata/layers: 3',
      'strata/layers: 4',
      'strata/layers: 5',
    ]);
  });

  it('raw ipcMain/ipcRenderer only in electron/ipc.ts and electron/preload.cts', async () => {
    const source = "import { ipcMain, ipcRenderer } from 'electron';\nexport const used = [ipcMain, ipcRenderer];\n";
    expect(await boundaryFindings('electron/api/lint-probe.ts', source)).toEqual([
      expect.stringMatching(/^no-restricted-imports: 1: .*'ipcMain'/),
      expect.stringMatching(/^no-restricted-imports: 1: .*'ipcRenderer'/),
    ]);
    expect(await boundaryFindings('electron/lint-probe.cts', source)).toHaveLength(2);
    expect(await boundaryFindings('electron/ipc.ts', source)).toEqual([]);
    expect(await boundaryFindings('electron/preload.cts', source)).toEqual([]);
  });

  it('only renderer/api/platform.ts decides between the desktop app and browser mode', async () => {
    const source = [
      'const info = { mode: "browser" };',
      "export const desktop = window.strata !== undefined || info.mode === 'electron';",
    ].join('\n');
    expect(await boundaryFindings('renderer/views/shell/LintProbe.tsx', source)).toEqual([
      expect.stringMatching(/^no-restricted-syntax: 2: .*platform\.ts/),
      expect.stringMatching(/^no-restricted-syntax: 2: .*platform\.ts/),
    ]);
    expect(await boundaryFindings('renderer/api/platform.ts', source)).toEqual([]);
  });

  it('the rule is on for every source folder, preload.cts included', async () => {
    for (const file of ['electron/preload.cts', 'electron/core/engine.ts', 'renderer/App.tsx', 'shared/api.ts']) {
      const config = (await eslint.calculateConfigForFile(join(ROOT, file))) as { rules: Record<string, unknown> };
      expect(config.rules['strata/layers'], file).toEqual([2]);
    }
  });
});
