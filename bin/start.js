#!/usr/bin/env node
// `npm start`: the Electron app when its binary is installed (electron 45 fetches it on first run);
// when it is missing and cannot be fetched, one line saying so, then the same app in the browser
// (browser mode) on the sample model or the model given.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronDir = join(root, 'node_modules', 'electron');
const args = process.argv.slice(2);

// Read the binary's location ourselves: requiring 'electron' would start a download with its own
// noisy failure.
function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function tryDownload() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || !existsSync(join(electronDir, 'install.js'))) return;
  process.stderr.write('strata: fetching the Electron binary (first run)…\n');
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
}

let binary = electronBinary();
if (!binary) {
  tryDownload();
  binary = electronBinary();
}
const child = binary
  ? spawn(binary, [root, ...args], { stdio: 'inherit' })
  : (process.stderr.write("strata: Electron's binary is not installed and could not be downloaded; starting Strata in browser mode instead.\n"),
    spawn(process.execPath, [join(root, 'bin', 'strata.js'), 'serve', ...args], { stdio: 'inherit' }));
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
