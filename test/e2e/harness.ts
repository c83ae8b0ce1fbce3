// End-to-end harness: the built app in browser mode (`strata serve`) driven by Debian's Chromium
// through playwright-core. Screenshots go to test-results/screenshots/ for people to look at.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from '../fixtures/paths.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(REPO, 'test-results', 'screenshots');

/** Chromium, headless, with this workplace's flags. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`End-to-end tests need Chromium at ${CHROMIUM}: install it with \`apt-get install chromium\` (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** A running `strata serve`. */
export interface App {
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the built app in browser mode on a free port, with its own config folder. */
export async function startApp(args: string[] = []): Promise<App> {
  if (!existsSync(join(REPO, 'dist', 'renderer', 'index.html'))) throw new Error('The app is not built: run `npm run build` before the e2e tests.');
  const child = spawn(process.execPath, [join(REPO, 'bin', 'strata.js'), 'serve', '--no-open', '--port', '0', ...args], {
    cwd: REPO,
    env: { ...process.env, STRATA_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'strata-e2e-config-')) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`strata serve printed no URL in 30 s. stderr: ${stderr}`)), 30_000);
    child.stdout!.on('data', (d) => {
      const match = /running at (http\S+)/.exec(String(d));
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`strata serve exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Saves a full-page screenshot under test-results/screenshots/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Waits until the report shown is of `fileName`. */
export async function waitForReport(page: Page, fileName: string, timeout = 180_000): Promise<void> {
  await page.getByText(`Report: ${fileName}`, { exact: false }).waitFor({ timeout });
}
