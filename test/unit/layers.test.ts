// The layer rule of DESIGN.md, enforced: shared/ stands alone, the engine never touches Electron,
// the renderer reaches the engine only through shared/api.ts, onnxruntime lives only in the runner,
// and raw IPC stays inside the two files that own it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Every module specifier a file imports (static, dynamic and re-exports). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return specs.map((m) => m[1] ?? m[2]!);
}

function violations(dir: string, isForbidden: (spec: string, file: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(file)
      .filter((spec) => isForbidden(spec, file))
      .map((spec) => `${file} imports "${spec}"`),
  );
}

const reachesInto = (spec: string, file: string, folder: string) =>
  spec.startsWith('.') && relative(ROOT, join(ROOT, file, '..', spec)).startsWith(folder + '/');

describe('layer rules', () => {
  it('shared/ imports nothing from electron/, renderer/, Node built-ins or native packages', () => {
    expect(
      violations(
        'shared',
        (spec, file) =>
          reachesInto(spec, file, 'electron') ||
          reachesInto(spec, file, 'renderer') ||
          spec.startsWith('node:') ||
          ['fs', 'path', 'electron', 'onnxruntime-node', 'systeminformation'].includes(spec),
      ),
    ).toEqual([]);
  });

  it('the engine (electron/core/) never imports Electron or the front doors', () => {
    expect(
      violations(
        'electron/core',
        (spec, file) =>
          spec === 'electron' || reachesInto(spec, file, 'renderer') || /\/(main|preload|ipc|server)\.js$/.test(spec),
      ),
    ).toEqual([]);
  });

  it('only the runner imports onnxruntime-node', () => {
    expect(
      violations('electron', (spec, file) => spec === 'onnxruntime-node' && !file.startsWith('electron/core/runner/')),
    ).toEqual([]);
  });

  it('the renderer imports only shared/ of our folders, and no Electron or Node modules', () => {
    expect(
      violations(
        'renderer',
        (spec, file) =>
          reachesInto(spec, file, 'electron') || spec === 'electron' || spec.startsWith('node:') || spec === 'fs',
      ),
    ).toEqual([]);
  });

  it('raw ipcMain/ipcRenderer appear only in electron/ipc.ts and electron/preload.ts', () => {
    const offenders = [...sourceFiles('electron'), ...sourceFiles('renderer')].filter((file) => {
      if (file === 'electron/ipc.ts' || file === 'electron/preload.ts') return false;
      return /\bipc(Main|Renderer)\b/.test(readFileSync(join(ROOT, file), 'utf8'));
    });
    expect(offenders).toEqual([]);
  });

  it('finds the imports it is checking (the rule cannot pass by reading nothing)', () => {
    expect(importsOf('electron/cli.ts')).toContain('../shared/errors.js');
    expect(sourceFiles('shared').length).toBeGreaterThan(3);
  });
});
