#!/usr/bin/env node
// `npm start`: the Electron app when its binary is installed (electron 45 fetches it on first run).
// When it is missing and cannot be fetched, the same app is served to the browser (browser mode) on
// the sample model or the model given, and the last line printed says so, with the address: one
// line the user sees under the build output, not a trail of half-messages.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronDir = join(root, 'node_modules', 'electron');
const args = process.argv.slice(2);
const tty = process.stderr.isTTY;

// Read the binary's location ourselves: requiring 'electron' would start a download with its own
// noisy failure.
function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

// Tries to fetch the binary (first run). On a terminal a status line shows meanwhile and is
// erased after, whatever the outcome.
function tryDownload() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD || !existsSync(join(electronDir, 'install.js'))) return;
  if (tty) process.stderr.write('strata: fetching the Electron binary (first run)…');
  spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
  if (tty) process.stderr.write('\r\x1b[2K');
}

/** Browser mode, with serve's "running at URL" line turned into the one line that explains why. */
function serveInBrowser() {
  const child = spawn(process.execPath, [join(root, 'bin', 'strata.js'), 'serve', ...args], {
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const match = /^Strata is running at (\S+)/.exec(line);
    process.stdout.write(
      match
        ? `strata: Electron is not available here (its binary is not installed and could not be downloaded), so Strata is served in your browser at ${match[1]}\n`
        : `${line}\n`,
    );
  });
  return child;
}

let binary = electronBinary();
if (!binary) {
  tryDownload();
  binary = electronBinary();
}
const child = binary ? spawn(binary, [root, ...args], { stdio: 'inherit' }) : serveInBrowser();
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
