/**
 * A profile on a device: the engine deployed (once per engine version), the model copied (once per
 * content hash, external data beside it), then `strata profile --progress-jsonl` run there over SSH.
 * Its progress streams back live as JSON lines and its Report comes back as the last one; the
 * device measures itself, so machine info, caches, ceilings and system samples are its own.
 *
 * Stopping: closing ssh's stdin reaches the remote CLI as end-of-input, and it cancels its job and
 * kills its worker (the same happens when the connection drops, or this process dies: sshd closes
 * the pipe; a link that goes silent instead stops it within heartbeatLostMs()). A run that ends without a report is an error, never a partial result.
 */
import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { StrataError, toErrorInfo, type ErrorInfo } from '../../../shared/errors.js';
import type { Device } from '../../../shared/devices.js';
import type { InputSource, ProfilePlan } from '../../../shared/plan.js';
import type { ProfileProgress } from '../../../shared/progress.js';
import type { Report } from '../../../shared/report.js';
import { createEngine } from '../engine.js';
import { resolveExternalDataPath } from '../model/external-data.js';
import { hashFile } from '../model/open-model.js';
import { assertExternalDataPresent } from '../model/summary.js';
import { parseReport } from '../report/report-json.js';
import { prepareDevice, REMOTE_ROOT, remoteStrata, uploadOnce } from './deploy.js';
import { HEARTBEAT_MS } from './heartbeat.js';
import { explainSshFailure, spawnSsh, SSH_FAILED, sshMissing } from './ssh.js';

/** Follow and stop a remote profile. */
export interface RemoteProfileOptions {
  readonly onProgress?: (progress: ProfileProgress) => void;
  readonly signal?: AbortSignal;
}

/** One line of the remote CLI's `--progress-jsonl` stream. */
export type RemoteLine =
  | { readonly progress: ProfileProgress }
  | { readonly report: unknown } // packed, as in a report file (shared/report-pack.ts)
  | { readonly error: ErrorInfo };

/** How long a cancelled remote run may take to stop before ssh is killed outright. */
const STOP_GRACE_MS = 10_000;

/** Profiles `modelPath` (here) with `plan` on `device`; resolves with the device's Report. */
export async function profileOnDevice(
  device: Device,
  modelPath: string,
  plan: ProfilePlan,
  options: RemoteProfileOptions = {},
): Promise<Report> {
  const { signal, onProgress } = options;
  const say = (message: string) =>
    onProgress?.({ phase: 'reading', done: 0, total: 1, message, fraction: 0, etaMs: null });
  say(`connecting to ${device.name}`);
  const ready = await prepareDevice(device, signal);
  const home = ready.probe.home;
  if (!home) throw new StrataError('DEVICE_UNAVAILABLE', `Device "${device.name}" did not say where its HOME is.`);
  cancelled(signal);

  say(`copying the model to ${device.name} (once per content)`);
  const model = await uploadModel(device, modelPath, signal);
  const inputs = await uploadInputs(device, home, plan, signal);
  cancelled(signal);
  const remotePlan: ProfilePlan = { ...plan, inputs };
  const args = [
    'profile',
    `${home}/${model}`,
    '--progress-jsonl',
    '--plan-b64',
    Buffer.from(JSON.stringify(remotePlan)).toString('base64'),
  ];
  const report = await runRemote(device, remoteStrata(ready.engineDir, args), options);
  return {
    ...report,
    // The file the user gave, here: the report opens and re-runs from this machine.
    model: { ...report.model, path: modelPath },
    device: { ...report.device, name: device.name },
  };
}

function cancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StrataError('RUN_CANCELLED', 'The profile was cancelled.');
}

