/**
 * `strata eps`: every execution provider onnxruntime-node knows on this platform, whether it works
 * here, and if not, why and what to do.
 */
import { listExecutionProviders } from '../core/runner/eps.js';
import { parseStrict } from './args.js';

/** Runs `strata eps [--json]`; returns the exit code. */
export async function runEpsCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseStrict(argv, { json: { type: 'boolean' } });
  const eps = await listExecutionProviders();
  if (values.json) {
    process.stdout.write(JSON.stringify(eps, null, 2) + '\n');
    return 0;
  }
  const width = Math.max(...eps.map((ep) => ep.label.length));
  for (const ep of eps) {
    const status = ep.usable ? 'usable' : ep.inBinary ? 'not usable' : 'not in this build';
    const why = ep.usable ? (ep.detail ?? '') : (ep.reason ?? '');
    process.stdout.write(`${ep.label.padEnd(width)}  ${ep.name.padEnd(8)}  ${status.padEnd(17)}  ${why}\n`);
  }
  return 0;
}
