// The Cache & memory tab and the system load under the timeline, in Chromium against browser mode,
// on the sample model the first launch profiles: the working-set and roofline charts are drawn,
// clicking a bar selects its layer, and both colour schemes are captured for people to look at.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, SCREENSHOTS, startApp, waitForReport, type App } from './harness.js';

let app: App;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  // Tall enough that the whole tab shows in one screenshot.
  page = await browser.newPage({ viewport: { width: 1440, height: 2000 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Drawing-buffer sizes of the canvases inside `selector` (the test's tsconfig has no DOM types). */
async function canvasSizes(p: Page, selector: string): Promise<{ width: number; height: number }[]> {
  return p.$$eval(`${selector} canvas`, (canvases) =>
    canvases.map((c) => ({
      width: (c as unknown as { width: number }).width,
      height: (c as unknown as { height: number }).height,
    })),
  );
}

const drawn = (sizes: { width: number; height: number }[], minHeight: number) =>
  sizes.some((c) => c.width > 300 && c.height >= minHeight);

describe('Cache & memory in the browser', () => {
  it('says it is measuring the machine once, with time left, while the first launch measures it', async () => {
    await page.goto(app.url);
    // The app's config folder is new: the first profile measures the caches and ceilings.
    const strip = page.getByRole('progressbar', { name: 'Profile progress' });
    await expect
      .poll(async () => ((await strip.count()) ? await strip.innerText() : ''), { timeout: 120_000, interval: 100 })
      .toMatch(/Measuring this machine once \(caches, compute and memory ceilings\)/);
    await screenshot(page, '19-first-launch-measuring');
    expect(await strip.getAttribute('aria-valuetext')).toMatch(/Measuring this machine once/);
  });

  it('shows the working set against the caches and the roofline of the sample model', async () => {
    await waitForReport(page, 'sample-model.onnx');
    await page.getByRole('tab', { name: 'Cache & memory' }).click();
    await expect
      .poll(() => page.getByRole('tab', { name: 'Cache & memory' }).getAttribute('aria-selected'))
      .toBe('true');

    await expect.poll(async () => drawn(await canvasSizes(page, '.cache-ws-chart'), 250)).toBe(true);
    await expect.poll(async () => drawn(await canvasSizes(page, '.cache-roofline-chart'), 300)).toBe(true);
    const panel = page.locator('[role=tabpanel]');
    const text = await panel.innerText();
    // Whatever this machine is: sizes read or measured, each with where it came from.
    expect(text).toMatch(
      /Caches of one core on .+: L1d [\d.]+ KiB.*\((Linux sysfs|CPUID \(getconf\)|sysctl|systeminformation.*|measured)\)/,
    );
    expect(text).toMatch(/Measured by Strata on this machine .+ in [\d.]+ s/);
    expect(text).toMatch(/Re-measure this machine/);
    expect(text).toMatch(/Peak compute\s+[\d.]+ GFLOP\/s/i);
    expect(text).toMatch(/Memory bandwidth\s+[\d.]+ GB\/s/i);
    expect(text).toMatch(/Cold run\s+[\d.]+ m?s/i);
    expect(text).toMatch(/Hardware counters/);
    // The level table counts every layer with a cache level.
    const counts = await page.locator('.cache-levels tbody td:nth-child(2)').allInnerTexts();
    expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await expect.poll(async () => drawn(await canvasSizes(page, '.cache-staircase-chart'), 400)).toBe(true);
    await page.locator('.cache-staircase-chart').screenshot({ path: join(SCREENSHOTS, '20c-staircase-light.png') });
    await screenshot(page, '20-cache-light');
    await page.locator('.cache-roofline-chart').screenshot({ path: join(SCREENSHOTS, '20a-roofline-light.png') });
    await page.locator('.cache-ws').screenshot({ path: join(SCREENSHOTS, '20b-working-set-light.png') });
  });

  it('selects a layer by clicking its working-set bar', async () => {
    const box = (await page.locator('.cache-ws-chart').boundingBox())!;
    // Bars stand on the x axis: sweep along just above it until one hits.
    for (let x = box.x + 80; x < box.x + box.width - 100; x += 6) {
      // Above the slider and the axis labels (the grid's bottom is 64 px up with a slider).
      await page.mouse.click(x, box.y + box.height - 72);
      if (await page.locator('.layer-detail').count()) break;
    }
    await expect.poll(() => page.locator('.layer-detail').count()).toBe(1);
    expect(await page.locator('.layer-detail').innerText()).toMatch(/Working set\s+[\d.]+ (B|KiB|MiB)/);
  });

  it('draws the same tab in the dark scheme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(async () => drawn(await canvasSizes(page, '.cache-roofline-chart'), 300)).toBe(true);
    await expect.poll(async () => drawn(await canvasSizes(page, '.cache-staircase-chart'), 400)).toBe(true);
    await page.locator('.cache-staircase-chart').screenshot({ path: join(SCREENSHOTS, '21b-staircase-dark.png') });
    await screenshot(page, '21-cache-dark');
    await page.locator('.cache-roofline-chart').screenshot({ path: join(SCREENSHOTS, '21a-roofline-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('measures the machine again from the tab, and says the report keeps its own values', async () => {
    const button = page.getByRole('button', { name: 'Re-measure this machine' });
    await button.click();
    await expect.poll(() => page.getByRole('button', { name: 'Measuring this machine…' }).isDisabled()).toBe(true);
    const result = page.locator('.cache-remeasured');
    await result.waitFor({ timeout: 240_000 });
    const text = await result.innerText();
    expect(text).toMatch(/Float32 now\s+[\d.]+ GFLOP\/s/i);
    expect(text).toMatch(/Bandwidth now\s+[\d.]+ GB\/s/i);
    expect(text).toMatch(/run the profile again to place its layers under these/);
    await page.locator('.cache-remeasure').scrollIntoViewIfNeeded();
    await screenshot(page, '23-cache-remeasured');
  });

  it('draws CPU load and worker memory under the timeline', async () => {
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect.poll(async () => drawn(await canvasSizes(page, '.system-load-chart'), 150)).toBe(true);
    const caption = await page.locator('.system-load figcaption').innerText();
    expect(caption).toMatch(/sampled by the parent process, not the worker \(\d+ samples over [\d.]+ m?s/);
    await screenshot(page, '22-timeline-system-load');
    await page.locator('.system-load').screenshot({ path: join(SCREENSHOTS, '22a-system-load.png') });
    expect(pageErrors).toEqual([]);
  });
});
