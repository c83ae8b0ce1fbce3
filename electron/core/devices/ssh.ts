/**
 * The system's OpenSSH client, run as a child process: it honours the user's own ssh_config,
 * agent, keys and known_hosts, and never prompts (BatchMode), so a password or an unknown host key
 * is an error with the one line that says what to do, never a hang. A changed or unknown host key
 * is refused (StrictHostKeyChecking=yes): Strata never accepts a key on the user's behalf.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { StrataError } from '../../../shared/errors.js';
import { deviceAddress, type Device } from '../../../shared/devices.js';

/** Where SSH finds a device. */
export type SshTarget = Pick<Device, 'name' | 'host' | 'user' | 'port'>;

/**
 * `STRATA_SSH_CONFIG`: an ssh_config file passed as `ssh -F` instead of ~/.ssh/config (OpenSSH
 * finds ~/.ssh from the passwd entry, not $HOME, so this is how tests and unusual setups point it
 * elsewhere). Read here only.
 */
export function sshConfigFile(): string | undefined {
  return process.env.STRATA_SSH_CONFIG || undefined;
}

/** The ssh command line that runs `remoteCommand` (a POSIX shell line) on `target`. */
export function sshArgs(target: SshTarget, remoteCommand: string): string[] {
  const config = sshConfigFile();
  return [
    ...(config ? ['-F', config] : []),
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'ConnectTimeout=15',
    // A dead link is noticed within about 30 s even when no packet says so (a device unplugged).
    '-o',
    'ServerAliveInterval=10',
    '-o',
    'ServerAliveCountMax=3',
    '-T',
    ...(target.port ? ['-p', String(target.port)] : []),
    ...(target.user ? ['-l', target.user] : []),
    '--',
    target.host,
    remoteCommand,
  ];
}

/** Starts ssh running `remoteCommand` on `target`; stdio are pipes. */
export function spawnSsh(target: SshTarget, remoteCommand: string): ChildProcessWithoutNullStreams {
  return spawn('ssh', sshArgs(target, remoteCommand), { stdio: ['pipe', 'pipe', 'pipe'] });
}

/** What a finished ssh said. */
export interface SshResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `remoteCommand` on `target` and collects its output; rejects only when ssh itself cannot start. */
export function runSsh(target: SshTarget, remoteCommand: string, stdin?: string): Promise<SshResult> {
  return new Promise((resolve, reject) => {
    const child = spawnSsh(target, remoteCommand);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-20_000)));
    child.on('error', (err) => reject(sshMissing(err)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {}); // the remote side may not read it all
    child.stdin.end(stdin ?? '');
  });
}

/** ssh exits 255 when it, not the remote command, failed. */
export const SSH_FAILED = 255;

/** The error for ssh failing to start (not installed). */
export function sshMissing(err: Error): StrataError {
  return new StrataError(
    'DEVICE_UNAVAILABLE',
    `Could not run the OpenSSH client \`ssh\` (${err.message}). Install it (apt-get install openssh-client; it ships with macOS and Windows 10+).`,
  );
}

/**
 * Turns ssh's stderr after a failed connection into one sentence saying what to do. `during` names
 * what was under way when an established connection dropped ("the profile").
 */
export function explainSshFailure(target: SshTarget, stderr: string, during?: string): StrataError {
  const where = `device "${target.name}" (${deviceAddress(target)})`;
  const hostArg = target.port ? `-p ${target.port} ${target.host}` : target.host;
  const login = `ssh ${target.port ? `-p ${target.port} ` : ''}${target.user ? `${target.user}@` : ''}${target.host}`;
  const knownName = target.port ? `'[${target.host}]:${target.port}'` : target.host;
  const first = firstMeaningfulLine(stderr);
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(stderr)) {
    return new StrataError(
      'DEVICE_UNAVAILABLE',
      `The host key of ${where} has CHANGED since you accepted it: someone may be intercepting the connection, or the device was reinstalled. If you know it was reinstalled, remove the old key with \`ssh-keygen -R ${knownName}\`, then accept the new one by connecting once with \`${login}\`.`,
      first,
    );
  }
  if (/Host key verification failed|host key is known|No .* host key is known/i.test(stderr)) {
    return new StrataError(
      'DEVICE_UNAVAILABLE',
      `The host key of ${where} is not in your known_hosts, and Strata does not accept keys for you. Check its fingerprint and accept it by connecting once with \`${login}\` (or add it with \`ssh-keyscan ${hostArg} >> ~/.ssh/known_hosts\` after verifying it).`,
      first,
    );
  }
  if (/Permission denied|Too many authentication failures/i.test(stderr)) {
    return new StrataError(
      'DEVICE_UNAVAILABLE',
      `${capitalize(where)} refused the login: Strata signs in with your SSH agent and keys, never a password. Install your key there once with \`ssh-copy-id ${target.port ? `-p ${target.port} ` : ''}${target.user ? `${target.user}@` : ''}${target.host}\`, or name the key in ~/.ssh/config (IdentityFile).`,
      first,
    );
  }
  if (/Could not resolve hostname/i.test(stderr)) {
    return new StrataError(
      'DEVICE_UNAVAILABLE',
      `The host name of ${where} does not resolve: check the address (strata devices add ${target.name} ssh://user@host) or its Host entry in ~/.ssh/config.`,
      first,
    );
  }
  if (
    /Connection refused|timed out|No route to host|Network is unreachable|Connection reset/i.test(stderr) &&
    !during
  ) {
    return new StrataError(
      'DEVICE_UNAVAILABLE',
      `Could not reach ${where}: ${first || 'the connection failed'}. Check that it is on, on the network, and runs an SSH server on that port.`,
      first,
    );
  }
  if (during) {
    return new StrataError(
      'CONNECTION_LOST',
      `The connection to ${where} was lost during ${during}${first ? ` (${first})` : ''}. Strata's engine there stops when its connection closes, or after 30 s without word from this machine, so nothing is left running; the partial run is not reported. Run it again once the device is back.`,
      first,
    );
  }
  return new StrataError(
    'DEVICE_UNAVAILABLE',
    `Could not connect to ${where}${first ? `: ${first}` : ''}. Try \`${login}\` to see what SSH says.`,
    first,
  );
}

function firstMeaningfulLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.replace(/^@+\s*|\s*@+$/g, '').trim())
    .filter(
      (l) =>
        l &&
        !/^(WARNING|IT IS POSSIBLE|Someone could|It is also possible|The fingerprint|SHA256:|Please contact|Add correct|Offending|Password authentication|Agent forwarding|Port forwarding|X11 forwarding|UpdateHostKeys)/i.test(
          l,
        ),
    );
  const pick =
    lines.find((l) =>
      /Connection|Permission|Could not|refused|timed out|Host key|host key|closed|Broken pipe|not responding/i.test(l),
    ) ?? lines[0];
  return (pick ?? '').slice(0, 300);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `text` as one POSIX shell word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
