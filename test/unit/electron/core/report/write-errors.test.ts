// A failed export names its real cause per errno (the write itself mocked to fail; the free space
// mocked too, so the numbers in the sentence are known).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const failure = vi.hoisted(() => ({ code: 'ENOSPC' as string }));
vi.mock('../../../../../electron/core/atomic-write.js', () => ({
  writeFileAtomic: vi.fn(async (path: string) => {
    throw Object.assign(new Error(`${failure.code}: simulated, write '${path}'`), { code: failure.code });
  }),
}));
vi.mock('node:fs/promises', async (original) => ({
  ...(await original<typeof import('node:fs/promises')>()),
  statfs: vi.fn(async () => ({ bavail: 768, bsize: 4096 })), // 3 MB free
}));

const { writeOutputFile } = await import('../../../../../electron/core/report/write-exports.js');

const dir = mkdtempSync(join(tmpdir(), 'strata-write-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function messageFor(code: string, bytes = 40 * 1024 * 1024): Promise<string> {
  failure.code = code;
  const err = await writeOutputFile(join(dir, 'out.onnx'), new Uint8Array(bytes)).catch(
    (e: Error & { code: string }) => e,
  );
  expect(err).toMatchObject({ code: 'IO_ERROR' });
  return (err as Error).message;
}

describe('writeOutputFile errors', () => {
  it('says the disk is full and how much to free', async () => {
    expect(await messageFor('ENOSPC')).toBe(
      `The disk is full: "${join(dir, 'out.onnx')}" needs 40 MB and 3 MB are free there. Free at least 37 MB, or choose another folder.`,
    );
  });

  it('says a quota is used up', async () => {
    expect(await messageFor('EDQUOT')).toMatch(
      /^Your disk quota is used up: .* needs 40 MB and 3 MB are free there\. Free at least 37 MB, or choose another folder\.$/,
    );
  });

  it('says a read-only file system is read-only', async () => {
    expect(await messageFor('EROFS')).toBe(
      `Could not write "${join(dir, 'out.onnx')}": the folder "${dir}" is on a read-only file system. Choose a folder on a writable disk.`,
    );
  });

  it.each(['EACCES', 'EPERM'])('says %s is a missing permission', async (code) => {
    expect(await messageFor(code)).toBe(
      `Could not write "${join(dir, 'out.onnx')}": you have no permission to write there. Choose another folder, or change the permissions of "${dir}".`,
    );
  });

  it('never blames permissions for a full disk', async () => {
    expect(await messageFor('ENOSPC', 1)).not.toMatch(/writable|permission/);
  });
});
