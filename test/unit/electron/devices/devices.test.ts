// The pure parts of devices over SSH: addresses and names, ssh's failures turned into what to do,
// the unpaired speed interval of a devices comparison, the tar stream (read back by the system's
// tar), and the output names of a run on several devices.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { assertNode } from '../../../../electron/core/devices/deploy.js';
import { deviceAddress } from '../../../../shared/devices.js';
import { checkDeviceName, parseDeviceAddress } from '../../../../electron/core/devices/device-store.js';
import { unpairedSpeedup } from '../../../../electron/core/profile/unpaired-speedup.js';
import { compareDeviceReports } from '../../../../electron/core/devices/devices-comparison.js';
import type { Report } from '../../../../shared/report.js';
import { makeReport } from '../../../fixtures/make-report.js';
import { explainSshFailure, shellQuote, sshArgs } from '../../../../electron/core/devices/ssh.js';
import { TAR_END_SENTINEL, writeTar } from '../../../../electron/core/devices/tar-stream.js';
import { outputFor } from '../../../../electron/cli/profile-on-devices.js';
import { parseDeviceList } from '../../../../electron/cli/args.js';
import { createRng } from '../../../../electron/core/random.js';

const pi = { name: 'pi', host: 'raspberrypi.local', user: 'me', port: 2222 };

describe('device addresses', () => {
  it('reads ssh:// URLs, user@host, host:port, IPv6 and ssh_config aliases', () => {
    expect(parseDeviceAddress('ssh://me@pi.local:2222')).toEqual({ host: 'pi.local', user: 'me', port: 2222 });
    expect(parseDeviceAddress('me@10.0.0.7')).toEqual({ host: '10.0.0.7', user: 'me' });
    expect(parseDeviceAddress('gateway')).toEqual({ host: 'gateway' });
    expect(parseDeviceAddress('ssh://[fe80::1]:22')).toEqual({ host: 'fe80::1', port: 22 });
    // Written back the way it was given: an IPv6 host bracketed before its port.
    expect(deviceAddress({ host: 'fe80::1', port: 22 })).toBe('[fe80::1]:22');
    expect(deviceAddress({ host: 'pi.local', user: 'me', port: 2222 })).toBe('me@pi.local:2222');
  });

  it('refuses what ssh would read as an option, a path or a bad port', () => {
    for (const bad of ['-oProxyCommand=x', 'ssh://me@-x', 'a b', 'host:99999', 'ssh://host/path', '']) {
      expect(() => parseDeviceAddress(bad), bad).toThrow(/not an SSH address/);
    }
  });

  it('names devices with letters, digits, - and _, never "local"', () => {
    expect(() => checkDeviceName('pi5-lab_1')).not.toThrow();
    expect(() => checkDeviceName('local')).toThrow(/means this machine/);
    expect(() => checkDeviceName('LOCAL')).toThrow(/means this machine/);
    expect(() => checkDeviceName('a/b')).toThrow(/cannot name a device/);
    expect(parseDeviceList('pi, local,pi')).toEqual(['pi', 'local']);
    expect(() => parseDeviceList(' , ')).toThrow(/--on needs device names/);
  });
});

