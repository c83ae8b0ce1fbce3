// Browser mode's front door: the token, the origin check, uploads and the API over a WebSocket.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../electron/server.js';
import { OCR_CLS, REPO } from '../fixtures/paths.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0, rendererDir: join(REPO, 'dist', 'renderer'), initialModelPath: OCR_CLS });
});
afterAll(async () => {
  await server?.close();
});

/** Opens a socket; resolves 'open' or the HTTP status it was refused with. */
function connect(token: string, origin: string): Promise<{ socket?: WebSocket; refused?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${server.origin.replace('http', 'ws')}/api?token=${token}`, { headers: { origin } });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ refused: res.statusCode }));
    socket.once('error', () => resolve({ refused: -1 }));
  });
}

function call(
  socket: WebSocket,
  channel: string,
  ...args: unknown[]
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    socket.on('message', function onMessage(data) {
      const message = JSON.parse(String(data)) as { id: number; result: never };
      if (message.id !== id) return;
      socket.off('message', onMessage);
      resolve(message.result);
    });
    socket.send(JSON.stringify({ id, channel, args }));
  });
}

describe('browser-mode server', () => {
  it('listens on 127.0.0.1 only and prints its URL with the token', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(`${server.origin}/?token=${server.token}`);
  });

  it('refuses a socket without the token or from another origin', async () => {
    expect((await connect('wrong', server.origin)).refused).toBe(403);
    expect((await connect(server.token, 'http://evil.example')).refused).toBe(403);
  });

  it('answers the API over the socket, with bad requests as error values', async () => {
    const { socket } = await connect(server.token, server.origin);
    const info = await call(socket!, 'app:info');
    expect(info.ok).toBe(true);
    expect((info.value as { mode: string }).mode).toBe('browser');
    const model = await call(socket!, 'model:open', OCR_CLS);
    expect((model.value as { nodeCount: number }).nodeCount).toBe(471);
    expect((await call(socket!, 'no:such', 1)).error?.code).toBe('BAD_ARGUMENT');
    expect((await call(socket!, 'model:open', 42)).error?.message).toMatch(/must be a non-empty string/);
    expect(
      (await call(socket!, 'profile:start', { modelPath: OCR_CLS, plan: { timedRuns: -1 } })).error?.message,
    ).toMatch(/Timed runs must be a whole number/);
    socket!.close();
  });

  it('accepts uploads only with the token, and opens what was uploaded', async () => {
    const body = readFileSync(OCR_CLS);
    const refused = await fetch(`${server.origin}/upload?token=nope&name=m.onnx`, { method: 'POST', body });
    expect(refused.status).toBe(403);
    const response = await fetch(`${server.origin}/upload?token=${server.token}&name=../../etc/m.onnx`, {
      method: 'POST',
      body,
    });
    const { path } = (await response.json()) as { path: string };
    expect(path.endsWith('/m.onnx')).toBe(true);
    expect(path).not.toContain('/../');
    expect(readFileSync(path).equals(body)).toBe(true);
    const { socket } = await connect(server.token, server.origin);
    expect(((await call(socket!, 'model:open', path)).value as { nodeCount: number }).nodeCount).toBe(471);
    socket!.close();
  });

  it('serves the renderer with a CSP and nothing outside its folder', async () => {
    const page = await fetch(`${server.origin}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<div id="root">');
    expect((await fetch(`${server.origin}/..%2f..%2fpackage.json`)).status).toBe(403);
  });
});
