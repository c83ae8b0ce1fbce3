/**
 * Browser mode: the same renderer bundle and the same API as the desktop app, served on 127.0.0.1.
 * A random per-launch token guards the WebSocket and uploads, and only pages from this server's
 * own origin may connect, so another site open in the browser cannot drive the engine.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventChannel, EventChannels } from '../shared/api.js';
import { dispatchInvoke } from './api/dispatch.js';
import { createApiHandlers } from './api/handlers.js';
import { pruneUploads, RecentFiles, uploadsDir } from './api/recent-files.js';

/** Options of `startServer`. */
export interface ServerOptions {
  readonly port?: number; // 0 = any free port
  readonly rendererDir: string;
  readonly initialModelPath?: string | null;
  /** Largest upload accepted, in bytes. */
  readonly maxUploadBytes?: number;
  /** Where uploads are kept; the config folder's uploads/ by default. */
  readonly uploadDir?: string;
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
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

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
  const handlers = createApiHandlers({
    mode: 'browser',
    initialModelPath: options.initialModelPath ?? null,
    onRecentChange: (recent) => pruneUploads(recent, sessionUploads, uploadDir),
    emit: <E extends EventChannel>(event: E, payload: EventChannels[E]) => {
      const text = JSON.stringify({ event, payload });
      for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text);
    },
  });
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
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'POST' && url.pathname === '/upload') return upload(req, res, url);
    // Lets a page whose WebSocket failed tell "server gone" from "a new server that refuses my
    // token" (a restarted `strata serve`): a failed WebSocket handshake does not say which.
    if (url.pathname === '/session') {
      res.writeHead(tokenOk(url.searchParams.get('token')) ? 204 : 403, { 'cache-control': 'no-store' }).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const path = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    const file = normalize(join(rendererDir, path));
    if (!file.startsWith(rendererDir + sep)) {
      res.writeHead(403).end();
      return;
    }
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(path === '/index.html' ? 'The app is not built: run `npm run build`.' : 'Not found.');
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
    const name = given.replace(/[^\w.\- ]/g, '_').replace(/^\.+/, '').slice(0, 200) || 'upload.onnx';
    const tooLarge = () => res.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `The file is larger than ${maxUpload} bytes.` }));
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
    if (await stat(path).then((s) => s.isFile(), () => false)) await rm(incoming, { force: true });
    else await rename(incoming, path);
    sessionUploads.add(dir);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path }));
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/api' || !tokenOk(url.searchParams.get('token')) || req.headers.origin !== origin) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        let message: { id?: unknown; channel?: unknown; args?: unknown };
        try {
          message = JSON.parse(String(data)) as typeof message;
        } catch {
          return; // not ours: ignore rather than crash
        }
        void dispatchInvoke(handlers, message.channel, message.args).then((result) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: message.id, result }));
        });
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
      handlers.dispose();
      for (const socket of sockets) socket.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
      // This session's uploads that no recent entry points at go now.
      sessionUploads.clear();
      await pruneUploads(await new RecentFiles().list(), sessionUploads, uploadDir);
    },
  };
}
