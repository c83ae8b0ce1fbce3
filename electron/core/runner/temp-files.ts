/**
 * Files a worker leaves in the temp folder that are not Strata's to keep. onnxruntime (its
 * telemetry logger) creates an empty `mat-debug-<pid>.log` there in every process that makes a
 * session and never removes it: over a day of profiling, hundreds of them.
 */
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Removes the worker `pid`'s onnxruntime log, only while it is empty (a build may write something worth reading). */
export function removeOrtLitter(pid: number): void {
  const path = join(tmpdir(), `mat-debug-${pid}.log`);
  try {
    if (statSync(path).size === 0) rmSync(path, { force: true });
  } catch {
    // not there: nothing to do
  }
}
