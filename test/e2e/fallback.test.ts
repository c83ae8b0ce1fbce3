// The silent-fallback alarm in a real browser on a real WebGPU profile: Silero VAD on the WebGPU EP
// over a software Vulkan driver (see PLATFORM.md), where a few nodes fall back to the CPU. The
// Summary says so first, and the fallen-back layers are marked in Layers, the flame graph and the
// timeline.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SILERO_16K } from '../fixtures/paths.js';
import { launchBrowser, screenshot, startApp, waitForReport, type App } from './harness.js';

const ICD = process.env.VK_ICD_FILENAMES ?? '/usr/lib/chromium/vk_swiftshader_icd.json';

let app: App;
let browser: Browser;
let page: Page;

describe.skipIf(!existsSync(ICD))('WebGPU fallback alarm', () => {
  beforeAll(async () => {
    // The server (and its inference worker) find the software Vulkan driver through these.
    process.env.VK_ICD_FILENAMES = ICD;
    if (!process.env.XDG_RUNTIME_DIR) {
      const runtime = join(tmpdir(), `strata-e2e-xdg-${process.pid}`);
      mkdirSync(runtime, { recursive: true, mode: 0o700 });
      process.env.XDG_RUNTIME_DIR = runtime;
    }
    app = await startApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('profiles Silero on WebGPU and says, first thing in the Summary, which nodes fell back to the CPU', async () => {
    await page.goto(app.url);
    await waitForReport(page, 'sample-model.onnx');
    await page.locator('#open-model-input').setInputFiles(SILERO_16K);
    await page.getByRole('heading', { name: 'silero_vad_16k_op15.onnx' }).waitFor();
    await page.getByLabel('Value of sr').fill('16000');
    await page.getByLabel('sequence', { exact: true }).fill('512');
    await page.getByLabel('WebGPU', { exact: true }).check();
    await page.getByLabel('Warm-up runs', { exact: true }).fill('0');
    await page.getByLabel('Timed runs', { exact: true }).fill('3');
    await page.getByLabel('Profiled runs', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Run profile' }).click();
    await waitForReport(page, 'silero_vad_16k_op15.onnx', 290_000);
    const alarm = page.getByRole('region', { name: 'Execution providers' });
    await alarm.waitFor();
    const text = await alarm.innerText();
    // Shares of the run's wall time; a sliver reads "<0.1%".
    expect(text).toMatch(
      /WebGPU ran \d+ of \d+ nodes, [<>]?[\d.]+% of the run time; \d+ nodes? fell back to CPU \([<>]?[\d.]+%\)/,
    );
    expect(text).toMatch(/CPU: \d+ nodes?, [\d.]+% of the run time/);
    await screenshot(page, '13-webgpu-fallback-summary');
    await alarm.getByText(/that fell back/).click();
    await screenshot(page, '13a-webgpu-fallback-list');
    expect(await page.getByRole('region', { name: 'Why is it slower?' }).innerText()).toMatch(
      /fell back from WebGPU to CPU/,
    );
  });

  it('marks the fallen-back layers in the layers table, the flame graph and the timeline', async () => {
    await page.getByRole('tab', { name: 'Layers' }).click();
    await page.getByRole('button', { name: /layers? fell back/ }).click();
    await expect.poll(() => page.locator('tr.fell-back').count()).toBeGreaterThan(0);
    expect(await page.locator('tr.fell-back .fallback-mark').first().innerText()).toMatch(/⚠ CPU/);
    await screenshot(page, '14-webgpu-fallback-layers');
    await page.getByRole('tab', { name: 'Flame graph' }).click();
    await page.waitForTimeout(500);
    await screenshot(page, '15-webgpu-fallback-flame');
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.waitForTimeout(500);
    await screenshot(page, '16-webgpu-fallback-timeline');
  });
});
