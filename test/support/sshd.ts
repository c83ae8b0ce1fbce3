// A real OpenSSH server on 127.0.0.1 playing an edge device, for the devices tests: Debian's sshd on
// a free unprivileged port, with host and user keys made by ssh-keygen in a temp folder, and the
// device's own HOME (a ForceCommand wrapper sets HOME and PATH, then runs the command as sshd would),
// so whatever Strata deploys there lands in the temp folder. Also writes the ssh_config the client
// side uses (STRATA_SSH_CONFIG): identity, port, and a known_hosts holding the server's key.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** A running test device. */
export interface SshDevice {
  readonly port: number;
  readonly dir: string; // everything of this device: keys, config, HOME
  readonly home: string; // the device's HOME
  /** ssh_config for the client: point STRATA_SSH_CONFIG at it. */
  readonly sshConfig: string;
  /** The `ssh://` address to add the device with. */
  readonly url: string;
  readonly sshd: ChildProcess;
  /** Processes on the machine whose command line names this device's HOME (left-over engine or worker). */
  processes(): string[];
  /** SIGKILLs sshd's per-connection processes: every connection to the device drops at once. */
  dropConnections(): void;
  /** Stops sshd and removes the folder. */
  stop(): Promise<void>;
}

/** Options of a test device. */
export interface SshDeviceOptions {
  /** Leave Node off the device's PATH (a device without Node). */
  readonly withoutNode?: boolean;
  /** Write a known_hosts holding a different key for this address (a changed host key). */
  readonly wrongHostKey?: boolean;
}

const TOOLS = [
  'sh',
  'bash',
  'uname',
  'mkdir',
  'rm',
  'mv',
  'tar',
  'cat',
  'ls',
  'test',
  'printf',
  'echo',
  'env',
  'sleep',
];

/** Starts a test device as the current user (root in CI: sshd's privilege separation) with /usr/sbin/sshd. */
export async function startSshDevice(options: SshDeviceOptions = {}): Promise<SshDevice> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-device-'));
  chmodSync(dir, 0o755);
  const home = join(dir, 'home');
  mkdirSync(home);
  const keygen = (file: string, comment: string) =>
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { stdio: 'ignore' });
  keygen(join(dir, 'host_key'), 'device host');
  keygen(join(dir, 'user_key'), 'strata test user');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
  chmodSync(join(dir, 'authorized_keys'), 0o600);

  // The device's PATH: the system's, or a folder of the few tools a device without Node still has.
  let path = '/usr/local/bin:/usr/bin:/bin';
  if (options.withoutNode) {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const tool of TOOLS) if (existsSync(`/usr/bin/${tool}`)) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
    path = bin;
  }
  const wrapper = join(dir, 'session.sh');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexport HOME='${home}' PATH='${path}'\ncd "$HOME" || exit 1\nexec /bin/sh -c "$SSH_ORIGINAL_COMMAND"\n`,
  );
  chmodSync(wrapper, 0o755);
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `ListenAddress 127.0.0.1`,
      `Port ${port}`,
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PermitRootLogin prohibit-password`,
      `PasswordAuthentication no`,
      `KbdInteractiveAuthentication no`,
      `UsePAM no`,
      `StrictModes no`,
      `ForceCommand ${wrapper}`,
      `LogLevel ERROR`,
      '',
    ].join('\n'),
  );
  try {
    mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege separation folder (as root)
  } catch {
    // not root: sshd then serves only this user, and the folder may exist already
  }
  const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  sshd.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await waitForPort(port, () => (sshd.exitCode !== null ? `sshd exited: ${log}` : null));

  const hostKey = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  let known = `[127.0.0.1]:${port} ${hostKey}\n`;
  if (options.wrongHostKey) {
    keygen(join(dir, 'other_key'), 'not the device');
    const other = readFileSync(join(dir, 'other_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    known = `[127.0.0.1]:${port} ${other}\n`;
  }
  writeFileSync(join(dir, 'known_hosts'), known);
  const sshConfig = join(dir, 'ssh_config');
  writeFileSync(
    sshConfig,
    [
      'Host *',
      `  IdentityFile ${join(dir, 'user_key')}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
      '  GlobalKnownHostsFile /dev/null',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, 'user_key'), 0o600);

  const children = () => {
    try {
      return execFileSync('ps', ['-o', 'pid=', '--ppid', String(sshd.pid)], { encoding: 'utf8' })
        .split('\n')
        .map((s) => Number(s.trim()))
        .filter((n) => n > 0);
    } catch {
      return []; // ps exits 1 when there are none
    }
  };
  return {
    port,
    dir,
    home,
    sshConfig,
    url: `ssh://${userInfo().username}@127.0.0.1:${port}`,
    sshd,
    processes: () =>
      execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes(home) && !line.includes('ps -eo')),
    dropConnections: () => {
      for (const pid of children()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    stop: async () => {
      if (sshd.exitCode === null) {
        const exited = new Promise((resolve) => sshd.once('exit', resolve));
        sshd.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port the kernel just gave out and took back: free for sshd a moment later. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, failed: () => string | null): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    const why = failed();
    if (why) throw new Error(why);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on 127.0.0.1:${port} within 5 s.`);
}
