// Two decoders in the Compare view as a user drives it in Chromium against browser mode: a
// synthetic decoder opened from the command line, its float16-cache twin picked as decoder B
// through the file input, small settings typed in, one run of the pair (alternating rounds), and
// the verdict, the metric rows and both curves; the Generation view then shows the same comparison.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDecoder, writeDecoderDir } from '../support/decoder-models.js';
import { SAMPLE } from '../fixtures/paths.js';
import { launchBrowser, screenshot, startApp, type App } from './harness.js';

let app: App;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'strata-e2e-generate-compare-'));
// Small on purpose (2 layers): the test is about the view, not the decoders.
const fp32 = writeDecoderDir(join(dir, 'fp32'), buildDecoder({ layers: 2 }));
const fp16 = writeDecoderDir(join(dir, 'fp16'), buildDecoder({ layers: 2, kvFloat16: true }));

beforeAll(async () => {
  app = await startApp([fp32]);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('two decoders in the Compare view', () => {
  it('picks decoder B, runs the pair, and shows the verdict, the metrics and both curves', async () => {
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const section = page.locator('section[aria-label="Two decoders"]');
    await section.getByRole('heading', { name: 'Two decoders' }).waitFor();
    const run = section.getByRole('button', { name: 'Compare the two decoders' });
    // No decoder B yet: nothing to run.
    expect(await run.isDisabled()).toBe(true);
    // The model is a decoder: the sentence for other models is not shown.
    expect(await page.locator('section[aria-label=Compare]').innerText()).not.toContain(
      'Open one exported with its KV cache',
    );
    await section.getByLabel('Prompt lengths').fill('4,8');
    await section.getByLabel('New tokens').fill('6');
    await section.getByLabel('KV depth to reach').fill('24');
    // 3 repetitions of 2 prompt lengths: 6 generations a decoder, enough for a per-token interval.
    await section.getByLabel('Repetitions').fill('3');
    await section.getByLabel('Decoder B file').setInputFiles(fp16);
    await section.getByText('remove').waitFor();
    await screenshot(page, 'generate-compare-setup');
    await run.click();
    await section
      .getByRole('status')
      .filter({ hasText: /^(A|B): / })
      .first()
      .waitFor();

    const panel = section.locator('section[aria-label="Decoder comparison"]');
    await panel.waitFor({ timeout: 180_000 });
    const text = await panel.innerText();
    expect(text).toMatch(
      /A model\.onnx \(2 layers, float32 cache\) .*against\s+B model\.onnx \(2 layers, float16 cache\)/,
    );
    // The verdict line: its interval, from the alternating rounds.
    const verdict = await panel.locator('.generate-verdict').innerText();
    expect(verdict).toMatch(
      /per token\b.*\d+\.\d% interval \d+\.\d\d–\d+\.\d\d×.*from 6 alternating rounds \(.*\) in 3 blocks of fresh sessions/,
    );
    for (const row of [
      'per-token decode latency',
      'TTFT at 4 tokens',
      'TTFT at 8 tokens',
      'per-token p50, shortest prompt',
      'per-token p90, shortest prompt',
      'median step rate (1000 / p50), deepest cache',
      'peak memory (worker RSS)',
    ])
      expect(text).toContain(row);
    // 2 x 2 layers x 2 KV heads x 16 x 24 tokens: 4 bytes an element in A, 2 in B.
    expect(text).toMatch(/KV cache computed, at the deepest context\s+12\.0 KiB\s+6\.00 KiB\s+0\.50×/);
    expect(text).toMatch(/Speeds are from alternating rounds/);
    // The TTFT and depth curves of both.
    expect(await section.locator('.two-decoders-results .chart-row canvas').count()).toBe(2);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'generate-compare-view');
    await section.locator('.two-decoders-results .chart-row').scrollIntoViewIfNeeded();
    await screenshot(page, 'generate-compare-view-charts');
    await page.setViewportSize({ width: 1000, height: 900 });
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'generate-compare-view-1000');
    // Nothing wider than the view at 1000 px: the tables wrap under each other.
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    )) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    // The Speed table's verdict column is whole inside its card, at this width too.
    const speed = panel.locator('.generate-compare-tables figure').first();
    const [table, card] = [await speed.locator('table').boundingBox(), await speed.boundingBox()];
    expect(table!.x + table!.width).toBeLessThanOrEqual(card!.x + card!.width + 1);
    await page.setViewportSize({ width: 1440, height: 900 });

    // The same comparison in the Generation view: B's profile with A dashed beside it.
    await page.getByRole('button', { name: 'Generation', exact: true }).click();
    const there = page.locator('section[aria-label=Generation] section[aria-label="Decoder comparison"]');
    expect(await there.locator('.generate-verdict').innerText()).toBe(verdict);
    expect(await page.locator('section[aria-label=Generation]').innerText()).toMatch(
      /float16 cache .*dashed: model\.onnx, the run before/s,
    );
    await page.locator('section[aria-label=Generation] .chart-row').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'generate-compare-generation-view');
    expect(pageErrors).toEqual([]);
  });

  it('says in one line what a decoder needs when the open model is not one, and shows no section', async () => {
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await page.locator('#open-model-input').setInputFiles(SAMPLE);
    await page.getByRole('heading', { name: 'Variants of sample-model.onnx' }).waitFor();
    const view = page.locator('section[aria-label=Compare]');
    await view.getByText(/Two decoders \(say fp32 and int8\)\? Open one exported with its KV cache/).waitFor();
    expect(await view.innerText()).toMatch(/input_ids and past_key_values\.N\.key\/value in, logits and present/);
    expect(await page.locator('section[aria-label="Two decoders"]').count()).toBe(0);
    await screenshot(page, 'generate-compare-not-a-decoder');
    // Back to a decoder: the decoder B chosen for the model before is not carried over to another.
    await page.locator('#open-model-input').setInputFiles(fp16);
    const section = page.locator('section[aria-label="Two decoders"]');
    await section.waitFor();
    await section.getByLabel('Decoder B file').waitFor();
    expect(await section.getByRole('button', { name: 'Compare the two decoders' }).isDisabled()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
