/**
 * Temp files that outlive no one: every temp folder or file a job makes is registered here, and a
 * small guardian process (the "janitor") removes whatever is still registered when this process
 * dies in any way, SIGKILL included. Cleanup in `finally` blocks, signal handlers or the worker's
 * watchdog each covers only part of a job's life (the parent writes compare inputs before any
 * worker runs and reads traces after the worker is gone); the janitor covers all of it.
 *
 * The janitor holds the read end of a pipe from this process; the kernel closes the write end
 * when this process ends, however it ends, and the janitor then removes the paths and exits. On a
 * normal exit this process removes them itself and stops the janitor, so none outlives it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

// Plain JavaScript: the janitor needs no loader and none of our modules. It ignores the signals a
// terminal sends the whole process group (Ctrl-C, hang-up): its job is to outlive the parent.
const JANITOR = `
const { rmSync } = require('node:fs');
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']) process.on(s, () => {});
const owned = new Set();
let rest = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (rest + chunk).split('\\n');
  rest = lines.pop();
  for (const line of lines) {
    try {
      const m = JSON.parse(line);
      if (m.add) owned.add(m.add); else if (m.drop) owned.delete(m.drop);
    } catch {}
  }
});
const end = () => {
  for (const p of owned) { try { rmSync(p, { recursive: true, force: true }); } catch {} }
  process.exit(0);
};
process.stdin.on('end', end);
process.stdin.on('error', end);
`;

const owned = new Set<string>();
let janitor: { process: ChildProcess; stdin: Writable } | null | undefined;

function startJanitor(): typeof janitor {
  // Under Electron, process.execPath is the app itself, and the packaged app cannot run as plain
  // Node (the RunAsNode fuse is off): there the app's own exit cleanup is all there is.
  if (process.versions.electron) return null;
  try {
    const child = spawn(process.execPath, ['-e', JANITOR], {
      stdio: ['pipe', 'ignore', 'ignore'],
      env: {},
      windowsHide: true,
    });
    child.on('error', () => (janitor = null)); // without a janitor, cleanup is as before
    child.unref();
    const stdin = child.stdin!;
    stdin.on('error', () => {}); // a janitor gone early must not take this process down
    (stdin as unknown as { unref?: () => void }).unref?.();
    process.once('exit', () => {
      // Normal exit: remove what is left here, synchronously, and stop the janitor at once.
      for (const p of owned) rmSync(p, { recursive: true, force: true });
      child.kill('SIGKILL');
    });
    return { process: child, stdin };
  } catch {
    return null;
  }
}

/** Registers `path` (a file or folder) to be removed if this process dies; returns the release. */
export function ownTempPath(path: string): () => void {
  janitor ??= startJanitor();
  owned.add(path);
  janitor?.stdin.write(`${JSON.stringify({ add: path })}\n`);
  return () => {
    if (!owned.delete(path)) return;
    janitor?.stdin.write(`${JSON.stringify({ drop: path })}\n`);
  };
}

/** A fresh temp folder `<tmp>/<prefix>XXXXXX`, owned until `remove()` deletes it. */
export async function ownedTempDir(prefix: string): Promise<{ readonly path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  const release = ownTempPath(path);
  return {
    path,
    remove: async () => {
      await rm(path, { recursive: true, force: true });
      release();
    },
  };
}

/** Removes the owned `path` and releases it. */
export async function removeOwned(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
  if (owned.delete(path)) janitor?.stdin.write(`${JSON.stringify({ drop: path })}\n`);
}

/** The paths still owned, for tests. */
export function ownedTempPaths(): readonly string[] {
  return [...owned];
}
