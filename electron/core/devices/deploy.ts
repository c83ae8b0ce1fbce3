/**
 * Getting a device ready: ask it what it is (OS, CPU, Node), then put Strata's engine, and later
 * each model, into `~/.cache/strata/` there, once. A folder is unpacked beside its final place and
 * renamed into it, and a marker file written last says it is whole: an upload cut off halfway is
 * simply done again next time.
 */
import { StrataError } from '../../../shared/errors.js';
import { deviceAddress, type DeviceCheck } from '../../../shared/devices.js';
import { engineBundle } from './engine-bundle.js';
import { explainSshFailure, runSsh, shellQuote, spawnSsh, SSH_FAILED, sshMissing, type SshTarget } from './ssh.js';
import { TAR_END_SENTINEL, writeTar, type TarEntry } from './tar-stream.js';

/** Strata's folder on a device, relative to its HOME. */
export const REMOTE_ROOT = '.cache/strata';
/** The oldest Node the engine runs on (package.json's engines says 20.19; 20 is what we ask for). */
// The engine's own floor (package.json engines: AbortSignal.any, fs APIs the CLI uses).
const MIN_NODE = { major: 20, minor: 19 };
const MARKER = '.strata-complete';

/** What a device said about itself. */
export interface DeviceProbe {
  readonly os: string; // uname -s
  readonly machine: string; // uname -m
  readonly home: string; // $HOME there: the engine's paths are absolute
  readonly node: {
    readonly version: string;
    readonly platform: string;
    readonly arch: string;
    readonly cpu: string;
    readonly threads: number;
    readonly memoryBytes: number;
  } | null;
}

// One round trip: uname, then Node's own view of the machine when there is a Node.
const PROBE = [
  'printf "os=%s\\n" "$(uname -s)"',
  'printf "machine=%s\\n" "$(uname -m)"',
  'printf "home=%s\\n" "$HOME"',
  'if command -v node >/dev/null 2>&1; then node -e ' +
    shellQuote(
      'const o=require("os");const c=o.cpus();console.log("node="+JSON.stringify({version:process.version,platform:process.platform,arch:process.arch,cpu:(c[0]||{}).model||"",threads:c.length,memoryBytes:o.totalmem()}))',
    ) +
    '; fi',
].join('; ');

/** Connects to `target` and asks what it is; throws DEVICE_UNAVAILABLE (with what to do) when it cannot. */
export async function probeDevice(target: SshTarget): Promise<DeviceProbe> {
  const result = await runSsh(target, PROBE);
  if (result.code === SSH_FAILED || !/^os=/m.test(result.stdout)) throw explainSshFailure(target, result.stderr);
  const field = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(result.stdout)?.[1]?.trim() ?? '';
  const nodeJson = field('node');
  let node: DeviceProbe['node'];
  try {
    node = nodeJson ? (JSON.parse(nodeJson) as DeviceProbe['node']) : null;
  } catch {
    node = null; // a `node` that is not Node.js
  }
  return { os: field('os'), machine: field('machine'), home: field('home'), node };
}

/** Throws DEVICE_UNAVAILABLE saying how to install Node when the device has none, or one too old. */
export function assertNode(target: SshTarget, probe: DeviceProbe): NonNullable<DeviceProbe['node']> {
  const [major = 0, minor = 0] = (/^v(\d+)\.(\d+)/.exec(probe.node?.version ?? '') ?? []).slice(1).map(Number);
  if (probe.node && (major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor)))
    return probe.node;
  const found = probe.node ? `has Node ${probe.node.version}` : 'has no Node.js on its PATH';
  const how =
    probe.os === 'Darwin'
      ? '`brew install node@22`'
      : 'the NodeSource packages (https://github.com/nodesource/distributions: `curl -fsSL https://deb.nodesource.com/setup_22.x | sudo -E bash - && sudo apt-get install -y nodejs`) or `nvm install 22`';
  return fail(
    `Device "${target.name}" (${deviceAddress(target)}) ${found}; Strata's engine needs Node ${MIN_NODE.major}.${MIN_NODE.minor} or newer there (nothing else). Install it with ${how}, then run \`strata devices check ${target.name}\`.`,
  );
}

function fail(message: string): never {
  throw new StrataError('DEVICE_UNAVAILABLE', message);
}

/**
 * Puts `entries` into `$HOME/<dir>` on the device unless a whole copy is there already; resolves
 * with whether it sent anything. One connection: the device answers "have" or "need" before a byte
 * is sent.
 */
