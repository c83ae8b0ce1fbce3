// Devices over SSH against real OpenSSH servers on 127.0.0.1 (test/support/sshd.ts), each a
// "device" with its own HOME: the built CLI adds, checks (deploying the engine), profiles with live
// progress, is cancelled, loses its connection mid-run, meets a wrong host key and a device without
// Node, and leaves no process on the device. One device carries the engine for the whole file
// (deployed once); the others fail before any deploy.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport } from '../../electron/core/report/report-json.js';
import type { Comparison } from '../../shared/compare.js';
import type { DeviceCheck } from '../../shared/devices.js';
import { REPO, SAMPLE } from '../fixtures/paths.js';
import { startSshDevice, type SshDevice } from '../support/sshd.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let device: SshDevice;
let dir: string;
let env: NodeJS.ProcessEnv;
const FAST = ['--runs', '20', '--warmup', '1', '--profiled-runs', '2'];

/** The built CLI with the test's config folder and ssh_config; `onStderr` sees stderr as it comes. */
function strata(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; onStderr?: (all: string, pid: number) => void } = {},
) {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'strata.js'), ...args], {
    cwd: REPO,
    env: { ...env, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    options.onStderr?.(stderr, child.pid!);
  });
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

const run = (args: string[], runEnv?: NodeJS.ProcessEnv) => strata(args, { env: runEnv }).done;

/** ssh clients on this machine still connected to the device's port. */
function localSsh(): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => /\bssh\b/.test(line) && line.includes(`-p ${device.port}`));
}

/** Waits up to 15 s for the device to have no process of Strata's; returns what is left. */
async function settled(d: SshDevice): Promise<string[]> {
  for (let i = 0; i < 150 && d.processes().length; i++) await new Promise((r) => setTimeout(r, 100));
  return d.processes();
}

beforeAll(async () => {
  device = await startSshDevice();
  dir = mkdtempSync(join(tmpdir(), 'strata-devices-test-'));
  env = {
    ...process.env,
    STRATA_DEBUG: '',
    STRATA_SSH_CONFIG: device.sshConfig,
    STRATA_CONFIG_DIR: join(dir, 'config'),
  };
});

