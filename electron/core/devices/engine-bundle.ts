/**
 * What Strata ships to a device: its headless engine (the built CLI and worker, bin/strata.js,
 * package.json) and the runtime packages the CLI imports, with onnxruntime-node's native binary for
 * the device's platform only (25-45 MB instead of 280). Named by the package version and a hash of
 * every shipped byte, so a rebuilt engine deploys again and an unchanged one never does.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { StrataError } from '../../../shared/errors.js';
import { strataRoot, strataVersion } from '../version.js';

/** One file of the bundle: where it is here, and its path in the bundle. */
export interface BundleFile {
  readonly source: string;
  readonly name: string; // POSIX, relative to the bundle's root
}

/** The bundle for one platform. */
export interface EngineBundle {
  readonly version: string; // "0.1.0-3f2a9c1b7d0e": the folder name on the device
  readonly files: readonly BundleFile[];
  readonly bytes: number;
}

/** onnxruntime-node's folder of native binaries, by Node's `process.platform` / `process.arch`. */
const ORT_BINARIES = 'node_modules/onnxruntime-node/bin/napi-v6';

// Skipped everywhere: source maps, type declarations, TypeScript sources.
const SKIP = /\.(map|d\.ts|d\.cts|d\.mts|ts|md)$/;

/** Platforms (`linux-arm64`) there is an onnxruntime binary for, here. */
export function supportedPlatforms(root = strataRoot()): string[] {
  const dir = join(root, ORT_BINARIES);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((os) => readdirSync(join(dir, os)).map((arch) => `${os}-${arch}`));
}

const cache = new Map<string, EngineBundle>();

/** The bundle for a device whose Node reports `platform` and `arch`; throws when there is no binary for it. */
export function engineBundle(platform: string, arch: string, root = strataRoot()): EngineBundle {
  const key = `${root}|${platform}|${arch}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const binaries = join(root, ORT_BINARIES, platform, arch);
  if (!existsSync(binaries)) {
    throw new StrataError(
      'DEVICE_UNAVAILABLE',
      `onnxruntime-node has no prebuilt binary for ${platform}-${arch}, so Strata cannot profile there. Devices it supports: ${supportedPlatforms(root).join(', ') || 'none (onnxruntime-node is not installed)'}.`,
    );
  }
  if (!existsSync(join(root, 'dist', 'electron', 'cli.js'))) {
    throw new StrataError(
      'DEVICE_UNAVAILABLE',
      'Strata is not built yet, so there is no engine to deploy: run `npm run build` first.',
    );
  }
  const files: BundleFile[] = [
    ...walk(root, 'dist/electron'),
    ...walk(root, 'dist/shared'),
    { source: join(root, 'bin', 'strata.js'), name: 'bin/strata.js' },
    { source: join(root, 'package.json'), name: 'package.json' },
    ...packageFiles(root, 'onnxruntime-node', ['dist']),
    ...walk(root, `${ORT_BINARIES}/${platform}/${arch}`),
    ...packageFiles(root, 'onnxruntime-common', ['dist']),
    ...packageFiles(root, 'systeminformation', ['lib']),
  ];
  files.sort((a, b) => (a.name < b.name ? -1 : 1));
  const hash = createHash('sha256');
  let bytes = 0;
  for (const file of files) {
    const content = readFileSync(file.source);
    bytes += content.length;
    hash.update(`${file.name}\0${content.length}\0`).update(content);
  }
  const bundle = { version: `${strataVersion()}-${hash.digest('hex').slice(0, 12)}`, files, bytes };
  cache.set(key, bundle);
  return bundle;
}

// A package's package.json and its folders `dirs`, without maps, declarations and sources.
function packageFiles(root: string, pkg: string, dirs: readonly string[]): BundleFile[] {
  const base = `node_modules/${pkg}`;
  if (!existsSync(join(root, base, 'package.json'))) {
    throw new StrataError('DEVICE_UNAVAILABLE', `The package ${pkg} is not installed here; run \`npm ci\` first.`);
  }
  return [
    { source: join(root, base, 'package.json'), name: `${base}/package.json` },
    ...dirs.flatMap((d) => walk(root, `${base}/${d}`)),
  ];
}

// Every file under `dir` (relative to `root`), following symlinks (node_modules may be one).
function walk(root: string, dir: string): BundleFile[] {
  const out: BundleFile[] = [];
  const visit = (abs: string) => {
    for (const entry of readdirSync(abs)) {
      const path = join(abs, entry);
      const stat = statSync(path);
      if (stat.isDirectory()) visit(path);
      else if (stat.isFile() && (!SKIP.test(entry) || entry === 'package.json'))
        out.push({ source: path, name: relative(root, path).split(sep).join('/') });
    }
  };
  visit(join(root, dir));
  return out;
}
