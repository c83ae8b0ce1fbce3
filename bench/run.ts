// `npm run bench`: every benchmark, one after the other. Results land in bench/results/. A bench
// that misses a goal it states exits non-zero (and says which goal); so does this runner, naming it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const benches = [
  'engine-agreement.ts',
  'cold-warm.ts',
  'machine-agreement.ts',
  'trace-analysis.ts',
  'big-profile.ts',
  'inspect.ts',
  'ui-frames.ts',
  'app-vs-cli.ts',
  'compare-verdicts.ts',
  'generate.ts',
];
const failed: string[] = [];
for (const bench of benches) {
  console.log(`\n== ${bench}`);
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, bench), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  if (run.status !== 0) failed.push(`${bench} (${run.signal ? `stopped by ${run.signal}` : `exit ${run.status}`})`);
}
if (failed.length) {
  console.log(`\nmissed a goal or failed: ${failed.join(', ')}; see the GOAL MISSED lines above.`);
  process.exitCode = 1;
} else {
  console.log('\nevery bench met its goals.');
}
