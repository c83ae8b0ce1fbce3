// `npm run bench`: every benchmark, one after the other. Results land in bench/results/.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const benches = ['engine-agreement.ts', 'cold-warm.ts', 'ui-frames.ts'];
let failed = 0;
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, bench), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
