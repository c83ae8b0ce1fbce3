// No module of the product imports itself back through others: a cycle makes load order decide
// what is undefined at import time, and hides which module owns what. Type-only imports are erased
// at build time and do not count.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const FOLDERS = ['electron', 'renderer', 'shared'];
const SOURCE = /\.(ts|tsx|cts|mts)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The product files `file` imports at run time (relative specifiers; `.js` names its `.ts`/`.tsx`). */
export function runtimeImports(file: string, text: string, exists: (path: string) => boolean): string[] {
  const found: string[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'|^\s*import\s+'(\.[^']+)'/gm;
  for (const m of text.matchAll(pattern)) {
    if (m[2]) continue; // `import type` / `export type`
    const spec = (m[3] ?? m[4])!;
    const base = resolve(dirname(file), spec).replace(/\.js$/, '');
    const target = ['.ts', '.tsx', '.cts', '.mts'].map((ext) => base + ext).find(exists);
    if (target) found.push(target);
  }
  return found;
}

/** Every cycle's files, found by depth-first search over the import graph. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('the product has no import cycles', () => {
  it('finds a cycle it is shown (the check can fail)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c']]);
    const files = new Set(['/x/a.ts', '/x/b.tsx']);
    expect(
      runtimeImports(
        '/x/a.ts',
        "import { b } from './b.js';\nimport type { T } from './c.js';\nexport { d } from './d.js';",
        (p) => files.has(p),
      ),
    ).toEqual(['/x/b.tsx']);
  });

  it('has none in electron/, renderer/ or shared/', () => {
    const files = FOLDERS.flatMap((f) => sourceFiles(join(ROOT, f)));
    const known = new Set(files);
    const graph = new Map(files.map((f) => [f, runtimeImports(f, readFileSync(f, 'utf8'), (p) => known.has(p))]));
    expect(graph.size).toBeGreaterThan(100);
    const cycles = findCycles(graph).map((c) => c.map((f) => relative(ROOT, f)).join(' -> '));
    expect(cycles).toEqual([]);
  });
});
