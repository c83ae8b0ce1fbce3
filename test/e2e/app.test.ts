// The app as a user drives it, in Chromium against browser mode: first launch, opening a fixture
// model through the file input, running it, the result views, export, and every way things go wrong.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OCR_CLS, SAMPLE, SILERO_16K, SILERO_IFLESS, SILERO_V6 } from '../fixtures/paths.js';
import { launchBrowser, openOffline, screenshot, startApp, waitForReport, type App } from './harness.js';

let app: App;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const consoleErrors: string[] = [];
const notFound: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'strata-e2e-'));

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() === 404) notFound.push(response.url());
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Canvas elements drawn inside the visible tab panel, with their sizes. */
async function drawnCanvases(p: Page): Promise<{ width: number; height: number }[]> {
  // Runs in the page: canvases' drawing-buffer sizes (the test's tsconfig has no DOM types).
  return p.$$eval('[role=tabpanel] canvas', (canvases) =>
    canvases.map((c) => ({
      width: (c as unknown as { width: number }).width,
      height: (c as unknown as { height: number }).height,
    })),
  );
}

describe('Strata in the browser', () => {
  it('opens the sample model on first launch and profiles it', async () => {
    await page.goto(app.url);
    await waitForReport(page, 'sample-model.onnx');
    await expect.poll(() => page.getByRole('tab', { name: 'Summary' }).getAttribute('aria-selected')).toBe('true');
    const text = await page.locator('[role=tabpanel]').innerText();
    expect(text).toMatch(/P50\s+[\d.]+ m?s/i);
    await screenshot(page, '01-first-launch-summary');
    // A clean console: no favicon.ico 404 (the icon is inline), nothing else missing.
    expect(notFound).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('reaches the controls with Tab, shows where focus is, and moves through the result tabs with the arrow keys', async () => {
    const summaryTab = page.getByRole('tab', { name: 'Summary' });
    await summaryTab.click();
    const selected = async () => page.locator('[role=tab][aria-selected=true]').innerText();
    const focusedText = () => page.evaluate('document.activeElement && document.activeElement.textContent');
    await page.keyboard.press('ArrowRight');
    expect(await selected()).toBe('Layers');
    expect(await focusedText()).toBe('Layers');
    await page.keyboard.press('End');
    expect(await selected()).toBe('Cache & memory');
    await page.keyboard.press('ArrowRight'); // wraps
    expect(await selected()).toBe('Summary');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Home');
    expect(await selected()).toBe('Summary');
    // Tab from the top of the page: every stop is a control, drawn with a visible focus ring.
    await page.locator('body').evaluate((b) => (b as unknown as { focus(): void }).focus());
    const stops: { name: string; ring: boolean }[] = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      stops.push(
        (await page.evaluate(
          `(() => { const e = document.activeElement; if (!e || e === document.body) return { name: '', ring: true };
            const s = getComputedStyle(e); return { name: (e.getAttribute('aria-label') || e.textContent || e.tagName).trim().slice(0, 40),
            ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 }; })()`,
        )) as { name: string; ring: boolean },
      );
    }
    const names = stops.map((s) => s.name);
    for (const control of [
      'Open model',
      'Recent ▾',
      'Profile',
      'Compare',
      'Export report',
      'Threads',
      'Timed runs',
      'Run profile',
      'Summary',
    ]) {
      expect(names).toContain(control);
    }
    expect(stops.filter((s) => !s.ring)).toEqual([]);
    await page.getByRole('button', { name: 'Run profile' }).focus();
    await screenshot(page, '01a-keyboard-focus');
  });

  it('filters the layers on an exact op type picked in the by-op-type view, shown as a removable chip', async () => {
    await page.getByRole('tab', { name: 'Layers' }).click();
    const panel = page.locator('[role=tabpanel]');
    const all = await page.locator('.layers-toolbar .muted').innerText();
    const total = Number(/([\d,]+) layers/.exec(all)![1]!.replace(/,/g, ''));
    await page.getByRole('button', { name: 'By op type' }).click();
    const gemmRow = panel.locator('tbody tr').filter({ has: page.locator('td:first-child', { hasText: /^Gemm$/ }) });
    const gemms = Number(await gemmRow.locator('td:nth-child(2)').innerText());
    expect(gemms).toBeGreaterThan(0);
    // As free text, "Gemm" also matches the sample's Reshape nodes named gemm_input_reshape.
    await gemmRow.click();
    await page.getByText('Op type: Gemm').waitFor();
    expect(await page.getByRole('searchbox', { name: 'Filter layers' }).inputValue()).toBe('');
    expect(await page.locator('.layers-toolbar .muted').innerText()).toBe(`${gemms} of ${total} layers`);
    // The table draws only the rows in view: it declares them all, and every row drawn, at the top
    // and scrolled to the bottom, is a Gemm.
    expect(await panel.locator('table.layer-table').getAttribute('aria-rowcount')).toBe(String(gemms + 1));
    const drawnOpTypes = () => panel.locator('tbody tr:not(.spacer) td:nth-child(2)').allInnerTexts();
    const top = await drawnOpTypes();
    await panel.locator('.table-scroll').evaluate((e) => e.scrollTo(0, e.scrollHeight));
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))'); // two frames: the rows redraw
    const bottom = await drawnOpTypes();
    expect(top.length).toBeGreaterThan(0);
    expect(new Set([...top, ...bottom])).toEqual(new Set(['Gemm']));
    await panel.locator('.table-scroll').evaluate((e) => e.scrollTo(0, 0));
    await screenshot(page, '02a-layers-op-type-chip');
    // The text filter narrows within the op type; removing the chip keeps the text.
    await page.getByRole('searchbox', { name: 'Filter layers' }).fill('reshape');
    await expect.poll(() => page.locator('.layers-toolbar .muted').innerText()).toBe(`0 of ${total} layers`);
    await page.getByRole('button', { name: 'Remove the op type filter Gemm' }).click();
    await expect
      .poll(async () => Number(/^(\d+) of/.exec(await page.locator('.layers-toolbar .muted').innerText())?.[1]))
      .toBeGreaterThan(0);
    await page.getByRole('searchbox', { name: 'Filter layers' }).fill('');
    expect(await page.locator('.layers-toolbar .muted').innerText()).toBe(`${total} layers`);
    await page.getByRole('tab', { name: 'Summary' }).click();
  });

  it('opens a fixture model through the file input, runs it, and shows its layers, flame graph and timeline', async () => {
    await page.locator('#open-model-input').setInputFiles(OCR_CLS);
    await page.getByRole('heading', { name: 'ch_ppocr_mobile_v2.0_cls_infer.onnx' }).waitFor();
    // The overview: long symbolic dims stay whole (a shape wraps between dims only), and the op
    // histogram lists the top 8 of 18 op types, then "+10 more".
    const dims = page.locator('aside .dim');
    expect(await dims.count()).toBeGreaterThan(4);
    type Box = { getBoundingClientRect(): { height: number }; scrollWidth: number; clientWidth: number };
    const boxes = await dims.evaluateAll((els) =>
      els.map((e) => ({
        height: (e as unknown as Box).getBoundingClientRect().height,
        clipped: (e as unknown as Box).scrollWidth > (e as unknown as Box).clientWidth,
      })),
    );
    for (const box of boxes) expect(box).toEqual({ height: expect.any(Number), clipped: false });
    for (const box of boxes) expect(box.height).toBeLessThan(20); // one line each
    const ops = page.getByRole('list', { name: 'Op histogram' }).getByRole('listitem');
    expect(await ops.count()).toBe(8);
    await page.getByRole('button', { name: '+10 more op types' }).click();
    expect(await ops.count()).toBe(18);
    await page.getByRole('button', { name: 'Show fewer' }).click();
    expect(await ops.count()).toBe(8);
    // Every dim but channels is symbolic: set height and width; batch stays 1.
    await page.getByLabel('p2o.DynamicDimension.1').fill('48');
    await page.getByLabel('p2o.DynamicDimension.2').fill('192');
    await screenshot(page, '02-model-overview');
    await page.getByRole('button', { name: 'Run profile' }).click();
    await waitForReport(page, 'ch_ppocr_mobile_v2.0_cls_infer.onnx');

    await page.getByRole('tab', { name: 'Layers' }).click();
    const rows = await page.locator('[role=tabpanel] tbody tr').count();
    expect(rows).toBeGreaterThan(20);
    await page.getByPlaceholder(/Filter/).fill('Softmax');
    await expect.poll(async () => page.locator('[role=tabpanel] tbody tr').count()).toBeLessThan(rows);
    await screenshot(page, '03-layers');
    // What ranks a layer is in view without scrolling sideways at 1440 px: up to Rate.
    const panelBox = (await page.locator('[role=tabpanel]').boundingBox())!;
    for (const header of ['Name', 'p50', 'Share', 'Mean', 'FLOPs', 'Rate']) {
      const cell = (await page
        .locator('[role=tabpanel] thead th')
        .filter({ hasText: new RegExp(`^${header}`) })
        .first()
        .boundingBox())!;
      expect(cell.x + cell.width, header).toBeLessThanOrEqual(panelBox.x + panelBox.width);
    }
    await page.getByPlaceholder(/Filter/).fill('');

    await page.getByRole('tab', { name: 'Flame graph' }).click();
    await expect.poll(async () => (await drawnCanvases(page)).some((c) => c.width > 300 && c.height > 20)).toBe(true);
    await screenshot(page, '04-flame');

    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect.poll(async () => (await drawnCanvases(page)).some((c) => c.width > 300 && c.height > 50)).toBe(true);
    await screenshot(page, '05-timeline');

    await page.getByRole('tab', { name: 'Memory', exact: true }).click();
    await expect.poll(async () => (await drawnCanvases(page)).length).toBeGreaterThan(0);
    await screenshot(page, '06-memory');
  });

  it('exports a self-contained HTML report that opens offline with its charts', async () => {
    await page.getByRole('button', { name: 'Export report' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /HTML report/ }).click(),
    ]);
    const file = join(dir, 'report.html');
    await download.saveAs(file);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('ch_ppocr_mobile_v2.0_cls_infer.onnx');

    const { page: offline, requests } = await openOffline(browser, file, { viewport: { width: 1400, height: 900 } });
    await offline.getByRole('tab', { name: 'Flame graph' }).click();
    await expect.poll(async () => (await drawnCanvases(offline)).some((c) => c.width > 300)).toBe(true);
    await screenshot(offline, '07-html-report-flame');
    await offline.getByRole('tab', { name: 'Summary' }).click();
    await expect.poll(async () => (await drawnCanvases(offline)).length).toBeGreaterThan(0);
    await screenshot(offline, '08-html-report-summary');
    expect(requests).toEqual([]);
    await offline.close();
  });

  it('opens a saved report JSON back in the app', async () => {
    await page.getByRole('button', { name: 'Export report' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /JSON/ }).click(),
    ]);
    const file = join(dir, 'saved.strata.json');
    await download.saveAs(file);
    // Another model in the sidebar first: the results (of the OCR model) now say they are not of it.
    await page.locator('#open-model-input').setInputFiles(SAMPLE);
    await page.getByRole('heading', { name: 'sample-model.onnx' }).waitFor();
    await page
      .getByRole('note')
      .filter({ hasText: 'These results are of ch_ppocr_mobile_v2.0_cls_infer.onnx, not of sample-model.onnx' })
      .waitFor();
    await screenshot(page, '08a-results-of-another-model');

    // Opening the report brings its model back into the sidebar, with the run settings it was made with.
    await page.getByLabel('Timed runs', { exact: true }).fill('7');
    await page.locator('#open-model-input').setInputFiles(file);
    await page
      .getByText('Opened the saved report of ch_ppocr_mobile_v2.0_cls_infer.onnx, with its model and run settings')
      .waitFor();
    await page.getByRole('heading', { name: 'ch_ppocr_mobile_v2.0_cls_infer.onnx' }).waitFor();
    expect(await page.getByLabel('Timed runs', { exact: true }).inputValue()).toBe('30');
    expect(await page.getByLabel('p2o.DynamicDimension.2', { exact: true }).inputValue()).toBe('192');
    expect(await page.getByRole('note').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Run profile' }).isEnabled()).toBe(true);

    // A report whose model file is gone: the sidebar says so and Run is off, with the reason.
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { model: { path: string } };
    saved.model.path = join(dir, 'moved-away', 'ch_ppocr_mobile_v2.0_cls_infer.onnx');
    writeFileSync(join(dir, 'orphan.strata.json'), JSON.stringify(saved));
    await page.locator('#open-model-input').setInputFiles(join(dir, 'orphan.strata.json'));
    await page.getByText('The model file is not available.').waitFor();
    const sidebar = page.getByRole('complementary', { name: 'Model and run settings' });
    expect(await sidebar.innerText()).toContain(saved.model.path);
    // Browser mode does not look for a path a report names: it says so, not the raw access error.
    expect(await sidebar.innerText()).toContain('opens only the files you choose, so it cannot look for it');
    expect(await sidebar.innerText()).not.toContain('was not opened in Strata');
    expect(await page.getByRole('button', { name: 'Run profile' }).isDisabled()).toBe(true);
    await page
      .getByText('Run is off: the model file of this report (ch_ppocr_mobile_v2.0_cls_infer.onnx) is not available.')
      .waitFor();
    await screenshot(page, '08b-report-model-missing');
    // Ctrl+Enter says why instead of doing nothing.
    await page.locator('body').click({ position: { x: 900, y: 700 } });
    await page.keyboard.press('Control+Enter');
    expect(await page.getByRole('alert').innerText()).toMatch(
      /Cannot run: the model file of this report .* is not available/,
    );
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    // Opening the saved report again (its model is there) brings Run back.
    await page.locator('#open-model-input').setInputFiles(file);
    await page
      .getByText('Opened the saved report of ch_ppocr_mobile_v2.0_cls_infer.onnx, with its model and run settings')
      .waitFor();
    expect(await page.getByText('The model file is not available.').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Run profile' }).isEnabled()).toBe(true);

    // Valid JSON with a damaged section: what cannot be drawn says so in one line, the window stays
    // (before, the page went blank until reloaded).
    const damaged = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    damaged.layers = { name: null };
    writeFileSync(join(dir, 'damaged.strata.json'), JSON.stringify(damaged));
    await page.locator('#open-model-input').setInputFiles(join(dir, 'damaged.strata.json'));
    const failed = page.getByRole('alert').filter({ hasText: 'could not be drawn' }).first();
    await failed.waitFor();
    expect(await failed.innerText()).toMatch(/The report may be damaged/);
    await screenshot(page, '08c-report-damaged');
    expect(await page.getByRole('button', { name: 'Open model' }).isVisible()).toBe(true);
    // A good report opens again in the same window.
    await page.locator('#open-model-input').setInputFiles(file);
    await page.getByRole('tab', { name: 'Summary' }).waitFor();
    await expect.poll(() => page.getByText('could not be drawn').count()).toBe(0);
  });

  it('names the file the user picked, not where it was uploaded, when a report cannot be read', async () => {
    const bad = join(dir, 'broken-report.json');
    writeFileSync(bad, '{"schemaVersion": 1, "this is": "not a report"');
    await page.locator('#open-model-input').setInputFiles(bad);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toContain('broken-report.json');
    // Read in the page, not uploaded (issue 16): still the one line saying what is wrong.
    expect(text).toMatch(/"broken-report\.json" is not JSON.*so it is not a Strata report\./);
    expect(text).not.toMatch(/strata-uploads|uploads\/|\/tmp\//);
    await page.getByRole('button', { name: 'Dismiss message' }).click();
  });

  it('says what is wrong with a bad file and stays usable', async () => {
    const bad = join(dir, 'notes.onnx');
    writeFileSync(bad, 'these are notes, not a model\n');
    await page.locator('#open-model-input').setInputFiles(bad);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/"notes\.onnx" is not an ONNX model/);
    await screenshot(page, '09-bad-file');
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    // The last report is still there.
    await page.getByRole('tab', { name: 'Summary' }).click();
    expect(await page.locator('[role=tabpanel]').innerText()).toMatch(/P50/i);
  });

  it('runs with Ctrl+Enter, cancels for real with Esc, and can run again', async () => {
    await page.getByLabel('Timed runs', { exact: true }).fill('100000');
    await page.locator('body').click({ position: { x: 900, y: 600 } });
    await page.keyboard.press('Control+Enter');
    const bar = page.getByRole('progressbar', { name: 'Profile progress' });
    await bar.waitFor();
    // The progress shows where the user looks, above the fold at 1440×900, with its percentage and time left.
    const box = (await bar.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThan(300);
    expect(box.x).toBeGreaterThan(300); // over the results, not in the sidebar
    await expect
      .poll(() => bar.innerText(), { timeout: 30_000 })
      .toMatch(/Timed run \d+ of 100000[\s\S]*\d+%\s*·\s*(about|under) \d+ (s|min)( \d+ s)? left/);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(0);
    await screenshot(page, '09a-run-progress');
    await page.keyboard.press('Escape');
    await page
      .getByRole('alert')
      .filter({ hasText: /cancelled/ })
      .waitFor();
    await screenshot(page, '10-cancelled');
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    await page.getByLabel('Timed runs', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Run profile' }).click();
    await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 120_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('closes menus with Esc (before Esc cancels a run) or a click elsewhere, and moves through them with the arrow keys', async () => {
    const focused = () => page.evaluate('document.activeElement && document.activeElement.textContent');
    const exportButton = page.getByRole('button', { name: 'Export report' });
    const menu = page.getByRole('menu');
    // Keyboard: ArrowDown opens on the first item, arrows move and wrap, Esc closes back to the button.
    await exportButton.focus();
    await page.keyboard.press('ArrowDown');
    await menu.waitFor();
    expect(await focused()).toBe('HTML report (self-contained)');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('JSON (opens back in Strata)');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe('Chrome trace (Perfetto)');
    await screenshot(page, '09b-export-menu-keyboard');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await focused()).toBe('Export report ▾');
    expect(await exportButton.getAttribute('aria-expanded')).toBe('false');

    // A click elsewhere closes the Recent menu.
    await page.getByRole('button', { name: 'Recent ▾' }).click();
    await menu.waitFor();
    expect(await page.getByRole('menuitem').count()).toBeGreaterThan(0);
    await page.mouse.click(1000, 700); // on the results, away from the menu
    await menu.waitFor({ state: 'detached' });

    // While a run is going, Esc closes an open menu first and leaves the run alone; the next Esc cancels it.
    await page.getByLabel('Timed runs', { exact: true }).fill('100000');
    await page.getByRole('button', { name: 'Run profile' }).click();
    await page.getByRole('progressbar', { name: 'Profile progress' }).waitFor();
    await exportButton.click();
    await menu.waitFor();
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await page.getByRole('progressbar', { name: 'Profile progress' }).count()).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page
      .getByRole('alert')
      .filter({ hasText: /cancelled/ })
      .waitFor();
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    await page.getByLabel('Timed runs', { exact: true }).fill('5');
  });

  it('shows in the run settings exactly the values the plan uses, also after another model opens', async () => {
    await page.locator('#open-model-input').setInputFiles(SILERO_16K);
    await page.getByRole('heading', { name: 'silero_vad_16k_op15.onnx' }).waitFor();
    const sr = page.getByLabel('Value of sr');
    expect(await sr.inputValue()).toBe('random');
    // Its batch dim starts at 1; its sequence dim has no default that fits, so Run waits for it.
    expect(await page.getByLabel('batch', { exact: true }).inputValue()).toBe('1');
    expect(await page.getByLabel('sequence', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('sequence', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    const run = page.getByRole('button', { name: 'Run profile' });
    expect(await run.isDisabled()).toBe(true);
    await page.getByText('Run is off until this field is set: sequence.').waitFor();
    await screenshot(page, '12a-run-waits-for-dim');
    await sr.fill('16000');
    // Another model with an input of the same name, then Silero again: the plan starts afresh, and so do the fields.
    await page.locator('#open-model-input').setInputFiles(SILERO_IFLESS);
    await page.getByRole('heading', { name: 'silero_vad_op18_ifless.onnx' }).waitFor();
    expect(await sr.inputValue()).toBe('random');
    await page.locator('#open-model-input').setInputFiles(SILERO_16K);
    await page.getByRole('heading', { name: 'silero_vad_16k_op15.onnx' }).waitFor();
    expect(await sr.inputValue()).toBe('random');
    // Text that is not a value says what is used instead.
    await sr.fill('sixteen thousand');
    expect(await sr.getAttribute('aria-invalid')).toBe('true');
    await page.getByText('"sixteen thousand" is not random, zeros or a number.').waitFor();
    expect(await run.isDisabled()).toBe(true);
    await page.getByText('Run is off until these fields are set: sequence, Value of sr.').waitFor();
    // What the field shows is what runs: Silero needs sr=16000, and the run succeeds with it.
    await sr.fill('16000');
    expect(await sr.getAttribute('aria-invalid')).toBeNull();
    // Shapes of inputs with unnamed dims follow the plan the same way (Silero v6).
    await page.locator('#open-model-input').setInputFiles(SILERO_V6);
    await page.getByRole('heading', { name: 'silero_vad.onnx' }).waitFor();
    const shape = page.getByLabel('Shape of input', { exact: true });
    await shape.fill('1x3x4');
    await page.getByText('input has 2 dims, not 3.', { exact: true }).waitFor();
    expect(await run.isDisabled()).toBe(true);
    await shape.fill('1x512');
    expect(await shape.getAttribute('aria-invalid')).toBeNull();
    await page.locator('#open-model-input').setInputFiles(SILERO_16K);
    await page.getByRole('heading', { name: 'silero_vad_16k_op15.onnx' }).waitFor();
    await page.locator('#open-model-input').setInputFiles(SILERO_V6);
    await page.getByRole('heading', { name: 'silero_vad.onnx' }).waitFor();
    expect(await shape.inputValue()).toBe('');
    await page.locator('#open-model-input').setInputFiles(SILERO_16K);
    await page.getByRole('heading', { name: 'silero_vad_16k_op15.onnx' }).waitFor();
    await sr.fill('16000');
    await page.getByLabel('sequence', { exact: true }).fill('512'); // one 32 ms window at 16 kHz
    await page.getByLabel('Timed runs', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Run profile' }).click();
    await waitForReport(page, 'silero_vad_16k_op15.onnx', 60_000);
    expect(await page.getByRole('alert').count()).toBe(0);
    // Reopened from Recent after another model, it comes back with the settings it last ran with.
    await page.locator('#open-model-input').setInputFiles(SILERO_IFLESS);
    await page.getByRole('heading', { name: 'silero_vad_op18_ifless.onnx' }).waitFor();
    expect(await sr.inputValue()).toBe('random');
    await page.getByRole('button', { name: 'Recent ▾' }).click();
    await page.getByRole('menuitem', { name: /silero_vad_16k_op15\.onnx/ }).click();
    await page.getByRole('heading', { name: 'silero_vad_16k_op15.onnx' }).waitFor();
    await page.getByText('Run settings of your last profile of silero_vad_16k_op15.onnx restored.').waitFor();
    expect(await sr.inputValue()).toBe('16000');
    expect(await page.getByLabel('sequence', { exact: true }).inputValue()).toBe('512');
    expect(await page.getByLabel('Timed runs', { exact: true }).inputValue()).toBe('5');
    await screenshot(page, '12b-recent-keeps-run-settings');
    // On a 1280x720 screen, Run profile stays in view below the settings.
    await page.setViewportSize({ width: 1280, height: 720 });
    const runBox = (await page.getByRole('button', { name: 'Run profile' }).boundingBox())!;
    expect(runBox.y + runBox.height).toBeLessThanOrEqual(720);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('stops a running profile when another model is opened, so its report cannot land on top of it', async () => {
    await page.locator('#open-model-input').setInputFiles(SAMPLE);
    await page.getByRole('heading', { name: 'sample-model.onnx' }).waitFor();
    await page.getByLabel('Timed runs', { exact: true }).fill('100000');
    await page.getByRole('button', { name: 'Run profile' }).click();
    await page.getByRole('progressbar', { name: 'Profile progress' }).waitFor();
    await page.locator('#open-model-input').setInputFiles(SILERO_16K);
    await page
      .getByText('The profile of sample-model.onnx was stopped: you opened silero_vad_16k_op15.onnx.', { exact: false })
      .waitFor();
    expect(await page.getByRole('progressbar', { name: 'Profile progress' }).count()).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Run profile' }).isEnabled()).toBe(true);
    await page.getByLabel('Timed runs', { exact: true }).fill('5');
  });

  it('says so when the inference worker crashes, and the next run works', async () => {
    await page.getByLabel('Timed runs', { exact: true }).fill('100000');
    await page.getByRole('button', { name: 'Run profile' }).click();
    await page.getByRole('progressbar').waitFor();
    // The worker is the server's child process: kill it as the OOM killer would.
    let worker = '';
    for (let i = 0; i < 100 && !worker; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        worker =
          execFileSync('pgrep', ['-P', String(app.process.pid), '-f', 'runner/worker'], { encoding: 'utf8' })
            .trim()
            .split('\n')[0] ?? '';
      } catch {
        // not started yet
      }
    }
    expect(Number(worker)).toBeGreaterThan(0); // never kill(0): that is our own process group
    process.kill(Number(worker), 'SIGKILL');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/inference worker was killed.*next run starts a fresh worker/);
    await screenshot(page, '11-worker-crashed');
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    await page.getByLabel('Timed runs', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Run profile' }).click();
    await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 120_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('says plainly when the server is gone, fails calls at once meanwhile, and says when a restarted server refuses this page', async () => {
    const port = new URL(app.url).port;
    await app.stop();
    const banners = page.locator('.banner');
    await page.getByRole('alert').filter({ hasText: "Lost the connection to Strata's server" }).waitFor();
    expect(await banners.count()).toBe(1);
    expect(await banners.innerText()).not.toMatch(/[`*_]{1}\w/); // plain text, no markdown
    expect(await banners.innerText()).toMatch(
      /If strata serve was stopped, start it again and open the new address it prints/,
    );
    await screenshot(page, '12-connection-lost');

    // A call made now fails at once, said in the same banner, and leaves the app usable.
    const started = Date.now();
    await page.getByRole('button', { name: 'Run profile' }).click();
    await page.getByText('What you just asked for was not sent.').waitFor({ timeout: 3_000 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await banners.count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Run profile' }).isEnabled()).toBe(true);
    expect(await page.getByRole('progressbar').count()).toBe(0);

    // `strata serve` again on the same port: a new per-launch token, which this page does not have.
    app = await startApp(['--port', port]);
    await page
      .getByRole('alert')
      .filter({
        hasText:
          "Strata's server was restarted: open the new address it printed (the old link's token is no longer valid).",
      })
      .waitFor({ timeout: 20_000 });
    expect(await banners.count()).toBe(1);
    await screenshot(page, '12a-server-restarted');

    // The new address works.
    await page.goto(app.url);
    await waitForReport(page, 'sample-model.onnx');
    expect(await banners.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
