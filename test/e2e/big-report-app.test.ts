// Issue 16 in Chromium: the saved report of a 50,000-layer profile opens in the app (browser mode,
// the same API contract as the desktop app's IPC) without a page error, every tab draws, and the
// Layers tab keeps a screenful of rows in the DOM. The time it takes is printed, not asserted (it
// depends on the machine): the goal lives in bench/open-report.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeReport } from '../../electron/core/report/report-json.js';
import { makeReport } from '../fixtures/make-report.js';
import { launchBrowser, screenshot, startApp, waitForReport, type App } from './harness.js';

let app: App;
let browser: Browser;
let page: Page;
const errors: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'strata-big-app-'));

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(app.url);
  // Every launch profiles the sample model first; the report is opened once that is done.
  await waitForReport(page, 'sample-model.onnx');
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a 50,000-layer saved report in the app', () => {
  it('opens without a page error and every tab draws', async () => {
    const file = join(dir, 'big.strata.json');
    writeFileSync(file, serializeReport(makeReport({ layers: 50_000, threads: 2, runs: 3 })));
    const t0 = Date.now();
    await page.locator('#open-model-input').setInputFiles(file);
    await waitForReport(page, 'encoder.onnx', 120_000);
    await page.getByRole('tab', { name: 'Summary', selected: true }).waitFor();
    console.log(`50,000-layer report opened in the app in ${Date.now() - t0} ms (this machine, now)`);
    expect(await page.getByText('50,000 layers').count()).toBeGreaterThan(0);
    await screenshot(page, '42-big-report-in-app-summary');

    await page.getByRole('tab', { name: 'Flame graph' }).click();
    const canvas = page.locator('.flame-chart canvas');
    await expect
      .poll(async () => Number(await canvas.getAttribute('data-rects')), { timeout: 60_000 })
      .toBeGreaterThan(0);
    await screenshot(page, '43-big-report-in-app-flame');
    await page.getByRole('tab', { name: 'Layers' }).click();
    await page.locator('.table-scroll tbody tr').first().waitFor();
    expect(await page.locator('.table-scroll tbody tr').count()).toBeLessThan(200);
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const timeline = page.locator('.timeline-chart canvas');
    await expect
      .poll(async () => Number(await timeline.getAttribute('data-rects')), { timeout: 60_000 })
      .toBeGreaterThan(0);
    expect(errors).toEqual([]);
  }, 300_000);

  it('says in one line that a truncated big report is not JSON, naming the picked file', async () => {
    const whole = serializeReport(makeReport({ layers: 50_000, threads: 2, runs: 3 }));
    const file = join(dir, 'cut-short.strata.json');
    writeFileSync(file, whole.slice(0, Math.floor(whole.length * 0.7)));
    await page.locator('#open-model-input').setInputFiles(file);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toMatch(/"cut-short\.strata\.json" is not JSON.*so it is not a Strata report\./);
    expect(text).not.toMatch(/Gather|encoder\//);
    await screenshot(page, '44-big-report-truncated');
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    // The report open before is still there.
    await waitForReport(page, 'encoder.onnx');
    expect(errors).toEqual([]);
  }, 300_000);
});

describe('a 50,000-layer saved report opened by path (strata serve FILE)', () => {
  it('is fetched by the page from its one-time URL and every tab draws', async () => {
    const file = join(dir, 'by-path.strata.json');
    writeFileSync(file, serializeReport(makeReport({ layers: 50_000, threads: 2, runs: 3 })));
    const byPath = await startApp([file]);
    const other = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const pageErrors: string[] = [];
    other.on('pageerror', (err) => pageErrors.push(err.message));
    const fetched: string[] = [];
    other.on('requestfinished', (request) => {
      if (request.url().includes('/download/')) fetched.push(request.url());
    });
    try {
      await other.goto(byPath.url);
      await waitForReport(other, 'encoder.onnx', 120_000);
      expect(await other.getByText('50,000 layers').count()).toBeGreaterThan(0);
      expect(fetched).toHaveLength(1);
      await other.getByRole('tab', { name: 'Timeline' }).click();
      await expect
        .poll(async () => Number(await other.locator('.timeline-chart canvas').getAttribute('data-rects')), {
          timeout: 60_000,
        })
        .toBeGreaterThan(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await other.close();
      await byPath.stop();
    }
  }, 300_000);
});
