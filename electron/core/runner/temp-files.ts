/**
 * Files a worker leaves in the temp folder that are not Strata's to keep. onnxruntime (its
 * telemetry logger) creates an empty `mat-debug-<pid>.log` there in every process that makes a
 * session and never removes it: over a day of profiling, hundreds of them.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Removes the worker `pid`'s onnxruntime telemetry log. Nearly always empty; now and then its
 * logger thread has written a line by the time the worker ends (the fuzz suite saw one in 1000
 * runs), which is no reason to leave one more file in the temp folder.
 */
export function removeOrtLitter(pid: number): void {
  rmSync(join(tmpdir(), `mat-debug-${pid}.log`), { force: true });
}
