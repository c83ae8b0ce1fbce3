/**
 * Browser mode: the same renderer bundle and the same API as the desktop app, served on 127.0.0.1.
 * A random per-launch token guards the WebSocket and uploads, and only pages from this server's
 * own origin may connect, so another site open in the browser cannot drive the engine.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { EventChannel, EventChannels } from '../shared/api.js';
import type { ErrorInfo, Result } from '../shared/errors.js';
import { dispatchInvoke } from './api/dispatch.js';
import { FileAccess } from './api/file-access.js';
import { createApiHandlers } from './api/handlers.js';
import { createEngine } from './core/engine.js';
import { pruneUploads, RecentFiles, uploadsDir } from './api/recent-files.js';
import { APP_CSP } from './app-csp.js';
import { Downloads } from './downloads.js';

/** Options of `startServer`. */
export interface ServerOptions {
  readonly port?: number; // 0 = any free port
  readonly rendererDir: string;
  readonly initialModelPath?: string | null;
  /** Largest upload accepted, in bytes. */
  readonly maxUploadBytes?: number;
  /** Where uploads are kept; the config folder's uploads/ by default. */
  readonly uploadDir?: string;
  /** Largest WebSocket message accepted, in bytes; a larger one closes its socket (1009). */
  readonly maxMessageBytes?: number;
}

