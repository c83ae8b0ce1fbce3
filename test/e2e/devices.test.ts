// Devices in the app, in Chromium against browser mode, with a real OpenSSH server on 127.0.0.1 as
// the device (test/support/sshd.ts): add it in the Devices dialog (its check deploys the engine),
// choose it under "Run on" and profile there, then compare this machine and the device side by side.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE } from '../fixtures/paths.js';
import { startServe, type Serve } from '../support/serve.js';
import { startSshDevice, type SshDevice } from '../support/sshd.js';
import { launchBrowser, screenshot, waitForReport } from './harness.js';

let device: SshDevice;
let app: Serve;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  device = await startSshDevice();
  app = await startServe({ args: [SAMPLE], env: { STRATA_SSH_CONFIG: device.sshConfig } });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await device?.stop();
});

/** The text of every cell of the compared-models table, row by row. */
async function tableRows(p: Page): Promise<string[][]> {
  return p.$$eval('table[aria-label="Compared models"] tbody tr', (rows) =>
    rows.map((r) =>
      Array.from(
        (r as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }).querySelectorAll(
          'td',
        ),
        (td) => (td.textContent ?? '').trim(),
      ),
    ),
  );
}

describe('devices in the app', () => {
  it('adds a device, runs on it, and compares it with this machine', async () => {
    await page.goto(app.url);
    await waitForReport(page, 'sample-model.onnx');
    const runOn = page.getByLabel('Run on', { exact: true });
    expect(await runOn.inputValue()).toBe('local');

    // The Devices dialog: add the device; its check connects, deploys the engine, lists its EPs.
    await page.getByRole('button', { name: 'Manage devices' }).click();
    const dialog = page.getByRole('dialog', { name: 'Devices' });
    await dialog.getByText('No devices yet.').waitFor();
    await dialog.getByLabel('Device name').fill('edge1');
    await dialog.getByLabel('SSH address').fill(device.url);
    await dialog.getByRole('button', { name: 'Add device' }).click();
    await dialog.getByText('checking…').waitFor({ timeout: 10_000 });
    await dialog.getByText('ready', { exact: true }).waitFor({ timeout: 180_000 });
    await expect.poll(() => dialog.getByText(/Linux .*Node v\d+.*EPs cpu/).count()).toBe(1);
    await screenshot(page, '60-devices-dialog');
    await dialog.getByRole('button', { name: 'Close devices' }).click();
    expect(await page.getByRole('dialog').count()).toBe(0);

    // Run on the device: the report comes back named after it, with live progress on the way.
    expect(await runOn.locator('option').allTextContents()).toEqual(['This machine', 'edge1 (ready)']);
    await runOn.selectOption('edge1');
    // Every message the progress strip shows, recorded as it changes: the device's runs stream live.
    await page.evaluate(`(() => {
      window.__strip = [];
      new MutationObserver(() => {
        const m = document.querySelector('.run-strip-message');
        if (m && window.__strip.at(-1) !== m.textContent) window.__strip.push(m.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await page.getByRole('button', { name: 'Run profile' }).click();
    await waitForReport(page, 'sample-model.onnx on edge1', 240_000);
    const strip = (await page.evaluate('window.__strip')) as string[];
    expect(strip).toEqual(expect.arrayContaining([expect.stringMatching(/copying the model to edge1/)]));
    expect(strip.some((m) => /^(Timed|Profiled|Warm-up) run \d+ of \d+$/.test(m))).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
    await screenshot(page, '61-run-on-device');

    // A devices comparison: this machine and the device side by side.
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const form = page.getByRole('group', { name: 'Compare on devices' });
    await form.getByRole('checkbox', { name: /edge1/ }).check();
    await form.getByRole('button', { name: 'Compare on 2 devices' }).click();
    await page.getByRole('table', { name: 'Compared models' }).waitFor({ timeout: 300_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
    const rows = await tableRows(page);
    expect(rows.map((r) => r[0]!.replace(/^◆\s*/, ''))).toEqual([
      'sample-model.onnx on local',
      'sample-model.onnx on edge1',
    ]);
    expect(rows[1]![4]).toMatch(/^([\d.]+× (faster|slower)|no significant difference)$/);
    await page
      .getByText(/runs are not interleaved across devices/)
      .first()
      .waitFor();
    // Outputs are not compared across devices: no latency-against-error chart pretends they were.
    expect(await page.getByRole('img', { name: /Pareto chart/ }).count()).toBe(0);
    await page.getByRole('table', { name: 'Compared models' }).scrollIntoViewIfNeeded();
    await screenshot(page, '62-devices-comparison');

    expect(pageErrors).toEqual([]);
    // Nothing of Strata's is left running on the device.
    for (let i = 0; i < 100 && device.processes().length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(device.processes()).toEqual([]);
  });
});
