// Temp paths a process owns are removed however it ends: by its own exit hook on a normal exit,
// by its janitor when it is SIGKILLed (between workers, where no watchdog runs), and the janitor
// never outlives it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../fixtures/paths.js';

const root = mkdtempSync(join(tmpdir(), 'strata-temp-owner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A child that owns a temp folder with a file in it and an owned file, says where, then waits.
function ownerChild(tmp: string, exitAtOnce: boolean) {
  const code = `
    import { ownedTempDir, ownTempPath } from './electron/core/temp-owner.ts';
    import { writeFileSync } from 'node:fs';
    import { join } from 'node:path';
    const dir = await ownedTempDir('strata-owned-');
    writeFileSync(join(dir.path, 'x.npy'), 'data');
    const file = join(${JSON.stringify(tmp)}, 'loose.json');
    writeFileSync(file, '{}');
    ownTempPath(file);
    process.stdout.write(dir.path + '\\n');
    if (${exitAtOnce}) process.exit(0); else setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: REPO,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<string>((resolve) => child.stdout!.once('data', (d) => resolve(String(d).trim())));
  return { child, ready };
}

// tsx keeps its compile cache in TMPDIR (tsx-<uid>): the loader's, not the owner's.
const left = (tmp: string) => readdirSync(tmp).filter((f) => !f.startsWith('tsx-'));

function janitorsOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((p) => {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        return (
          Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid &&
          readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('owned')
        );
      } catch {
        return false;
      }
    });
}

describe('owned temp paths', () => {
  it('are removed by the janitor 5 s after their owner is SIGKILLed, and the janitor ends', async () => {
    const tmp = mkdtempSync(join(root, 'kill-'));
    const { child, ready } = ownerChild(tmp, false);
    const dir = await ready;
    expect(existsSync(join(dir, 'x.npy'))).toBe(true);
    const janitors = janitorsOf(child.pid!);
    expect(janitors).toHaveLength(1);
    child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 5000));
    expect(left(tmp)).toEqual([]);
    expect(
      existsSync(`/proc/${janitors[0]}/cmdline`) &&
        !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${janitors[0]}/stat`, 'utf8')),
    ).toBe(false);
  });

  it('are removed on a normal exit that forgot them, with no janitor left running', async () => {
    const tmp = mkdtempSync(join(root, 'exit-'));
    const { child, ready } = ownerChild(tmp, true);
    await ready;
    await new Promise((r) => child.once('close', r));
    expect(left(tmp)).toEqual([]);
  });
});
