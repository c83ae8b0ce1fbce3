// One HOME and one config folder for the whole test run, made here and removed at its end: every
// test file and every process it spawns (the CLI, `strata serve`, workers, Chromium) inherits them,
// so no test reads or writes the user's ~/.config/strata (cached ceilings, recent files, uploads),
// and nothing the user has cached feeds a test. Tests that need a config folder of their own still
// set STRATA_CONFIG_DIR themselves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Vitest global setup: runs once before the workers start; the returned function runs at the end. */
export default function isolateHome(): () => void {
  const home = mkdtempSync(join(tmpdir(), 'strata-test-home-'));
  process.env.HOME = home;
  process.env.XDG_CONFIG_HOME = join(home, '.config');
  process.env.XDG_CACHE_HOME = join(home, '.cache');
  process.env.STRATA_CONFIG_DIR = join(home, 'strata-config');
  return () => rmSync(home, { recursive: true, force: true });
}