// The model and its external data files into models/<hash>/, the hash covering all of them.
async function uploadModel(device: Device, modelPath: string, signal?: AbortSignal): Promise<string> {
  const summary = await createEngine().summarize(modelPath);
  assertExternalDataPresent(summary);
  const dir = dirname(summary.path);
  const locations = [...new Set(summary.externalData.map((e) => e.location))].sort();
  const files = locations.map((location) => ({
    location,
    source: resolveExternalDataPath(dir, location, location),
  }));
  let hash = summary.sha256;
  if (files.length) {
    const h = createHash('sha256').update(summary.sha256);
    for (const f of files) h.update(`\0${f.location}\0${await hashFile(f.source)}`);
    hash = h.digest('hex');
  }
  const folder = `${REMOTE_ROOT}/models/${hash}`;
  const name = basename(summary.path);
  await uploadOnce(
    device,
    folder,
    [
      { source: summary.path, name },
      ...files.map((f) => ({ source: f.source, name: f.location.replace(/\\/g, '/').replace(/^\.\//, '') })),
    ],
    signal,
  );
  return `${folder}/${name}`;
}

// Input files of the plan (.npy, .json) by content hash too; their paths in the plan become the device's.
async function uploadInputs(
  device: Device,
  home: string,
  plan: ProfilePlan,
  signal?: AbortSignal,
): Promise<Record<string, InputSource>> {
  const out: Record<string, InputSource> = {};
  for (const [name, source] of Object.entries(plan.inputs)) {
    if (source.kind !== 'file') {
      out[name] = source;
      continue;
    }
    const hash = await hashFile(source.path);
    const folder = `${REMOTE_ROOT}/inputs/${hash}`;
    const file = basename(source.path);
    await uploadOnce(device, folder, [{ source: source.path, name: file }], signal);
    out[name] = { kind: 'file', path: `${home}/${folder}/${file}` };
  }
  return out;
}

// Runs the remote CLI and reads its JSON lines until the report (or an error) arrives.
function runRemote(device: Device, command: string, options: RemoteProfileOptions): Promise<Report> {
  const { signal, onProgress } = options;
  return new Promise<Report>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new StrataError('RUN_CANCELLED', 'The profile was cancelled.'));
      return;
    }
    const child = spawnSsh(device, command);
    let report: Report | null = null;
    let remoteError: ErrorInfo | null = null;
    let stderr = '';
    let pending = '';
    let stopping = false;
    let killTimer: NodeJS.Timeout | undefined;
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-20_000)));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (!line.trim()) continue;
        let parsed: RemoteLine;
        try {
          parsed = JSON.parse(line) as RemoteLine;
        } catch {
          continue; // not ours (a login banner printed by a shell profile)
        }
        if ('progress' in parsed) onProgress?.(parsed.progress);
        else if ('report' in parsed) {
          try {
            report = parseReport(JSON.stringify(parsed.report), `The report from ${device.name}`);
          } catch (err) {
            remoteError = toErrorInfo(err);
          }
        } else if ('error' in parsed) remoteError = parsed.error;
      }
    });
    child.stdin.on('error', () => {});
    // Held open: its end is the remote CLI's signal to stop; a line every few seconds tells it this
    // side is still there (heartbeat.ts).
    const beat = setInterval(() => {
      if (!child.stdin.writableEnded && !child.stdin.destroyed) child.stdin.write('\n');
    }, HEARTBEAT_MS);
    const onAbort = () => {
      stopping = true;
      clearInterval(beat);
      child.stdin.end();
      killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => reject(sshMissing(err)));
    child.on('close', (code) => {
      clearInterval(beat);
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      if (stopping) {
        reject(
          new StrataError(
            'RUN_CANCELLED',
            `The profile on ${device.name} was cancelled; its worker there was stopped.`,
          ),
        );
      } else if (report) resolve(report);
      else if (remoteError)
        reject(new StrataError(remoteError.code, `On ${device.name}: ${remoteError.message}`, remoteError.detail));
      else if (code === SSH_FAILED) reject(explainSshFailure(device, stderr, 'the profile'));
      else {
        const last = stderr.trim().split('\n').pop();
        reject(
          new StrataError(
            'CONNECTION_LOST',
            `Strata's engine on ${device.name} stopped without a report (exit code ${code}${last ? `: ${last}` : ''}); the partial run is not reported.`,
          ),
        );
      }
    });
  });
}
