// The Generation view as a user drives it in Chromium against browser mode: a synthetic decoder
// opened from the command line, a draft added through the file input, a generation profile with
// its TTFT, depth, timeline, KV and per-layer charts, the prefill/decode switch, the speculative
// panel, and the HTML export opened offline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDecoder, writeDecoderDir, writeDraftTargetPair } from '../support/decoder-models.js';
import { launchBrowser, openOffline, screenshot, startApp, type App } from './harness.js';

let app: App;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'strata-e2e-generate-'));
const pair = writeDraftTargetPair(dir, { layers: 4, draftLayers: 1 });
// The same decoder with its KV cache in float16: the second decoder of the comparison.
const fp16 = writeDecoderDir(join(dir, 'fp16'), buildDecoder({ layers: 4, kvFloat16: true }));

beforeAll(async () => {
  app = await startApp([pair.target]);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function canvasesIn(p: Page, section: string): Promise<number> {
  return p.$$eval(`section[aria-label="${section}"] canvas`, (c) => c.length);
}

describe('the Generation view', () => {
  it('profiles a decoder with its draft and shows every section', async () => {
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Generation', exact: true }).click();
    await page.getByText('No generation profile yet').waitFor();
    await page.getByLabel('Prompt lengths').fill('8,32');
    await page.getByLabel('New tokens').fill('16');
    await page.getByLabel('KV depth to reach').fill('96');
    // 3 repetitions of 2 prompt lengths: 6 generations a decoder, enough for a per-token interval.
    await page.getByLabel('Repetitions').fill('3');
    await page.getByLabel('Draft model file').setInputFiles(pair.draft);
    await page.getByText('remove').waitFor();
    await page.getByLabel('Draft lengths').fill('1-4');
    await screenshot(page, 'generate-setup');
    await page.getByRole('button', { name: 'Profile generation' }).click();
    await page.getByRole('heading', { name: /Speculative decoding: draft/ }).waitFor({ timeout: 180_000 });

    const view = page.locator('section[aria-label=Generation]');
    await expect(view.getByText('model.onnx', { exact: true })).toBeDefined();
    const text = await view.innerText();
    expect(text).toMatch(/4 layers, 2 KV heads × 16, vocabulary 256, float32 cache/);
    for (const label of ['TTFT', 'Prompt tokens/s', 'Median step rate', 'Per-token p50', 'KV cache', 'Peak memory'])
      expect(text.toLowerCase()).toContain(label.toLowerCase()); // card labels are upper-cased by CSS
    expect(text).toMatch(/computed 96\.0 KiB at 96 tokens/);
    expect(text).toContain('model/layers.0/attn');
    // TTFT, depth, timeline, KV, flame, layers; speedup and acceptance.
    expect(await canvasesIn(page, 'Generation')).toBeGreaterThanOrEqual(8);
    expect(await canvasesIn(page, 'Speculative decoding')).toBe(2);
    await screenshot(page, 'generate-results');

    await page.getByRole('button', { name: 'Prefill', exact: true }).click();
    expect(await page.getByRole('button', { name: 'Prefill', exact: true }).getAttribute('aria-pressed')).toBe('true');
    expect(await view.innerText()).toContain('share of prefill');
    await page.locator('.generate-layers').scrollIntoViewIfNeeded();
    await screenshot(page, 'generate-layers-prefill');

    // The flame graph follows the switch: its frames are the modules, its axis the phase's time.
    const flame = page.locator('section[aria-label="Time by module"] .flame-chart canvas');
    // The canvas publishes the labels it drew shortly after drawing them.
    const labels = async () =>
      (JSON.parse((await flame.getAttribute('data-labels')) ?? '[]') as [number, number, string][]).map((l) => l[2]);
    await expect.poll(labels).toContain('attn');
    expect(await labels()).toContain('model');
    expect(await flame.getAttribute('aria-label')).toMatch(/per prefill pass/);
    const prefillRows = Number(await flame.getAttribute('data-rows'));
    await page.getByRole('button', { name: 'Both', exact: true }).click();
    expect(await flame.getAttribute('aria-label')).toMatch(/per generation \(prefill \+ \d+ decode steps\)/);
    // Each module gets a row below it: its prefill and its decode steps.
    await expect.poll(async () => Number(await flame.getAttribute('data-rows'))).toBe(prefillRows + 1);
    expect(await view.innerText()).toContain('share of the generation');
    await page.locator('section[aria-label="Time by module"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'generate-flame-both');
    await page.getByRole('button', { name: 'Decode', exact: true }).click();
    expect(await flame.getAttribute('aria-label')).toMatch(/per decode step/);
    // The canvas chart's own zoom: the wheel zooms in, Reset zoom shows everything again.
    const reset = page.locator('section[aria-label="Time by module"]').getByRole('button', { name: 'Reset zoom' });
    expect(await reset.isDisabled()).toBe(true);
    await flame.hover();
    await page.mouse.wheel(0, -600);
    await expect.poll(() => reset.isEnabled()).toBe(true);
    await reset.click();
    await expect.poll(() => reset.isDisabled()).toBe(true);
    await screenshot(page, 'generate-flame-decode');

    await page.locator('section[aria-label="Speculative decoding"]').scrollIntoViewIfNeeded();
    const spec = await page.locator('section[aria-label="Speculative decoding"]').innerText();
    expect(spec).toMatch(/cost ratio c/i);
    expect(spec).toMatch(/acceptance α\s*0\.\d{3}\s*95%: 0\.\d{3}–[01]\.\d{3}/i);
    // The best gamma is the prediction with the measured round cost, stated with its interval, and the
    // loop measured there with its own (or why there is none).
    expect(spec).toMatch(/best γ\s*\d\s*predicted \d\.\d{2}× \(95%: \d\.\d{2}–\d\.\d{2}, sampling noise only\)/i);
    expect(spec).toMatch(
      /measured at best γ\s*\d\.\d{2}×\s*(95%: \d\.\d{2}–\d\.\d{2} over \d+ pairs|\d+ pairs: too few)/i,
    );
    await screenshot(page, 'generate-speculative');
    expect(pageErrors).toEqual([]);
  });

  it('exports the HTML report, which opens offline with every section', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export HTML' }).click(),
    ]);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe('strata-generate-model.html');
    const offline = await openOffline(browser, file);
    for (const id of [
      'summary',
      'ttft',
      'decode-depth',
      'timeline',
      'kv-memory',
      'layers',
      'speculative',
      'llama-bench',
    ])
      expect(await offline.page.locator(`section#${id}`).count()).toBe(1);
    await screenshot(offline.page, 'generate-html-report');
    await offline.page.locator('section#layers').scrollIntoViewIfNeeded();
    await screenshot(offline.page, 'generate-html-layers');
    await offline.page.locator('section#speculative').scrollIntoViewIfNeeded();
    await screenshot(offline.page, 'generate-html-speculative');
    expect(offline.errors).toEqual([]);
    expect(offline.requests).toEqual([]);
    await offline.page.close();
  });

  it('compares with another decoder: both profiled with the same settings in one job, a verdict from alternating rounds with its interval, both side by side', async () => {
    await page.locator('.generate-vs').scrollIntoViewIfNeeded();
    await page.getByLabel('Decoder to compare').setInputFiles(fp16);
    const panel = page.locator('section[aria-label="Decoder comparison"]');
    await panel.waitFor({ timeout: 180_000 });
    const text = await panel.innerText();
    expect(text).toMatch(
      /A model\.onnx \(4 layers, float32 cache\) .*against\s+B model\.onnx \(4 layers, float16 cache\)/,
    );
    expect(text).toMatch(/per token\b.*98\.3% interval \d+\.\d\d–\d+\.\d\d×/);
    for (const row of ['per-token decode latency', 'TTFT at 8 tokens', 'TTFT at 32 tokens', 'per-token p90'])
      expect(text).toContain(row);
    // 2 x 4 layers x 2 KV heads x 16 x 96 tokens: 4 bytes an element in A, 2 in B.
    expect(text).toMatch(/KV cache computed, at the deepest context\s+96\.0 KiB\s+48\.0 KiB\s+0\.50×/);
    const view = page.locator('section[aria-label=Generation]');
    expect(await view.innerText()).toMatch(/float16 cache .*dashed: model\.onnx, the run before/s);
    // The Speed table's verdict column is whole, not clipped under the Side-by-side table.
    const speed = panel.locator('.generate-compare-tables figure').first();
    const [table, card] = [await speed.locator('table').boundingBox(), await speed.boundingBox()];
    expect(table!.x + table!.width).toBeLessThanOrEqual(card!.x + card!.width + 1);
    // A and B profiled as one pair job: the verdict rests on their alternating rounds.
    expect(text).toMatch(/from 6 alternating rounds \(.*\) in 3 blocks of fresh sessions/);
    expect(text).toMatch(/Speeds are from alternating rounds/);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'generate-compare');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export comparison HTML' }).click(),
    ]);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe('strata-generate-model-vs-model.html');
    const offline = await openOffline(browser, file);
    for (const id of ['verdict', 'metrics', 'ttft', 'decode-depth', 'timeline', 'kv-memory', 'layers', 'notes'])
      expect(await offline.page.locator(`section#${id}`).count()).toBe(1);
    await screenshot(offline.page, 'generate-compare-html');
    expect(offline.errors).toEqual([]);
    expect(offline.requests).toEqual([]);
    await offline.page.close();
    expect(pageErrors).toEqual([]);
  });
  it('frees the Generation view when the server goes away mid-run: no run left spinning', async () => {
    await page.getByRole('button', { name: 'Generation', exact: true }).click();
    // Long enough to be running when the server stops (it is stopped as soon as the run starts).
    await page.getByLabel('Repetitions').fill('30');
    await page.getByRole('button', { name: 'Profile generation' }).click();
    const cancel = page
      .locator('section[aria-label=Generation] .compare-actions')
      .getByRole('button', { name: 'Cancel' });
    await cancel.waitFor();
    await app.stop();
    await page.getByRole('alert').filter({ hasText: "Lost the connection to Strata's server" }).waitFor();
    // The run is over with its connection: the view offers a new one instead of a Cancel that cannot reach it.
    await expect.poll(() => cancel.count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Profile generation' }).isEnabled()).toBe(true);
    await screenshot(page, 'generate-connection-lost');
    expect(pageErrors).toEqual([]);
  });
});