describe('ssh', () => {
  it('never prompts and never accepts a host key, and ends options before the host', () => {
    const args = sshArgs(pi, 'uname');
    expect(args).toEqual(expect.arrayContaining(['BatchMode=yes', 'StrictHostKeyChecking=yes']));
    expect(args.slice(-3)).toEqual(['--', 'raspberrypi.local', 'uname']);
    expect(args.join(' ')).toContain('-p 2222 -l me');
  });

  it('turns each failure into the one line that says what to do', () => {
    const changed = explainSshFailure(
      pi,
      '@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@@\nHost key verification failed.\n',
    );
    expect(changed.message).toMatch(
      /has CHANGED.*ssh-keygen -R '\[raspberrypi\.local\]:2222'.*ssh -p 2222 me@raspberrypi\.local/,
    );
    const unknown = explainSshFailure(
      pi,
      'No ED25519 host key is known for [raspberrypi.local]:2222 and you have requested strict checking.\r\nHost key verification failed.\r\n',
    );
    expect(unknown.message).toMatch(/not in your known_hosts.*ssh-keyscan -p 2222 raspberrypi\.local/);
    expect(explainSshFailure(pi, 'me@raspberrypi.local: Permission denied (publickey).').message).toMatch(
      /refused the login.*never a password.*ssh-copy-id -p 2222/,
    );
    expect(
      explainSshFailure(pi, 'ssh: connect to host raspberrypi.local port 2222: Connection refused').message,
    ).toMatch(/Could not reach device "pi".*Connection refused/);
    const lost = explainSshFailure(pi, 'Connection to raspberrypi.local closed by remote host.', 'the profile');
    expect(lost.code).toBe('CONNECTION_LOST');
    expect(lost.message).toMatch(/lost during the profile.*not reported/);
  });

  it('quotes any text as one shell word', () => {
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote("it's a $HOME `x`")}`], { encoding: 'utf8' })).toBe(
      "it's a $HOME `x`",
    );
  });
});

describe('Node on the device', () => {
  const node = (version: string) => ({
    version,
    platform: 'linux',
    arch: 'arm64',
    cpu: '',
    threads: 4,
    memoryBytes: 1,
  });
  it('takes Node 20.19 or newer, and says how to install it when missing or too old', () => {
    expect(assertNode(pi, { os: 'Linux', machine: 'aarch64', home: '/home/me', node: node('v22.3.0') }).arch).toBe(
      'arm64',
    );
    expect(() => assertNode(pi, { os: 'Linux', machine: 'aarch64', home: '/home/me', node: node('v18.19.1') })).toThrow(
      /has Node v18\.19\.1; Strata's engine needs Node 20\.19 or newer there.*nodesource/,
    );
    // 20.0 has no AbortSignal.any, which the engine uses: refused before it fails there.
    expect(() => assertNode(pi, { os: 'Linux', machine: 'aarch64', home: '/home/me', node: node('v20.2.0') })).toThrow(
      /has Node v20\.2\.0/,
    );
    expect(assertNode(pi, { os: 'Linux', machine: 'x86_64', home: '/h', node: node('v20.19.0') }).version).toBe(
      'v20.19.0',
    );
    expect(() => assertNode(pi, { os: 'Darwin', machine: 'arm64', home: '/Users/me', node: null })).toThrow(
      /has no Node\.js on its PATH.*brew install node@22/,
    );
  });
});

describe('unpaired speed of a devices comparison', () => {
  const noisy = (centre: number, n: number, seed: number) => {
    const rng = createRng(seed);
    return Array.from({ length: n }, () => centre * (1 + 0.1 * rng()));
  };

  it('finds a 2x difference and brackets it', () => {
    const s = unpairedSpeedup(noisy(10, 60, 1), noisy(5, 60, 2), 0.95);
    expect(s.ratio).toBeGreaterThan(1.9);
    expect(s.ratio).toBeLessThan(2.1);
    expect(s.low).toBeLessThan(s.ratio);
    expect(s.high).toBeGreaterThan(s.ratio);
  });

  it('brackets 1 for the same distribution, and says nothing from one run', () => {
    const s = unpairedSpeedup(noisy(10, 80, 3), noisy(10, 80, 4), 0.95);
    expect(s.low).toBeLessThan(1);
    expect(s.high).toBeGreaterThan(1);
    expect(Number.isNaN(unpairedSpeedup([1], [1, 2], 0.95).ratio)).toBe(true);
  });
});

describe('a devices comparison', () => {
  /** A report timed on `device` with `n` runs around `centreMs`. */
  const on = (device: string, n: number, centreMs: number, seed: number): Report => {
    const r = makeReport({ layers: 20, samples: n, seed });
    const rng = createRng(seed);
    const samplesMs = Array.from({ length: n }, () => centreMs * (1 + 0.05 * rng()));
    return { ...r, device: { ...r.device, name: device }, latency: { ...r.latency, samplesMs } };
  };

  it('calls a device twice as fast with enough runs, and makes no call from too few', () => {
    const enough = compareDeviceReports([on('pi', 20, 10, 1), on('jetson', 20, 5, 2)]);
    expect(enough.models[1]!.verdict).toBe('faster');
    expect(enough.notes.join(' ')).not.toMatch(/Too few timed runs/);
    // 2 and 2 runs: even the widest interval covers at most 67%, so 2x is shown but not called.
    const few = compareDeviceReports([on('pi', 2, 10, 1), on('jetson', 2, 5, 2)]);
    expect(few.models[1]!.speedup!.ratio).toBeGreaterThan(1.8);
    expect(few.models[1]!.verdict).toBe('same');
    expect(few.notes.join(' ')).toMatch(
      /Too few timed runs to call jetson faster or slower at 95\.0% confidence \(2 and 2 runs\)/,
    );
  });
});

describe('tar stream', () => {
  it('is read back byte for byte by the system tar, long paths included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-tar-'));
    try {
      const a = join(dir, 'a.bin');
      const b = join(dir, 'b.txt');
      writeFileSync(a, Buffer.from(Array.from({ length: 70_001 }, (_, i) => i % 251)));
      writeFileSync(b, 'hello\n');
      const longName = `${'deep/'.repeat(25)}b.txt`;
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      await writeTar(
        [
          { source: a, name: 'x/y/a.bin' },
          { source: b, name: longName },
        ],
        out,
      );
      const archive = join(dir, 'out.tar');
      writeFileSync(archive, Buffer.concat(chunks));
      const into = join(dir, 'into');
      execFileSync('mkdir', [into]);
      execFileSync('tar', ['-xf', archive, '-C', into]);
      expect(readFileSync(join(into, 'x/y/a.bin')).equals(readFileSync(a))).toBe(true);
      expect(readFileSync(join(into, longName), 'utf8')).toBe('hello\n');
      expect(existsSync(join(into, TAR_END_SENTINEL))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends with an entry that a stream cut off between two files lacks, though tar unpacks it without error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-tar-cut-'));
    try {
      const a = join(dir, 'a.txt');
      writeFileSync(a, 'x'.repeat(512)); // one block: the archive can be cut right after it
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      await writeTar([{ source: a, name: 'a.txt' }], out);
      const whole = Buffer.concat(chunks);
      // Header + one data block: a stream that stopped at the file boundary.
      const cut = join(dir, 'cut.tar');
      writeFileSync(cut, whole.subarray(0, 1024));
      const into = join(dir, 'into');
      execFileSync('mkdir', [into]);
      execFileSync('tar', ['-xf', cut, '-C', into]); // exits 0: the reason the sentinel exists
      expect(readFileSync(join(into, 'a.txt'), 'utf8')).toBe('x'.repeat(512));
      expect(existsSync(join(into, TAR_END_SENTINEL))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('outputs of a run on several devices', () => {
  it('keeps the path for one device and names the device before the extension for several', () => {
    expect(outputFor('/r/out.json', 'pi', false)).toBe('/r/out.json');
    expect(outputFor('/r/out.json', 'pi', true)).toBe('/r/out.pi.json');
    expect(outputFor('/r/trace', 'local', true)).toBe('/r/trace.local');
    expect(outputFor(undefined, 'pi', true)).toBeUndefined();
  });
});
