/** Where Strata is installed and which version it is, from sources or from dist/. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageRoot {
  readonly dir: string;
  readonly version: string;
}

let cached: PackageRoot | null = null;

// Walks up from this module to the package.json named "strata": the depth differs between
// electron/core/ (sources, under tsx or vitest) and dist/electron/core/ (built).
function findPackageRoot(): PackageRoot {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'strata') return (cached = { dir, version: pkg.version ?? '0.0.0' });
    } catch {
      // no package.json at this level: keep walking up
    }
    dir = dirname(dir);
  }
  throw new Error(`Could not find Strata's package.json above ${fileURLToPath(import.meta.url)}.`);
}

/** The `version` of Strata's package.json. */
export function strataVersion(): string {
  return findPackageRoot().version;
}

/** The installation root, where package.json and assets/ live. */
export function strataRoot(): string {
  return findPackageRoot().dir;
}