/** A running server. */
export interface RunningServer {
  readonly url: string; // with the token
  readonly origin: string;
  readonly token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

// The page may talk only to its own server; ECharts draws on canvas and needs no more.
const CSP = APP_CSP;

/** Largest WebSocket message accepted (a report sent back for export can be tens of MB). */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

type ParsedRequest =
  { id: number | string | null; channel: string; args: unknown[] } | { id: number | string | null; error: ErrorInfo };

/**
 * One WebSocket message as an API request `{ id, channel, args }`, or the error to answer it with.
 * The channel and the arguments are checked again by the dispatcher and each handler.
 */
export function parseRequest(data: RawData, isBinary: boolean): ParsedRequest {
  const bad = (id: number | string | null, message: string): ParsedRequest => ({
    id,
    error: { code: 'BAD_ARGUMENT', message },
  });
  if (isBinary) return bad(null, 'API messages must be JSON text, not binary.');
  let message: unknown;
  try {
    message = JSON.parse(
      Buffer.isBuffer(data)
        ? data.toString('utf8')
        : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'),
    );
  } catch {
    return bad(null, 'The message is not valid JSON.');
  }
  if (!message || typeof message !== 'object' || Array.isArray(message))
    return bad(null, 'An API message must be an object { id, channel, args }.');
  const { id, channel, args } = message as { id?: unknown; channel?: unknown; args?: unknown };
  const validId =
    (typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.length <= 100) ? id : null;
  if (validId === null) return bad(null, 'An API message needs an id: a number or a short string.');
  if (typeof channel !== 'string') return bad(validId, 'An API message needs a channel name.');
  if (args !== undefined && !Array.isArray(args))
    return bad(validId, `The arguments of "${channel.slice(0, 40)}" must be a list.`);
  return { id: validId, channel, args: (args as unknown[] | undefined) ?? [] };
}

/** Starts browser mode on 127.0.0.1. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = randomBytes(24).toString('base64url');
  // Uploads live in the config folder (a recent upload must still open after a restart), one
  // folder per content hash; those the recent list no longer points at are pruned, except the ones
  // of this session (a model brought into a comparison is not in the recent list).
  const uploadDir = resolve(options.uploadDir ?? uploadsDir());
  const sessionUploads = new Set<string>();
  await pruneUploads(await new RecentFiles().list(), sessionUploads, uploadDir);
  const rendererDir = resolve(options.rendererDir);
  const maxUpload = options.maxUploadBytes ?? 2 * 1024 ** 3;
  const sockets = new Set<WebSocket>();
  const downloads = new Downloads();
  // One access list for every socket: a file uploaded through the page may be opened by it, and
  // so may the recent files, the model given on the command line and Strata's own variants.
  const recent = new RecentFiles();
  const files = new FileAccess(() => recent.list());
  files.allowFolder(uploadDir);
  // Each socket gets its own handlers: its runs' events go to it alone, and its runs and variant
  // files end with it.
  // One engine for every socket: one cache of open models, one job at a time across tabs.
  const engine = createEngine();
  const handlersFor = (socket: WebSocket) =>
    createApiHandlers({
      mode: 'browser',
      engine,
      files,
      initialModelPath: options.initialModelPath ?? null,
      onRecentChange: (list) => pruneUploads(list, sessionUploads, uploadDir),
      // An upload that is not a model (or a report) it could open is of no further use.
      onOpenFailed: (path) => dropUpload(path),
      // The page downloads the export from a one-time URL (see downloads.ts).
      saveFile: async (file) => ({ fileName: file.fileName, downloadUrl: `${downloads.add(file)}?token=${token}` }),
      // A saved report's bytes go the same way, to the page that parses them (report:open).
      offerFile: (file) => `${downloads.add({ ...file, mimeType: 'application/json' })}?token=${token}`,
      emit: <E extends EventChannel>(event: E, payload: EventChannels[E]) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event, payload }));
      },
    });
  const dropUpload = async (path: string) => {
    const dir = dirname(path);
    if (dirname(dir) !== uploadDir || (await recent.list()).some((r) => resolve(r.path) === path)) return;
    await rm(path, { force: true });
    // The folder holds one content under each name it was uploaded as: it goes with its last file.
    if ((await readdir(dir).catch(() => [])).length === 0) {
      await rmdir(dir).catch(() => {});
      sessionUploads.delete(dir);
    }
  };
  let origin = '';

  const tokenOk = (given: string | null) => {
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`Strata could not answer: ${(err as Error).message}`);
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request.');
      return;
    }
    if (req.method === 'POST' && url.pathname === '/upload') return upload(req, res, url);
    // Lets a page whose WebSocket failed tell "server gone" from "a new server that refuses my
    // token" (a restarted `strata serve`): a failed WebSocket handshake does not say which.
    if (url.pathname.startsWith('/download/')) {
      if (!tokenOk(url.searchParams.get('token'))) return void res.writeHead(403).end();
      return downloads.serve(req, res, url.pathname);
    }
    if (url.pathname === '/session') {
      res.writeHead(tokenOk(url.searchParams.get('token')) ? 204 : 403, { 'cache-control': 'no-store' }).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let path: string;
    try {
      path = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad path.'); // "/%ff": not UTF-8
      return;
    }
    if (path.includes('\0')) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad path.');
      return;
    }
    const file = normalize(join(rendererDir, path));
    if (!file.startsWith(rendererDir + sep)) {
      res.writeHead(403).end();
      return;
    }
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end(path === '/index.html' ? 'The app is not built: run `npm run build`.' : 'Not found.');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(createReadStream(file), res);
  }

  // The browser cannot give a file's path, so the picked file is streamed here and opened from
  // the upload folder: hashed while it arrives, then stored as uploads/<hash>/<name>, once per
  // content and name.
  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!tokenOk(url.searchParams.get('token')) || (req.headers.origin && req.headers.origin !== origin)) {
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Not allowed.' }));
      return;
    }
    // Only the file's own name, in safe characters: never a path, never a dot file.
    const given = (url.searchParams.get('name') ?? '').split(/[\\/]/).pop() ?? '';
    const name =
      given
        .replace(/[^\w.\- ]/g, '_')
        .replace(/^\.+/, '')
        .slice(0, 200) || 'upload.onnx';
    const tooLarge = () =>
      res
        .writeHead(413, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: `The file is larger than ${maxUpload} bytes.` }));
    const length = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(length) && length > maxUpload) return void tooLarge();
    await mkdir(uploadDir, { recursive: true });
    const incoming = join(uploadDir, `.incoming-${randomBytes(8).toString('hex')}`);
    const hash = createHash('sha256');
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      hash.update(chunk);
      if (received > maxUpload) req.destroy(new Error('upload too large'));
    });
    try {
      await pipeline(req, createWriteStream(incoming));
    } catch (err) {
      await rm(incoming, { force: true });
      if (received > maxUpload) return void tooLarge();
      throw err;
    }
    const dir = join(uploadDir, hash.digest('hex').slice(0, 16));
    const path = join(dir, name);
    await mkdir(dir, { recursive: true });
    if (
      await stat(path).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      await rm(incoming, { force: true });
    else await rename(incoming, path);
    sessionUploads.add(dir);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path }));
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? MAX_MESSAGE_BYTES });
  // A socket's own failures (a malformed frame, a message over the limit) close that socket: the
  // ws library has already answered with the right close code. They must never reach the process.
  wss.on('error', () => {});
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    let url: URL | null;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      url = null;
    }
    if (!url || url.pathname !== '/api' || !tokenOk(url.searchParams.get('token')) || req.headers.origin !== origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      const handlers = handlersFor(ws);
      ws.on('error', () => ws.terminate());
      ws.on('close', () => {
        sockets.delete(ws);
        // Best effort, as when a window closes: temp-owner.ts's janitor removes what is left at exit.
        handlers.dispose().catch(() => undefined);
      });
      ws.on('message', (data, isBinary) => {
        const request = parseRequest(data, isBinary);
        const answer = (result: Result<unknown>) => {
          if (ws.readyState !== ws.OPEN) return;
          ws.send(JSON.stringify({ id: request.id, result }));
        };
        if ('error' in request) return answer({ ok: false, error: request.error });
        void dispatchInvoke(handlers, request.channel, request.args).then(answer);
      });
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    async close() {
      for (const socket of sockets) socket.terminate(); // each socket's 'close' disposes its handlers
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
      // This session's uploads that no recent entry points at go now.
      sessionUploads.clear();
      await pruneUploads(await new RecentFiles().list(), sessionUploads, uploadDir);
    },
  };
}
