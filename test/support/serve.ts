// The one way tests start `strata serve`: the built CLI in a process of its own (a crash shows as
// its exit, not as a test's exception), on a free port, with a config folder (and, outside vitest,
// a HOME) of its own, removed when it stops. Used by the e2e harness, the server-hardening tests
// and the fuzz suite's WebSocket cases.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../fixtures/paths.js';

/** A running `strata serve`. */
export interface Serve {
  readonly url: string; // as printed, with its token
  readonly origin: string;
  readonly token: string;
  readonly process: ChildProcess;
  /** What it printed on stderr so far. */
  stderr(): string;
  /** SIGTERM, then resolves once it has exited; its temp config folder is removed. */
  stop(): Promise<void>;
}

/** Starts `strata serve --no-open --port 0 ...args`; `env` is added to the inherited environment. */
export async function startServe(
  options: { args?: readonly string[]; env?: NodeJS.ProcessEnv; ownHome?: boolean } = {},
): Promise<Serve> {
  const home = mkdtempSync(join(tmpdir(), 'strata-serve-home-'));
  const child = spawn(
    process.execPath,
    [join(REPO, 'bin', 'strata.js'), 'serve', '--no-open', '--port', '0', ...(options.args ?? [])],
    {
      cwd: REPO,
      env: {
        ...process.env,
        ...(options.ownHome ? { HOME: home } : {}),
        STRATA_CONFIG_DIR: join(home, 'config'),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`strata serve printed no URL in 30 s. stderr: ${stderr}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /running at (http\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`strata serve exited with ${code}: ${stderr}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    process: child,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(home, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
