/**
 * Browser mode's save: the engine renders an export (or names a model on disk) and the page gets a
 * one-time URL to download it from, so the file goes to the browser once, as a plain HTTP
 * download, instead of through WebSocket messages. Each entry is served once, then forgotten;
 * one the page never fetches is forgotten after a few minutes.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileToSave } from './api/file-to-save.js';

const KEEP_MS = 10 * 60_000;

/** The exports waiting for their download, by unguessable id. */
export class Downloads {
  private readonly waiting = new Map<string, FileToSave>();

  /** Keeps `file` for one download and returns the path to fetch it from. */
  add(file: FileToSave): string {
    const id = randomBytes(16).toString('hex');
    this.waiting.set(id, file);
    setTimeout(() => this.waiting.delete(id), KEEP_MS).unref();
    return `/download/${id}`;
  }

  /** Answers GET /download/<id> (the caller has checked the session token). */
  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const id = pathname.slice('/download/'.length);
    const file = this.waiting.get(id);
    if (req.method !== 'GET' || !file) {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('This download has expired or was already taken: export again.');
      return;
    }
    this.waiting.delete(id);
    // `length` null: text sent in pieces as it is made, its length unknown until the end (chunked).
    const headers = (length: number | null) => ({
      'content-type': file.mimeType,
      ...(length === null ? {} : { 'content-length': length }),
      // ASCII fallback, then the exact name (RFC 6266): the browser saves it under this name.
      'content-disposition': `attachment; filename="${file.fileName.replace(/[^\w.\- ]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'content-security-policy': "sandbox; default-src 'none'",
    });
    if ('content' in file && typeof file.content === 'string') {
      const body = Buffer.from(file.content);
      res.writeHead(200, headers(body.length)).end(body);
      return;
    }
    if ('content' in file) {
      res.writeHead(200, headers(null));
      await pipeline(Readable.from(file.content), res);
      return;
    }
    res.writeHead(200, headers(file.bytes));
    await pipeline(createReadStream(file.sourcePath), res);
  }
}
