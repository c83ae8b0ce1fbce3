// The engine a device runs for a driving Strata stops by itself when the driver goes silent: a
// link that dies unannounced closes no pipe on the device, so the remote CLI's stdin never ends.
// Here the CLI runs in --progress-jsonl mode with its stdin held open and never written to, as
// after a silent network loss; it must cancel its job and exit, saying so on its last line.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, SAMPLE } from '../fixtures/paths.js';

describe('the remote engine without a heartbeat', () => {
  it('cancels its run and exits when its driver has been silent past the heartbeat', async () => {
    const child = spawn(
      process.execPath,
      [join(REPO, 'bin', 'strata.js'), 'profile', SAMPLE, '--progress-jsonl', '--runs', '1000000', '--warmup', '0'],
      { env: { ...process.env, STRATA_HEARTBEAT_LOST_MS: '1500' }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    // stdin stays open and silent: no end, no heartbeat.
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { error?: { code: string }; report?: unknown });
    expect(code).not.toBe(0);
    expect(lines.at(-1)?.error?.code).toBe('RUN_CANCELLED');
    expect(lines.some((l) => l.report)).toBe(false);
  }, 120_000);
});
