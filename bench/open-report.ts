// Opening a big saved report in the app (issue 16): writes the report file of a generated
// 50,000-layer profile, starts the built app in browser mode (`strata serve`, the same API as the
// desktop app's IPC), opens the file through the page's file input as a user would, and prints
// the time from choosing the file to the Summary tab painted, and then to the flame graph drawn
// after a click on its tab; with the page's long tasks (over 50 ms) and any page error.
// Goal: the Summary of the 50,000-layer report within 2 s, no page error. `npm run build` first.
//   npx tsx bench/open-report.ts [--layers 50000] [--by-path] [--trace FILE] [--cpu-prof FILE]
// --by-path opens it the other way, by path (`strata serve FILE`): the engine finds the file and
// the page fetches its bytes from a one-time URL; timed from the page's load (app start included).
// --trace writes a Chromium performance trace of the open (chrome://tracing, Perfetto); --cpu-prof
// the page's JavaScript CPU profile (.cpuprofile, for DevTools).
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { serializeReport } from '../electron/core/report/report-json.js';
import { makeReport } from '../test/fixtures/make-report.js';
import { launchBrowser } from '../test/e2e/harness.js';
import { startServe } from '../test/support/serve.js';

const GOAL_MS = 2000;
const { values } = parseArgs({
  options: {
    layers: { type: 'string' },
    'by-path': { type: 'boolean' },
    trace: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const layers = Number(values.layers ?? 50_000);
const dir = mkdtempSync(join(tmpdir(), 'strata-open-report-'));
const file = join(dir, `big-${layers}.strata.json`);
const report = makeReport({ layers, threads: 2, runs: 3 });
writeFileSync(file, serializeReport(report));

// A config folder kept between runs, as a user's is: the app profiles its sample model on every
// launch, and measures the machine on the first one; that is waited for (below), not timed.
const byPath = values['by-path'] === true;
const app = await startServe({
  args: byPath ? [file] : [],
  env: { STRATA_CONFIG_DIR: join(tmpdir(), 'strata-bench-config') },
});
const browser = await launchBrowser();
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Long tasks as the page sees them, from the open on.
  const observeLongTasks = `(() => { window.__long = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(Math.round(e.duration)); })
      .observe({ type: 'longtask', buffered: false }); })()`;
  if (byPath) await page.addInitScript(observeLongTasks);
  else {
    await page.goto(app.url);
    await page.getByText('Report: sample-model.onnx', { exact: false }).waitFor({ timeout: 600_000 });
    await page.evaluate(observeLongTasks);
  }
  const cdp = values.trace || values['cpu-prof'] ? await page.context().newCDPSession(page) : null;
  const traceChunks: unknown[] = [];
  if (cdp && values['cpu-prof']) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  if (cdp && values.trace) {
    cdp.on('Tracing.dataCollected', (e: { value: unknown[] }) => traceChunks.push(...e.value));
    await cdp.send('Tracing.start', {
      categories: 'devtools.timeline,v8.execute,disabled-by-default-devtools.timeline,blink.user_timing',
      transferMode: 'ReportEvents',
    });
  }
  const paintedAfter = () =>
    page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)))');
  // By path the clock starts with the page's navigation (performance.now() is 0 there).
  const t0 = byPath ? 0 : ((await page.evaluate('performance.now()')) as number);
  if (byPath) await page.goto(app.url);
  else await page.locator('#open-model-input').setInputFiles(file);
  await page.getByText(`Report: ${report.model.fileName}`, { exact: false }).waitFor({ timeout: 120_000 });
  await page.getByRole('tab', { name: 'Summary', selected: true }).waitFor();
  const summaryMs = ((await paintedAfter()) as number) - t0;
  if (cdp && values['cpu-prof']) {
    // The profile covers the open up to the Summary's paint.
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(values['cpu-prof'], JSON.stringify(profile));
  }
  const t1 = (await page.evaluate('performance.now()')) as number;
  await page.getByRole('tab', { name: 'Flame graph' }).click();
  const canvas = page.locator('.flame-chart canvas');
  while (!(Number(await canvas.getAttribute('data-rects', { timeout: 120_000 })) > 0)) await page.waitForTimeout(10);
  const flameMs = ((await paintedAfter()) as number) - t1;
  if (cdp && values.trace) {
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    writeFileSync(values.trace!, JSON.stringify({ traceEvents: traceChunks }));
  }
  const long = (await page.evaluate('window.__long')) as number[];
  console.log(
    `${layers.toLocaleString('en-US')}-layer report (${(statSync(file).size / 2 ** 20).toFixed(1)} MiB file) in the app, browser mode${byPath ? ', opened by path' : ''}:`,
  );
  console.log(
    `  ${byPath ? 'page load (strata serve FILE) -> Summary painted' : 'file chosen -> Summary painted'}: ${Math.round(summaryMs)} ms (goal: under ${GOAL_MS} ms)`,
  );
  console.log(`  Flame graph tab clicked -> flame graph drawn: ${Math.round(flameMs)} ms`);
  console.log(
    `  long tasks: ${long.length} (longest ${long.length ? Math.max(...long) : 0} ms, total ${long.reduce((a, b) => a + b, 0)} ms); page errors: ${errors.length ? errors.join(' | ') : 'none'}`,
  );
  if (summaryMs > GOAL_MS || errors.length) {
    console.log(
      `GOAL MISSED: ${errors.length ? `page errors: ${errors.join(' | ')}` : `the report took ${Math.round(summaryMs)} ms to open (goal: under ${GOAL_MS} ms)`}.`,
    );
    failed = true;
  }
} finally {
  await browser.close();
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
