// README's Layout section is the project's picture of the house (issue 14 point 7). The rule kept
// here: every file and folder it names exists; every subfolder of a folder it names is named too;
// every top-level folder is named. A name in backticks is a path when it has a slash or a source
// file's ending; one that starts with a top-level folder is read from the repository root and sets
// the folder the next relative names are read in (`electron/core/` ... `model/` is electron/core/model/).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

// Not ours to describe: what git ignores (build output, results, scratch) and tooling folders.
const IGNORED_TOP = new Set([
  'node_modules',
  '.git',
  ...readFileSync(join(ROOT, '.gitignore'), 'utf8')
    .split('\n')
    .filter((l) => l.endsWith('/') && !l.includes('*'))
    .map((l) => l.slice(0, -1)),
]);
// Folders whose subfolders are named by rule, not one by one: test/unit/ mirrors the source
// folders, test/fixtures/ is data, and generated output (bench/results/, test-results/) is not source.
const NOT_LISTED = ['test/unit', 'test/fixtures', 'bench/results', 'test-results'];

function layoutSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Layout\n');
  expect(start, 'README has a "## Layout" section').toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

const topFolders = () => readdirSync(ROOT).filter((n) => !IGNORED_TOP.has(n) && statSync(join(ROOT, n)).isDirectory());

/** Every path the section names, resolved from the repository root ('dir/' for folders). */
function namedPaths(section: string): string[] {
  const tops = new Set([...topFolders(), ...IGNORED_TOP]);
  let folder = '';
  const paths: string[] = [];
  for (const [, token] of section.matchAll(/`([^`\s]+)`/g)) {
    if (!token!.includes('/') && !/\.(ts|tsx|cts|js|mjs|css|html|json)$/.test(token!)) continue;
    const isFolder = token!.endsWith('/');
    const fromRoot = tops.has(token!.split('/')[0]!);
    const path = normalize(fromRoot ? token! : join(folder, token!));
    paths.push(isFolder && !path.endsWith('/') ? `${path}/` : path);
    if (fromRoot) folder = isFolder ? path : dirname(path);
  }
  return paths;
}

const isIgnored = (path: string) => IGNORED_TOP.has(path.split('/')[0]!) || path.startsWith('bench/results');

describe("README's Layout section", () => {
  const section = layoutSection();
  const paths = namedPaths(section);
  const folders = new Set(paths.filter((p) => p.endsWith('/')).map((p) => p.slice(0, -1)));

  it('names paths, resolved as the rule says', () => {
    expect(paths).toContain('electron/core/model/');
    expect(paths).toContain('electron/preload.cts');
    expect(paths).toContain('renderer/api/platform.ts');
    expect(paths.length).toBeGreaterThan(40);
  });

  it('names only files and folders that exist', () => {
    const missing = paths.filter((p) => !isIgnored(p) && !existsSync(join(ROOT, p)));
    expect(missing).toEqual([]);
    const notFolders = paths.filter((p) => p.endsWith('/') && !isIgnored(p) && !statSync(join(ROOT, p)).isDirectory());
    expect(notFolders).toEqual([]);
  });

  it('names every top-level folder', () => {
    expect(topFolders().filter((f) => !folders.has(f) && !paths.some((p) => p.startsWith(`${f}/`)))).toEqual([]);
  });

  it('names every subfolder of each folder it names', () => {
    const unnamed: string[] = [];
    for (const folder of [...folders].filter((f) => !isIgnored(f) && !NOT_LISTED.includes(f))) {
      for (const entry of readdirSync(join(ROOT, folder), { withFileTypes: true })) {
        const sub = `${folder}/${entry.name}`;
        if (entry.isDirectory() && !folders.has(sub) && !NOT_LISTED.includes(sub)) unnamed.push(`${sub}/`);
      }
    }
    expect(unnamed).toEqual([]);
  });

  it('tells the data flow of one profile in a few lines', () => {
    const flow = section.slice(section.indexOf('One profile'));
    const steps = flow.split('\n').filter((l) => /^\d\. /.test(l));
    expect(steps.length).toBeGreaterThanOrEqual(4);
    expect(steps.length).toBeLessThanOrEqual(8);
  });
});