export async function uploadOnce(
  target: SshTarget,
  dir: string,
  entries: readonly TarEntry[],
  signal?: AbortSignal,
): Promise<boolean> {
  if (signal?.aborted) throw new StrataError('RUN_CANCELLED', 'The upload was cancelled.');
  const d = `"$HOME"/${shellQuote(dir)}`;
  const script = [
    `if [ -f ${d}/${MARKER} ]; then echo have; exit 0; fi`,
    'echo need',
    `t=${d}.partial-$$`,
    'b=${t##*/}',
    'rm -rf "$t" && mkdir -p "$t"',
    'tar -xf - -C "$t" || { rm -rf "$t"; exit 3; }',
    // A stream cut off between two files unpacks without error: only the last entry proves it whole.
    `[ -f "$t"/${TAR_END_SENTINEL} ] || { rm -rf "$t"; echo 'the upload was cut off' >&2; exit 3; }`,
    // The marker last, then one rename: the folder appears whole or not at all.
    `: > "$t"/${MARKER}`,
    `if [ ! -f ${d}/${MARKER} ]; then rm -rf ${d}; mv "$t" ${d}; fi`,
    // Another upload of the same content won the race: its copy stays, this one goes.
    `rm -rf "$t" ${d}/"$b"`,
    `[ -f ${d}/${MARKER} ] && echo done`,
  ].join('\n');
  const child = spawnSsh(target, script);
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-20_000)));
  child.stdin.on('error', () => {}); // reported through the exit code
  const onAbort = () => child.kill('SIGTERM');
  signal?.addEventListener('abort', onAbort, { once: true });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (err) => reject(sshMissing(err)));
    child.on('close', (code) => resolve(code));
  });
  try {
    const answer = await new Promise<string>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        stdout += c;
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!.trim());
      });
      void exited.then(() => resolve(stdout.split('\n')[0]!.trim()));
    });
    let sent = false;
    if (answer === 'need') {
      sent = true;
      await writeTar(entries, child.stdin).catch(() => undefined); // a failure shows in the exit code
    }
    child.stdin.end();
    const code = await exited;
    if (signal?.aborted) throw new StrataError('RUN_CANCELLED', 'The upload was cancelled.');
    if (code === SSH_FAILED) throw explainSshFailure(target, stderr, sent ? 'the upload' : undefined);
    if (code !== 0 || (answer !== 'have' && !/^done$/m.test(stdout))) {
      throw new StrataError(
        'DEVICE_UNAVAILABLE',
        `Could not unpack files into ~/${dir} on device "${target.name}": ${stderr.trim().split('\n').pop() || `exit code ${code}`}. Check the free space and permissions of ~/.cache there.`,
      );
    }
    return sent;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** A device ready to run the engine: its probe and the engine's folder (relative to its HOME). */
export interface ReadyDevice {
  readonly probe: DeviceProbe;
  readonly node: NonNullable<DeviceProbe['node']>;
  readonly engineDir: string;
  readonly deployed: boolean; // sent now, rather than found there
}

/** Probes `target`, checks its Node, and deploys this engine there if it is not yet. */
export async function prepareDevice(target: SshTarget, signal?: AbortSignal): Promise<ReadyDevice> {
  const probe = await probeDevice(target);
  if (signal?.aborted) throw new StrataError('RUN_CANCELLED', 'The run was cancelled before the engine was sent.');
  const node = assertNode(target, probe);
  const bundle = engineBundle(node.platform, node.arch);
  const engineDir = `${REMOTE_ROOT}/${bundle.version}`;
  const deployed = await uploadOnce(
    target,
    engineDir,
    bundle.files.map((f) => ({ source: f.source, name: f.name })),
    signal,
  );
  return { probe, node, engineDir, deployed };
}

/** `node "$HOME/<engineDir>/bin/strata.js" ARGS...` as a shell line; `args` are quoted. */
export function remoteStrata(engineDir: string, args: readonly string[]): string {
  return `exec node "$HOME"/${shellQuote(`${engineDir}/bin/strata.js`)} ${args.map(shellQuote).join(' ')}`;
}

/** `strata devices check`: everything Strata needs on the device, deploying the engine if missing. */
export async function checkDevice(target: SshTarget): Promise<DeviceCheck> {
  const empty = {
    name: target.name,
    os: null,
    arch: null,
    cpu: null,
    threads: null,
    memoryBytes: null,
    nodeVersion: null,
    engineDir: null,
    usableEps: [],
  };
  let probe: DeviceProbe;
  try {
    probe = await probeDevice(target);
  } catch (err) {
    if (err instanceof StrataError) return { ...empty, state: 'unreachable', problem: err.message };
    throw err;
  }
  const seen = {
    ...empty,
    os: probe.os || null,
    arch: probe.machine || null,
    cpu: probe.node?.cpu || null,
    threads: probe.node?.threads ?? null,
    memoryBytes: probe.node?.memoryBytes ?? null,
    nodeVersion: probe.node?.version ?? null,
  };
  try {
    assertNode(target, probe);
  } catch (err) {
    if (err instanceof StrataError) return { ...seen, state: 'no-node', problem: err.message };
    throw err;
  }
  let ready: ReadyDevice;
  try {
    ready = await prepareDevice(target);
  } catch (err) {
    if (err instanceof StrataError) return { ...seen, state: 'unsupported', problem: err.message };
    throw err;
  }
  const eps = await runSsh(target, remoteStrata(ready.engineDir, ['eps', '--json']));
  let usableEps: string[];
  try {
    usableEps = (JSON.parse(eps.stdout) as { name: string; usable: boolean }[])
      .filter((ep) => ep.usable)
      .map((ep) => ep.name);
  } catch {
    return {
      ...seen,
      engineDir: ready.engineDir,
      state: 'unsupported',
      problem: `Strata's engine did not start on device "${target.name}": ${eps.stderr.trim().split('\n').pop() || `exit code ${eps.code}`}.`,
    };
  }
  return { ...seen, engineDir: ready.engineDir, usableEps, state: 'ok', problem: null };
}
