/**
 * `strata serve [MODEL] [--port P] [--no-open]`: the app in a browser, on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { StrataError } from '../shared/errors.js';
import { parseStrict } from './cli/args.js';
import { strataRoot } from './core/version.js';
import { startServer } from './server.js';

/** Runs the server until SIGINT/SIGTERM; returns the exit code. */
export async function runServe(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseStrict(argv, { port: { type: 'string' }, 'no-open': { type: 'boolean' } });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new StrataError('BAD_ARGUMENT', `--port "${values.port}" is not a port number.`);
  const server = await startServer({
    port,
    rendererDir: join(strataRoot(), 'dist', 'renderer'),
    initialModelPath: positionals[0] ? resolve(positionals[0]) : null,
    // For tests of the message limit; the default suits real reports.
    maxMessageBytes: Number(process.env.STRATA_MAX_MESSAGE_BYTES) || undefined,
  }).catch((err: NodeJS.ErrnoException) => {
    throw new StrataError(
      'IO_ERROR',
      err.code === 'EADDRINUSE' ? `Port ${port} is in use; pick another with --port, or 0 for any.` : err.message,
    );
  });
  process.stdout.write(`Strata is running at ${server.url}\n`);
  if (!values['no-open']) openBrowser(server.url);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
  return 0;
}

// Best effort: a headless box has no browser, and the URL is printed anyway.
function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no opener: the printed URL is enough
  }
}
