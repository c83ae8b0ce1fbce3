// Exports cross the process boundary once (issue 14 point 2): the page sends the report to the
// engine in one message, the engine renders it, and the answer carries only a file name and a
// one-time download URL; the file itself arrives as a plain HTTP download, never in a message.
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startApp, waitForReport, type App } from './harness.js';

let app: App;
let browser: Browser;
let page: Page;
const dir = mkdtempSync(join(tmpdir(), 'strata-e2e-export-'));
/** Every API request the page sent (channel, size) and every answer it got (size), by request id. */
const sent = new Map<number, { channel: string; bytes: number }>();
const answered = new Map<number, number>();

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      const m = JSON.parse(String(payload)) as { id?: number; channel?: string };
      if (m.id !== undefined && m.channel) sent.set(m.id, { channel: m.channel, bytes: String(payload).length });
    });
    socket.on('framereceived', ({ payload }) => {
      const m = JSON.parse(String(payload)) as { id?: number };
      if (m.id !== undefined) answered.set(m.id, String(payload).length);
    });
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** The sizes of the report:export requests and answers seen so far. */
function exportTraffic(): { requests: number[]; answers: number[] } {
  const ids = [...sent].filter(([, s]) => s.channel === 'report:export');
  return { requests: ids.map(([, s]) => s.bytes), answers: ids.map(([id]) => answered.get(id) ?? -1) };
}

describe('an export', () => {
  it('sends the report once and gets back a download URL, not the file', async () => {
    await page.goto(app.url);
    await waitForReport(page, 'sample-model.onnx');

    for (const [item, suffix, marker] of [
      [/HTML report/, '.report.html', '<!doctype html>'],
      [/CSV/, '.layers.csv', 'index,name,'],
      // Streamed in pieces (no content-length), and it opens back as a report.
      [/JSON/, '.strata.json', '"model":{'],
    ] as const) {
      await page.getByRole('button', { name: 'Export report' }).click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('menuitem', { name: item }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`sample-model${suffix}`);
      // Served by the engine's server at a one-time URL carrying the session token.
      expect(download.url()).toMatch(new RegExp(`^${app.origin}/download/[0-9a-f]{32}\\?token=`));
      const file = join(dir, download.suggestedFilename());
      await download.saveAs(file);
      const content = readFileSync(file, 'utf8');
      expect(content.toLowerCase()).toContain(marker.toLowerCase());
      if (suffix === '.strata.json') expect(JSON.parse(content).model.fileName).toBe('sample-model.onnx');
      await page.getByText(`Exported sample-model${suffix}.`).waitFor();

      const { requests, answers } = exportTraffic();
      const last = answers.at(-1)!;
      // The answer is a name and a URL: a few hundred bytes, whatever the file's size.
      expect(last).toBeGreaterThan(0);
      expect(last).toBeLessThan(400);
      // The request carried the report, once.
      expect(requests.at(-1)!).toBeGreaterThan(1000);
      // The URL served its one download: fetching it again is refused.
      const again = await page.evaluate(async (url) => (await fetch(url)).status, download.url());
      expect(again).toBe(404);
    }
    expect(exportTraffic().requests).toHaveLength(3);
  });
});
