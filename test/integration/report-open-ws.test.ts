// report:open over the browser-mode WebSocket (issue 16): the server neither parses a saved report
// nor sends it down the socket; it answers with a small message holding a one-time URL, the page
// fetches the file's bytes from it over HTTP (once, with the page's token) and parses them itself,
// into the Report the engine's parser makes. A truncated file still ends in one line saying so.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseReport, serializeReport } from '../../electron/core/report/report-json.js';
import { startServer, type RunningServer } from '../../electron/server.js';
import { readReport } from '../../renderer/api/report-reader.js';
import type { ReportBytes } from '../../shared/api.js';
import { REPO, SAMPLE } from '../fixtures/paths.js';
import { makeReport } from '../fixtures/make-report.js';

let server: RunningServer;
const uploads = mkdtempSync(join(tmpdir(), 'strata-report-open-'));

beforeAll(async () => {
  server = await startServer({
    port: 0,
    rendererDir: join(REPO, 'dist', 'renderer'),
    initialModelPath: SAMPLE,
    uploadDir: uploads,
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(uploads, { recursive: true, force: true });
});

type Answer = { id: unknown; result: { ok: boolean; value?: unknown; error?: { message: string } } };

/** Sends one request; resolves with its answer and the size of the message that carried it. */
function ask(channel: string, args: unknown[], id: string): Promise<{ answer: Answer; bytes: number }> {
  const socket = new WebSocket(`${server.origin.replace('http', 'ws')}/api?token=${server.token}`, {
    headers: { origin: server.origin },
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ id, channel, args })));
    socket.on('message', (data) => {
      const text = String(data);
      const message = JSON.parse(text) as Answer;
      if (message.id !== id) return;
      socket.close();
      resolve({ answer: message, bytes: text.length });
    });
  });
}

/** The page's fetch: URLs relative to the server. */
const pageFetch = ((url: string) => fetch(new URL(url, server.origin))) as typeof fetch;

function saved(name: string, text: string): string {
  mkdirSync(join(uploads, 'abc'), { recursive: true });
  const file = join(uploads, 'abc', name);
  writeFileSync(file, text);
  return file;
}

describe('report:open over the WebSocket', () => {
  it('answers under the request id with a one-time URL of the file, which the page reads into the same Report', async () => {
    const text = serializeReport(makeReport({ layers: 2000, threads: 2, runs: 2 }));
    const file = saved('big.strata.json', text);
    const { answer, bytes } = await ask('report:open', [file], 'open-"1"');
    expect(answer.id).toBe('open-"1"');
    expect(answer.result.ok).toBe(true);
    // The answer is a few hundred bytes, not the report.
    expect(bytes).toBeLessThan(500);
    const value = answer.result.value as ReportBytes & { url: string };
    expect(value).toMatchObject({ fileName: 'big.strata.json', bytes: Buffer.byteLength(text) });
    const read = await readReport(value, `"${file}"`, pageFetch);
    expect(read.ok && JSON.stringify(read.value)).toBe(JSON.stringify(parseReport(text)));
  });

  it('serves the bytes as they are, once, and only with the page token', async () => {
    const text = serializeReport(makeReport({ layers: 50, threads: 1, runs: 1 }));
    const file = saved('small.strata.json', text);
    const { answer } = await ask('report:open', [file], 'open-2');
    const { url } = answer.result.value as { url: string };
    const withoutToken = new URL(url, server.origin);
    withoutToken.searchParams.delete('token');
    expect((await fetch(withoutToken)).status).toBe(403);
    const first = await pageFetch(url);
    expect(first.status).toBe(200);
    expect(Buffer.from(await first.arrayBuffer()).equals(readFileSync(file))).toBe(true);
    const second = await pageFetch(url);
    expect(second.status).toBe(404);
  });

  it('ends a truncated report in one line naming the file, and refuses a file that is not one', async () => {
    const text = serializeReport(makeReport({ layers: 200, threads: 1, runs: 1 }));
    const file = saved('cut.strata.json', text.slice(0, Math.floor(text.length * 0.6)));
    const { answer } = await ask('report:open', [file], 'open-3');
    expect(answer.result.ok).toBe(true);
    const read = await readReport(answer.result.value as ReportBytes, `"${file}"`, pageFetch);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.error.message).toMatch(/^".*cut\.strata\.json" is not JSON.*, so it is not a Strata report\.$/);

    const notes = saved('notes.json', 'these are not a report\n');
    const refused = (await ask('report:open', [notes], 'open-4')).answer;
    expect(refused.result.ok).toBe(false);
    expect(refused.result.error!.message).toBe(`"${notes}" is not JSON, so it is not a Strata report.`);
  });
});
