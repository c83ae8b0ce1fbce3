// The Compare view as a user drives it in Chromium against browser mode: a settings grid of
// quantized variants plus fp16, pruning and a distilled model of their own, run side by side, the
// Pareto, bar, per-layer and drift charts, exporting the comparison and the chosen model, cancel,
// and a bad model brought in.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../shared/compare.js';
import { buildDistilledSample } from '../support/synthetic-models.js';
import { summarizeModelFile } from '../../electron/core/model/open-model.js';
import { SILERO_16K } from '../fixtures/paths.js';
import { launchBrowser, openOffline, screenshot, startApp, waitForReport, type App } from './harness.js';

let app: App;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'strata-e2e-compare-'));
const distilled = join(dir, 'distilled-student.onnx');

beforeAll(async () => {
  writeFileSync(distilled, buildDistilledSample().bytes);
  app = await startApp();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (err) => pageErrors.push(err.message));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Canvas sizes drawn inside the Compare view. */
async function compareCanvases(p: Page): Promise<{ width: number; height: number }[]> {
  return p.$$eval('section[aria-label=Compare] canvas', (canvases) =>
    canvases.map((c) => ({
      width: (c as unknown as { width: number }).width,
      height: (c as unknown as { height: number }).height,
    })),
  );
}

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

/** Scrolls the Compare view so `selector` is in sight, for a screenshot. */
async function scrollTo(p: Page, selector: string): Promise<void> {
  await p.locator(selector).first().scrollIntoViewIfNeeded();
}

describe('Compare view', () => {
  it('generates a settings grid of variants, adds a distilled model, and compares them side by side', async () => {
    await page.goto(app.url);
    await waitForReport(page, 'sample-model.onnx');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await page.getByRole('heading', { name: 'Variants of sample-model.onnx' }).waitFor();

    // Grid: dynamic and static (QDQ, min-max) × per-tensor and per-channel, plus fp16 and 50% pruning.
    await page.getByRole('checkbox', { name: 'static (QDQ)' }).check();
    await expect.poll(() => page.getByRole('checkbox', { name: 'entropy' }).isEnabled()).toBe(true);
    await page.locator('#bring-model-input').setInputFiles(distilled);
    await page
      .getByRole('list', { name: 'Models brought into the comparison' })
      .getByText('distilled-student.onnx')
      .waitFor();
    await expect
      .poll(() => page.getByText(/6 variants \+ 1 of your own against the baseline: 8 models to run/).count())
      .toBe(1);
    await screenshot(page, '30-compare-grid');

    await page.getByRole('button', { name: 'Generate and compare' }).click();
    const bar = page.getByRole('progressbar', { name: 'Comparison progress' });
    await bar.waitFor();
    // Every stage shows where it is, with a bar that moves and one ETA for the whole job.
    await bar.getByText(/Generating variant \d of 6/).waitFor({ timeout: 60_000 });
    await screenshot(page, '30a-compare-progress-generating');
    await bar.getByText(/Profiling model [2-8] of 8/).waitFor({ timeout: 240_000 });
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(10);
    await bar.getByText(/for the whole comparison/).waitFor({ timeout: 60_000 });
    await screenshot(page, '30b-compare-progress-profiling');
    await bar.getByText(/Timing all 8 models in interleaved rounds/).waitFor({ timeout: 480_000 });
    await screenshot(page, '30c-compare-progress-timing');
    await bar
      .getByText(/Comparing outputs: comparing \d+ tensors of .*: [\d.]+ \w+ of [\d.]+ \w+/)
      .waitFor({ timeout: 480_000 });
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(85);
    await screenshot(page, '30d-compare-progress-outputs');
    await page.getByRole('table', { name: 'Compared models' }).waitFor({ timeout: 240_000 });
    expect(await page.getByRole('alert').count()).toBe(0);

    const rows = await tableRows(page);
    expect(rows).toHaveLength(8);
    const labels = rows.map((r) => r[0]!.replace(/^◆\s*/, ''));
    expect(labels[0]).toBe('baseline (sample-model.onnx)');
    expect(labels).toEqual(
      expect.arrayContaining([
        'int8 dynamic per-tensor asymmetric',
        'int8 dynamic per-channel asymmetric',
        'int8 static per-tensor asymmetric minmax',
        'int8 static per-channel asymmetric minmax',
        'fp16',
        'prune 50% unstructured',
        'distilled-student.onnx',
      ]),
    );
    // Every number carries its unit; sizes shrink as they should.
    for (const r of rows) {
      expect(r[1]).toMatch(/^[\d.]+ (ms|s)$/);
      expect(r[2]).toMatch(/^[\d.]+ (ms|s)–[\d.]+ (ms|s)$/); // the p50's 95% interval
      expect(r[6]).toMatch(/^[\d.]+ (B|KiB|MiB)$/);
    }
    // Speed is a verdict with its interval behind it: a ratio, or "no significant difference".
    for (const r of rows.slice(1)) expect(r[4]).toMatch(/^([\d.]+× (faster|slower)|no significant difference)$/);
    const shrink = (label: string) => Number(/([\d.]+)× smaller/.exec(rows[labels.indexOf(label)]![7]!)?.[1]);
    expect(shrink('int8 dynamic per-channel asymmetric')).toBeGreaterThan(3);
    expect(shrink('fp16')).toBeGreaterThan(1.8);
    // Quantized outputs stay close; the pruned one drifts and names where.
    const cosine = (label: string) => Number(rows[labels.indexOf(label)]![10]);
    expect(cosine('int8 dynamic per-channel asymmetric')).toBeGreaterThan(0.999);
    expect(cosine('prune 50% unstructured')).toBeLessThan(0.99);
    expect(rows[labels.indexOf('prune 50% unstructured')]!.at(-1)).toMatch(/^(encoder\/)?layer\.0\//);

    // Pareto, latency and size bars are drawn.
    await expect
      .poll(async () => (await compareCanvases(page)).filter((c) => c.width > 300 && c.height > 150).length)
      .toBeGreaterThanOrEqual(3);
    await screenshot(page, '31-compare-table');
    await scrollTo(page, 'figure:has-text("Latency against output error")');
    await screenshot(page, '32-compare-pareto-bars');
  });

  it('follows the chosen model into its per-layer deltas and where its error starts', async () => {
    await page.getByRole('table', { name: 'Compared models' }).getByText('prune 50% unstructured').click();
    await page.getByRole('heading', { name: /Layer by layer: prune 50% unstructured against the baseline/ }).waitFor();
    await page.getByRole('img', { name: 'Per-layer time change against the baseline' }).waitFor();
    await page.getByRole('img', { name: 'Error of each intermediate tensor against the baseline' }).waitFor();
    await scrollTo(page, 'h3.compare-chosen');
    await expect
      .poll(async () => (await compareCanvases(page)).filter((c) => c.width > 300).length)
      .toBeGreaterThanOrEqual(5);
    await screenshot(page, '33-compare-layers-drift');

    // The distilled model shares few tensor names; its deltas and drift still read.
    await page.getByRole('table', { name: 'Compared models' }).getByText('distilled-student.onnx').click();
    await page.getByRole('heading', { name: /Layer by layer: distilled-student\.onnx/ }).waitFor();
    await scrollTo(page, 'h3.compare-chosen');
    await screenshot(page, '34-compare-distilled');
  });

  it('exports the comparison as HTML and JSON, and the chosen model as a file that loads', async () => {
    await page.getByRole('table', { name: 'Compared models' }).getByText('int8 dynamic per-channel asymmetric').click();
    await page.getByRole('button', { name: 'Export comparison' }).click();
    const [html] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /HTML page/ }).click(),
    ]);
    const htmlFile = join(dir, html.suggestedFilename());
    await html.saveAs(htmlFile);
    const { page: page2, requests } = await openOffline(browser, htmlFile, { viewport: { width: 1200, height: 800 } });
    expect(await page2.locator('table').first().innerText()).toContain('int8 dynamic per-channel asymmetric');
    // The app's charts, drawn offline: Pareto, latency and size bars, per-layer deltas and drift.
    await expect
      .poll(async () => (await compareCanvases(page2)).filter((c) => c.width > 200 && c.height > 100).length)
      .toBeGreaterThanOrEqual(4);
    // One vocabulary: the app's "Error" (1 − cosine), never "max |err|".
    const html2 = readFileSync(htmlFile, 'utf8');
    expect(html2).toContain('Error (1 − cosine)');
    expect(html2).not.toContain('max |err|');
    expect(requests).toEqual([]);
    await screenshot(page2, '35-compare-html-export');
    await page2.close();

    await page.getByRole('button', { name: 'Export comparison' }).click();
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /JSON/ }).click(),
    ]);
    const comparison = JSON.parse(readFileSync(await json.path(), 'utf8')) as Comparison;
    expect(comparison.models).toHaveLength(8);
    expect(comparison.timing?.method).toBe('interleaved');
    for (const m of comparison.models.slice(1)) {
      expect(m.latency.p50Ms).toBeGreaterThan(0);
      expect(m.latency.p50CiMs![0]).toBeLessThanOrEqual(m.latency.p50Ms);
      expect(m.latency.p50CiMs![1]).toBeGreaterThanOrEqual(m.latency.p50Ms);
      expect(m.speedup!.low).toBeLessThanOrEqual(m.speedup!.ratio);
      expect(['faster', 'slower', 'same']).toContain(m.verdict);
      // "faster" only when the whole interval is above 1.
      if (m.verdict === 'faster') expect(m.speedup!.low).toBeGreaterThan(1);
      if (m.verdict === 'slower') expect(m.speedup!.high).toBeLessThan(1);
      expect(m.fidelity!.outputs[0]!.name).toBe('output');
      expect(m.fidelity!.outputs[0]!.cosine).toBeGreaterThan(0);
    }
    expect(comparison.layers.length).toBeGreaterThan(100);

    const [model] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export chosen model' }).click(),
    ]);
    expect(model.suggestedFilename()).toMatch(/int8-dynamic-per-channel-asymmetric\.onnx$/);
    const saved = join(dir, model.suggestedFilename());
    await model.saveAs(saved);
    // The very file that was compared, and a quantized model.
    const compared = comparison.models.find((m) => m.label === 'int8 dynamic per-channel asymmetric')!;
    expect(readFileSync(saved).equals(readFileSync(compared.path))).toBe(true);
    const summary = await summarizeModelFile(saved);
    expect(summary.opHistogram.some((o) => /DynamicQuantize|MatMulInteger/.test(o.opType))).toBe(true);
  });

  it("says what changed in a variant's compute and why it is slower, with the time each cause costs", async () => {
    await page.getByRole('table', { name: 'Compared models' }).getByText('int8 dynamic per-channel asymmetric').click();
    const rows = await tableRows(page);
    const dynamic = rows.find((r) => r[0]!.endsWith('int8 dynamic per-channel asymmetric'))!;
    // The sample's 24 weight MatMuls run int8; its 8 attention MatMuls (activation × activation) stay float.
    expect(dynamic.join(' ')).toMatch(/24 of 32 MatMul run int8, 8 stay float/);
    expect(dynamic.join(' ')).toMatch(/\b(9\d|100)%/);
    // Variants that compute nothing in int8 say so rather than "0 of 32 run int8".
    expect(rows.find((r) => r[0]!.endsWith('fp16'))!.join(' ')).toMatch(/no int8 compute: 32 of 32 MatMul in float/);
    const why = page.getByRole('region', { name: /Why is int8 dynamic per-channel asymmetric slower/ });
    await why.waitFor();
    expect(await why.innerText()).toMatch(/Fix:/);
    await scrollTo(page, 'p.compute-line');
    await screenshot(page, '39-compare-compute-and-why');
  });

  it('keeps the Pareto chart a screen high, its x axis in view, however many models', async () => {
    const pareto = page.getByRole('img', { name: 'Pareto chart of latency against output error' });
    const box = await pareto.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.height).toBeLessThanOrEqual(480);
  });

  it('draws the same view in the dark scheme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('.main > .results').evaluate((el) => el.scrollTo(0, 0));
    await expect.poll(async () => (await compareCanvases(page)).length).toBeGreaterThanOrEqual(3);
    await screenshot(page, '36-compare-dark');
    await scrollTo(page, 'h3.compare-chosen');
    await screenshot(page, '37-compare-dark-layers');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('cancels a comparison with Esc and keeps the previous results', async () => {
    await page.getByLabel('Timed runs', { exact: true }).fill('100000');
    await page.getByRole('button', { name: 'Generate and compare' }).click();
    await page.getByRole('progressbar', { name: 'Comparison progress' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByText('Comparison cancelled; the previous results are kept.').waitFor();
    await page.getByRole('progressbar', { name: 'Comparison progress' }).waitFor({ state: 'detached' });
    expect(await tableRows(page)).toHaveLength(8);
    await page.getByLabel('Timed runs', { exact: true }).fill('30');
  });

  it('names a bad model brought into the comparison and stays usable', async () => {
    const bad = join(dir, 'student.onnx');
    writeFileSync(bad, 'not a model at all\n');
    await page.locator('#bring-model-input').setInputFiles(bad);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/"student\.onnx" is not an ONNX model/);
    await screenshot(page, '38-compare-bad-model');
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    const brought = page.getByRole('list', { name: 'Models brought into the comparison' }).getByRole('listitem');
    expect(await brought.count()).toBe(1);
    expect(await brought.innerText()).toMatch(/^distilled-student\.onnx/);
    expect(await tableRows(page)).toHaveLength(8);
    expect(pageErrors).toEqual([]);
  });

  it('on a new baseline, drops the models that no longer fit, refuses them at once, and marks the old results', async () => {
    await page.locator('#open-model-input').setInputFiles(SILERO_16K);
    await page.getByRole('heading', { name: 'Variants of silero_vad_16k_op15.onnx' }).waitFor();
    await page
      .getByText(
        "Removed from your own models in Compare: distilled-student.onnx (its inputs do not match silero_vad_16k_op15.onnx's).",
      )
      .waitFor();
    expect(
      await page.getByRole('list', { name: 'Models brought into the comparison' }).getByRole('listitem').count(),
    ).toBe(0);
    // The old table stays, said to be of the other model.
    await page
      .getByRole('note')
      .filter({ hasText: 'These results compare sample-model.onnx with its variants, not silero_vad_16k_op15.onnx' })
      .waitFor();
    expect(await tableRows(page)).toHaveLength(8);
    // Bringing it back is refused before anything runs, with the input that does not fit named.
    await page.locator('#bring-model-input').setInputFiles(distilled);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(
      /distilled-student\.onnx's input "hidden" .* matches no baseline input by name/,
    );
    expect(
      await page.getByRole('list', { name: 'Models brought into the comparison' }).getByRole('listitem').count(),
    ).toBe(0);
    await screenshot(page, '38b-compare-new-baseline');
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    expect(pageErrors).toEqual([]);
  });
});
