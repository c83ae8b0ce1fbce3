// End-to-end harness: the built app in browser mode (`strata serve`) driven by Debian's Chromium
// through playwright-core. Screenshots go to test-results/screenshots/ for people to look at.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from '../fixtures/paths.js';
import { startServe, type Serve } from '../support/serve.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(REPO, 'test-results', 'screenshots');

/** Chromium, headless, with this workplace's flags. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `End-to-end tests need Chromium at ${CHROMIUM}: install it with \`apt-get install chromium\` (or set CHROMIUM_PATH).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

/** A running `strata serve`. */
export type App = Serve;

/** Starts the built app in browser mode on a free port, with its own config folder. */
export async function startApp(args: string[] = []): Promise<App> {
  if (!existsSync(join(REPO, 'dist', 'renderer', 'index.html')))
    throw new Error('The app is not built: run `npm run build` before the e2e tests.');
  return startServe({ args });
}

/** The small laptop screen every app view is also captured at (issue 13: 1280x720 as well as 1440x900). */
export const SMALL_VIEWPORT = { width: 1280, height: 720 };

/**
 * Saves a screenshot under test-results/screenshots/NAME.png; an app page at 1440x900 is also
 * captured at 1280x720 (NAME@1280x720.png), then put back, so every view is seen at both sizes.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  const size = page.viewportSize();
  if (size?.width === 1440 && size.height === 900) {
    await page.setViewportSize(SMALL_VIEWPORT);
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}@1280x720.png`), fullPage: false });
    await page.setViewportSize(size);
    await settle(page);
  }
  return path;
}

// Two animation frames: resize observers have run and the charts have redrawn at the new size.
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))))',
  );
}

/** Waits until the report shown is of `fileName`. */
export async function waitForReport(page: Page, fileName: string, timeout = 180_000): Promise<void> {
  await page.getByText(`Report: ${fileName}`, { exact: false }).waitFor({ timeout });
}

/**
 * Opens an exported HTML file in a new page of `browser`, recording page errors and every request
 * that would leave the file (there must be none: exports open offline).
 */
export async function openOffline(
  browser: Browser,
  file: string,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!/^(file|data|blob):/.test(r.url())) requests.push(r.url());
  });
  await page.goto(`file://${file}`, { timeout: 120_000 });
  return { page, errors, requests };
}