afterAll(async () => {
  await device?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('strata devices', () => {
  it('adds, lists and removes devices, and refuses bad names and addresses', async () => {
    expect((await run(['devices', 'add', 'dev1', device.url])).code).toBe(0);
    expect((await run(['devices', 'add', 'spare', 'pi@raspberrypi.local'])).code).toBe(0);
    const list = await run(['devices', 'list', '--json']);
    const devices = JSON.parse(list.stdout) as { name: string; host: string; port?: number; user?: string }[];
    expect(devices.map((d) => d.name)).toEqual(['dev1', 'spare']);
    expect(devices[0]).toMatchObject({ host: '127.0.0.1', port: device.port, user: userInfo().username });
    expect((await run(['devices', 'remove', 'spare'])).code).toBe(0);
    expect(JSON.parse((await run(['devices', 'list', '--json'])).stdout)).toHaveLength(1);

    const badName = await run(['devices', 'add', 'local', device.url]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/"local" means this machine/);
    const badAddress = await run(['devices', 'add', 'x', 'ssh://a b']);
    expect(badAddress.code).toBe(2);
    expect(badAddress.stderr).toMatch(/not an SSH address/);
    const unknown = await run(['profile', SAMPLE, '--on', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No device is named "nosuch"\. Added: dev1/);
  });

  it('checks a device: system, Node, EPs, and deploys the engine once, atomically', async () => {
    const first = await run(['devices', 'check', 'dev1', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const [check] = JSON.parse(first.stdout) as DeviceCheck[];
    expect(check).toMatchObject({
      name: 'dev1',
      state: 'ok',
      problem: null,
      os: 'Linux',
      nodeVersion: process.version,
    });
    expect(check!.usableEps).toContain('cpu');
    const engine = join(device.home, check!.engineDir!);
    expect(readFileSync(join(engine, 'package.json'), 'utf8')).toMatch(/"name": "strata"/);
    // Only this platform's onnxruntime binary travelled.
    const napi = join(engine, 'node_modules/onnxruntime-node/bin/napi-v6');
    expect(readdirSync(napi)).toEqual([process.platform]);
    expect(readdirSync(join(napi, process.platform))).toEqual([process.arch]);
    const marker = statSync(join(engine, '.strata-complete')).mtimeMs;

    const again = await run(['devices', 'check', 'dev1']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/dev1: ready/);
    expect(statSync(join(engine, '.strata-complete')).mtimeMs).toBe(marker); // not deployed twice
    expect(readdirSync(join(device.home, '.cache/strata')).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('profiles on the device with live progress, and returns the device report', async () => {
    const out = join(dir, 'one.json');
    let workerSeen: string[] = [];
    const { done } = strata(['profile', SAMPLE, '--on', 'dev1', ...FAST, '--json', out], {
      onStderr: (all) => {
        // Progress arrives while the device's worker runs, not after.
        if (workerSeen.length === 0 && /Timed run/.test(all))
          workerSeen = device.processes().filter((p) => p.includes('worker'));
      },
    });
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    expect(workerSeen.length).toBeGreaterThan(0);
    expect(result.stdout).toMatch(/== dev1: /);
    const report = parseReport(readFileSync(out, 'utf8'));
    expect(report.device.name).toBe('dev1');
    expect(report.model.path).toBe(SAMPLE);
    expect(report.latency.samplesMs).toHaveLength(20);
    expect(report.layers.length).toBeGreaterThan(0);
    expect(report.device.caches).toBeDefined(); // measured there
    const models = readdirSync(join(device.home, '.cache/strata/models'));
    expect(models).toHaveLength(1);
    expect(existsSync(join(device.home, '.cache/strata/models', models[0]!, 'sample-model.onnx'))).toBe(true);
    expect(existsSync(join(device.home, '.config/strata'))).toBe(true); // the device's own measurements
    expect(await settled(device)).toEqual([]);
  });

  it('stops the worker on the device when the profile is cancelled (Ctrl-C)', async () => {
    let sent = false;
    const { done } = strata(['profile', SAMPLE, '--on', 'dev1', '--runs', '1000000', '--json', join(dir, 'c.json')], {
      onStderr: (all, pid) => {
        if (!sent && /Timed run/.test(all)) {
          sent = true;
          process.kill(pid, 'SIGINT');
        }
      },
    });
    const result = await done;
    expect(sent).toBe(true);
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/stopped by SIGINT/);
    expect(existsSync(join(dir, 'c.json'))).toBe(false);
    expect(await settled(device)).toEqual([]);
  });

  it('says a lost connection is lost, reports no partial run, and leaves nothing on the device', async () => {
    let dropped = false;
    const { done } = strata(['profile', SAMPLE, '--on', 'dev1', '--runs', '1000000', '--json', join(dir, 'l.json')], {
      onStderr: (all) => {
        if (!dropped && /Timed run/.test(all)) {
          dropped = true;
          device.dropConnections();
        }
      },
    });
    const result = await done;
    expect(dropped).toBe(true);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /error on dev1: The connection to device "dev1" \([\w.-]+@127\.0\.0\.1:\d+\) was lost during the profile/,
    );
    expect(result.stderr).toMatch(/partial run is not reported/);
    expect(existsSync(join(dir, 'l.json'))).toBe(false);
    expect(await settled(device)).toEqual([]);
  });

  it('leaves nothing on the device when the local side is killed outright (SIGKILL)', async () => {
    let killed = false;
    const { done } = strata(['profile', SAMPLE, '--on', 'dev1', '--runs', '1000000'], {
      onStderr: (all, pid) => {
        if (!killed && /Timed run/.test(all)) {
          killed = true;
          process.kill(pid, 'SIGKILL');
        }
      },
    });
    const result = await done;
    expect(killed).toBe(true);
    expect(result.code).toBe(null); // killed: no exit code
    // Its ssh loses its stdin with it, the device's engine sees the end and stops its worker.
    expect(await settled(device)).toEqual([]);
    for (let i = 0; i < 100 && localSsh().length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(localSsh()).toEqual([]);
  });

  it('runs on two devices in parallel, one report each, and compares them side by side', async () => {
    expect((await run(['devices', 'add', 'dev2', device.url])).code).toBe(0);
    const out = join(dir, 'r.json');
    const result = await run(['profile', SAMPLE, '--on', 'dev1,dev2', ...FAST, '--json', out, '-q']);
    expect(result.code, result.stderr).toBe(0);
    const one = parseReport(readFileSync(join(dir, 'r.dev1.json'), 'utf8'));
    const two = parseReport(readFileSync(join(dir, 'r.dev2.json'), 'utf8'));
    expect([one.device.name, two.device.name]).toEqual(['dev1', 'dev2']);

    const cmpPath = join(dir, 'cmp.json');
    const cmp = await run(['compare', join(dir, 'r.dev1.json'), join(dir, 'r.dev2.json'), '--json', cmpPath]);
    expect(cmp.code, cmp.stderr).toBe(0);
    expect(cmp.stdout).toMatch(/sample-model\.onnx on dev1/);
    expect(cmp.stdout).toMatch(/sample-model\.onnx on dev2/);
    expect(cmp.stdout).toMatch(/not interleaved across devices/);
    const comparison = JSON.parse(readFileSync(cmpPath, 'utf8')) as Comparison;
    expect(comparison.kind).toBe('devices');
    expect(comparison.models.map((m) => m.device)).toEqual(['dev1', 'dev2']);
    const speed = comparison.models[1]!.speedup!;
    expect(speed.low).toBeLessThanOrEqual(speed.ratio);
    expect(speed.high).toBeGreaterThanOrEqual(speed.ratio);
    expect(await settled(device)).toEqual([]);
  });

  it('compares a model across devices in one command, with an HTML page naming each device', async () => {
    const html = join(dir, 'cmp.html');
    const result = await run([
      'compare',
      SAMPLE,
      '--on',
      'dev2,dev1',
      ...FAST,
      '--json',
      join(dir, 'on.json'),
      '--html',
      html,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const comparison = JSON.parse(readFileSync(join(dir, 'on.json'), 'utf8')) as Comparison;
    expect(comparison.kind).toBe('devices');
    expect(comparison.models.map((m) => m.label)).toEqual(['sample-model.onnx on dev2', 'sample-model.onnx on dev1']);
    expect(comparison.notes[0]).toMatch(/Runs are not interleaved across devices/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('sample-model.onnx on dev2');
    expect(page).toContain('sample-model.onnx on dev1');
    expect(await settled(device)).toEqual([]);
  });
});

describe('devices that cannot run the engine', () => {
  it('refuses a changed host key and an unknown one, saying how to accept it', async () => {
    const wrong = await startSshDevice({ wrongHostKey: true });
    try {
      const wrongEnv = { STRATA_SSH_CONFIG: wrong.sshConfig };
      expect((await run(['devices', 'add', 'moved', wrong.url], wrongEnv)).code).toBe(0);
      const changed = await run(['devices', 'check', 'moved'], wrongEnv);
      expect(changed.code).toBe(1);
      expect(changed.stdout).toMatch(/host key of device "moved" .* has CHANGED/);
      expect(changed.stdout).toMatch(/ssh-keygen -R '\[127\.0\.0\.1\]:\d+'/);
      const profile = await run(['profile', SAMPLE, '--on', 'moved'], wrongEnv);
      expect(profile.code).toBe(1);
      expect(profile.stderr).toMatch(/has CHANGED/);

      // The same server with an empty known_hosts: unknown, not accepted on the user's behalf.
      const config = join(wrong.dir, 'ssh_config_unknown');
      writeFileSync(join(wrong.dir, 'known_hosts_empty'), '');
      writeFileSync(
        config,
        readFileSync(wrong.sshConfig, 'utf8').replace(
          join(wrong.dir, 'known_hosts'),
          join(wrong.dir, 'known_hosts_empty'),
        ),
      );
      const unknown = await run(['devices', 'check', 'moved'], { STRATA_SSH_CONFIG: config });
      expect(unknown.code).toBe(1);
      expect(unknown.stdout).toMatch(
        /is not in your known_hosts.*connecting once with `ssh -p \d+ [\w.-]+@127\.0\.0\.1`/,
      );
      expect(readFileSync(join(wrong.dir, 'known_hosts_empty'), 'utf8')).toBe('');
      expect(existsSync(join(wrong.home, '.cache'))).toBe(false);
    } finally {
      await run(['devices', 'remove', 'moved']);
      await wrong.stop();
    }
  });

  it('says how to install Node on a device without it', async () => {
    const bare = await startSshDevice({ withoutNode: true });
    try {
      const bareEnv = { STRATA_SSH_CONFIG: bare.sshConfig };
      expect((await run(['devices', 'add', 'bare', bare.url], bareEnv)).code).toBe(0);
      const check = await run(['devices', 'check', 'bare', '--json'], bareEnv);
      expect(check.code).toBe(1);
      const [result] = JSON.parse(check.stdout) as DeviceCheck[];
      expect(result).toMatchObject({ state: 'no-node', nodeVersion: null, os: 'Linux' });
      expect(result!.problem).toMatch(
        /has no Node\.js on its PATH; Strata's engine needs Node 20\.19 or newer.*Install it with/,
      );
      const profile = await run(['profile', SAMPLE, '--on', 'bare'], bareEnv);
      expect(profile.code).toBe(1);
      expect(profile.stderr).toMatch(/error on bare: .*has no Node\.js/);
      expect(existsSync(join(bare.home, '.cache'))).toBe(false);
    } finally {
      await run(['devices', 'remove', 'bare']);
      await bare.stop();
    }
  });
});
