// Does the app measure what the CLI measures? Six alternating pairs on the sample model with the
// same (default) plan: a profile run from the app in browser mode (Chromium driving `strata serve`,
// the page live while it runs) and one from `strata profile`. Prints each pair's p50s and the ratio
// of the app's median p50 to the CLI's. Goal: within 5% on a quiet machine (the app must stay quiet
// while it measures: few progress events, no re-render). Needs `npm run build` and Chromium.
//   npx tsx bench/app-vs-cli.ts [--pairs N]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Report } from '../shared/report.js';
import { launchBrowser, startApp } from '../test/e2e/harness.js';
import { REPO, SAMPLE } from '../test/fixtures/paths.js';

const { values } = parseArgs({ options: { pairs: { type: 'string' } } });
const pairs = Number(values.pairs ?? 6);
const dir = mkdtempSync(join(tmpdir(), 'strata-bench-app-cli-'));
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

const app = await startApp();
const browser = await launchBrowser();
const rows: { app: number; cli: number; ratio: number }[] = [];
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  await page.goto(app.url);
  await page.getByText('Report: sample-model.onnx').waitFor({ timeout: 180_000 });
  const run = page.getByRole('button', { name: 'Run profile' });
  // The page may still be finishing the first launch's profile: let it.
  while ((await run.innerText()).startsWith('Running')) await new Promise((r) => setTimeout(r, 200));

  const appP50 = async (): Promise<number> => {
    await run.click();
    // The button reads "Running… N%" until the report arrives (the page's CSP forbids evaluated strings: poll its text).
    const end = Date.now() + 300_000;
    for (let t = 0; t < 50 && !(await run.innerText()).startsWith('Running'); t++)
      await new Promise((r) => setTimeout(r, 100));
    while ((await run.innerText()).startsWith('Running')) {
      if (Date.now() > end) throw new Error('The app profile took longer than 5 minutes.');
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.getByRole('button', { name: 'Export report' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /JSON/ }).click(),
    ]);
    return (JSON.parse(readFileSync((await download.path())!, 'utf8')) as Report).latency.p50Ms;
  };
  const cliP50 = (): number => {
    const json = join(dir, 'cli.json');
    const r = spawnSync(process.execPath, [join(REPO, 'bin', 'strata.js'), 'profile', SAMPLE, '--json', json, '-q'], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`strata profile failed: ${r.stderr}`);
    return (JSON.parse(readFileSync(json, 'utf8')) as Report).latency.p50Ms;
  };

  for (let i = 0; i < pairs; i++) {
    // Alternate which goes first, so a drifting machine favours neither.
    let appValue: number;
    let c: number;
    if (i % 2 === 0) {
      appValue = await appP50();
      c = cliP50();
    } else {
      c = cliP50();
      appValue = await appP50();
    }
    rows.push({ app: appValue, cli: c, ratio: appValue / c });
    console.log(
      `pair ${i + 1}: app p50 ${appValue.toFixed(3)} ms, CLI p50 ${c.toFixed(3)} ms, app/CLI ${(appValue / c).toFixed(3)}  (load average ${loadavg()[0]!.toFixed(2)})`,
    );
  }
} finally {
  await browser.close();
  await app.stop();
}
const ratio = median(rows.map((r) => r.app)) / median(rows.map((r) => r.cli));
console.log(
  `app/CLI p50 ratio (median of ${rows.length} each): ${ratio.toFixed(3)}; per pair ${rows.map((r) => r.ratio.toFixed(2)).join(', ')}`,
);
mkdirSync(join(REPO, 'bench', 'results'), { recursive: true });
writeFileSync(join(REPO, 'bench', 'results', 'app-vs-cli.json'), JSON.stringify({ ratio, rows }, null, 2));
if (Math.abs(ratio - 1) > 0.05) {
  console.log(
    `GOAL MISSED: the app's p50 is ${((ratio - 1) * 100).toFixed(1)}% off the CLI's (goal: within 5% on a quiet machine; load average now ${loadavg()[0]!.toFixed(2)}).`,
  );
  process.exitCode = 1;
}
