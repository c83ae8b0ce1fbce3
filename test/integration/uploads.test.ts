// Browser mode's uploads: kept in the config folder by content hash, so a recent upload still opens
// after a restart; pruned once the recent list no longer points at them; and a recent entry whose
// file is gone is left out of the menu instead of failing when picked.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../electron/server.js';
import { OCR_CLS, REPO, SAMPLE } from '../fixtures/paths.js';

const configDir = mkdtempSync(join(tmpdir(), 'strata-uploads-config-'));
const uploads = join(configDir, 'uploads');
const savedConfig = process.env.STRATA_CONFIG_DIR;
let server: RunningServer;

beforeAll(() => {
  process.env.STRATA_CONFIG_DIR = configDir;
});
afterAll(async () => {
  await server?.close();
  if (savedConfig === undefined) delete process.env.STRATA_CONFIG_DIR;
  else process.env.STRATA_CONFIG_DIR = savedConfig;
  rmSync(configDir, { recursive: true, force: true });
});

const start = async () => {
  server = await startServer({ port: 0, rendererDir: join(REPO, 'dist', 'renderer') });
};

async function upload(file: string, name: string): Promise<string> {
  const response = await fetch(`${server.origin}/upload?token=${server.token}&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    body: readFileSync(file),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { path: string }).path;
}

/** One API call over a fresh socket. */
async function call(
  channel: string,
  ...args: unknown[]
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const socket = new WebSocket(`${server.origin.replace('http', 'ws')}/api?token=${server.token}`, {
    headers: { origin: server.origin },
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const result = await new Promise<never>((resolve) => {
    socket.once('message', (data) => resolve((JSON.parse(String(data)) as { result: never }).result));
    socket.send(JSON.stringify({ id: 1, channel, args }));
  });
  socket.close();
  return result;
}

const recentPaths = async () => ((await call('model:recent')).value as { path: string }[]).map((r) => r.path);

describe('browser-mode uploads', () => {
  let ocr = '';

  it('stores an upload in the config folder once per content, under its own name', async () => {
    await start();
    ocr = await upload(OCR_CLS, 'cls.onnx');
    expect(ocr.startsWith(uploads)).toBe(true);
    expect(ocr.endsWith('/cls.onnx')).toBe(true);
    expect(await upload(OCR_CLS, 'cls.onnx')).toBe(ocr); // the same file again: stored once
    expect(readdirSync(uploads).filter((e) => !e.startsWith('.'))).toHaveLength(1);
    expect(readdirSync(dirname(ocr))).toEqual(['cls.onnx']);
    expect(readdirSync(uploads).some((e) => e.startsWith('.incoming-'))).toBe(false);
    expect(((await call('model:open', ocr)).value as { nodeCount: number }).nodeCount).toBe(471);
    expect(await recentPaths()).toEqual([ocr]);
  });

  it('keeps the uploads in the recent list across a restart and drops the others when it stops', async () => {
    const notes = join(tmpdir(), `notes-${process.pid}.onnx`);
    writeFileSync(notes, 'not a model');
    const bad = await upload(notes, 'notes.onnx');
    expect((await call('model:open', bad)).error?.code).toBe('MODEL_INVALID');
    expect(existsSync(bad)).toBe(false); // refused, so of no further use: removed at once
    expect(readdirSync(uploads).filter((e) => !e.startsWith('.'))).toHaveLength(1);
    await server.close();
    expect(existsSync(ocr)).toBe(true);

    await start();
    expect(await recentPaths()).toEqual([ocr]);
    expect((await call('model:open', ocr)).ok).toBe(true);
    rmSync(notes);
  });

  it('prunes an upload once it falls off the recent list, and leaves missing files out of Recent', async () => {
    // Ten other models uploaded and opened after it push the upload off the ten-entry list.
    const others: string[] = [];
    for (let i = 0; i < 10; i++) {
      others.push(await upload(SAMPLE, `model-${i}.onnx`));
      expect((await call('model:open', others[i])).ok).toBe(true);
    }
    expect(await recentPaths()).not.toContain(ocr);
    expect(existsSync(dirname(ocr))).toBe(false);

    // A model deleted since it was opened is not offered.
    rmSync(others[9]!);
    const listed = await recentPaths();
    expect(listed).toHaveLength(9);
    expect(listed).not.toContain(others[9]);
    // Opening it anyway says it is not there.
    expect((await call('model:open', others[9])).error?.code).toBe('MODEL_NOT_FOUND');
  });
});
