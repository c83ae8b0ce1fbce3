#!/usr/bin/env node
// The `strata` command: a thin shim over the built CLI in dist/, so the command starts fast and
// needs no TypeScript tooling at run time.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/electron/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('strata: Strata is not built yet: run `npm run build` first.\n');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
