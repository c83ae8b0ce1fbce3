// report:open over the browser-mode WebSocket answers with the report file as it was read (its
// tables by column, the checked text sent as it is rather than serialised again), and the page's
// reportFromFile makes of it the Report the engine's parseReport makes (issue 16).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseReport, serializeReport } from '../../electron/core/report/report-json.js';
import { startServer, type RunningServer } from '../../electron/server.js';
import { isPackedTable, reportFromFile, type ReportFile } from '../../shared/report-pack.js';
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

function ask(
  channel: string,
  args: unknown[],
  id: string,
): Promise<{ id: unknown; result: { ok: boolean; value?: unknown } }> {
  const socket = new WebSocket(`${server.origin.replace('http', 'ws')}/api?token=${server.token}`, {
    headers: { origin: server.origin },
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ id, channel, args })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: unknown; result?: { ok: boolean } };
      if (message.id !== id) return;
      socket.close();
      resolve(message as { id: unknown; result: { ok: boolean; value?: unknown } });
    });
  });
}

describe('report:open over the WebSocket', () => {
  it('answers with the file by column, under the request id, and the page makes the same Report of it', async () => {
    const text = serializeReport(makeReport({ layers: 500, threads: 2, runs: 2 }));
    mkdirSync(join(uploads, 'abc'), { recursive: true });
    const file = join(uploads, 'abc', 'big.strata.json');
    writeFileSync(file, text);
    const answer = await ask('report:open', [file], 'open-"1"');
    expect(answer.id).toBe('open-"1"');
    expect(answer.result.ok).toBe(true);
    const value = answer.result.value as ReportFile;
    expect(isPackedTable(value.layers)).toBe(true);
    expect(reportFromFile(value)).toEqual(JSON.parse(JSON.stringify(parseReport(text))));
  });
});
