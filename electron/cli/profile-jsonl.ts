/**
 * The hidden `strata profile --progress-jsonl`: how a Strata on another machine drives this one over
 * SSH. Progress events, then the report (or the error), go to stdout as JSON lines; stdin reaching
 * its end (the driver cancelled, or the connection dropped and sshd closed the pipe), or going
 * silent past the heartbeat (heartbeat.ts: a link that died unannounced), cancels the job, which
 * stops the worker: nothing is left running on the device.
 */
import { toErrorInfo } from '../../shared/errors.js';
import type { ProfileProgress } from '../../shared/progress.js';
import { packReport } from '../../shared/report-pack.js';
import { createEngine } from '../core/engine.js';
import { heartbeatLostMs } from '../core/devices/heartbeat.js';
import type { RemoteLine } from '../core/devices/remote-profile.js';
import type { ProfileArgs } from './args.js';
import { withStopSignals } from './stop-signals.js';

/** Runs the profile of `args` in JSON-lines mode; returns the exit code. */
export async function runProfileJsonl(args: ProfileArgs): Promise<number> {
  const emit = (line: RemoteLine) => {
    process.stdout.write(JSON.stringify(line) + '\n');
  };
  process.stdout.on('error', () => {}); // the connection is gone: stdin's end stops the job
  const inputGone = new AbortController();
  const stop = () => inputGone.abort();
  // The driver writes a line every few seconds; silence that long means the link died unannounced.
  const lostMs = heartbeatLostMs();
  let silence = setTimeout(stop, lostMs);
  const heard = () => {
    clearTimeout(silence);
    silence = setTimeout(stop, lostMs);
  };
  process.stdin.on('data', heard).on('end', stop).on('close', stop).on('error', stop).resume();
  let last = 0;
  let lastPhase = '';
  const onProgress = (p: ProfileProgress) => {
    // At most 20 lines a second: a fast model's thousands of events would only load the link.
    const now = Date.now();
    if (p.phase === lastPhase && now - last < 50 && p.fraction < 1) return;
    last = now;
    lastPhase = p.phase;
    emit({ progress: p });
  };
  try {
    const outcome = await withStopSignals((signal) =>
      createEngine().profile(args.modelPath, args.plan, {
        onProgress,
        signal: AbortSignal.any([signal, inputGone.signal]),
      }),
    );
    if ('stoppedBy' in outcome) {
      emit({ error: { code: 'RUN_CANCELLED', message: `The profile was stopped by ${outcome.stoppedBy}.` } });
      return 130;
    }
    emit({ report: packReport(outcome.value) }); // the report file's own compact form
    return 0;
  } catch (err) {
    emit({ error: toErrorInfo(err) });
    return 1;
  } finally {
    clearTimeout(silence);
    process.stdin.off('data', heard).off('end', stop).off('close', stop).off('error', stop);
    process.stdin.destroy(); // else an open stdin keeps this process alive
  }
}
