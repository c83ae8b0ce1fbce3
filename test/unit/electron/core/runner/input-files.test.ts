// Input files are read only when they are regular files of a size the input could have (issue 11
// item 4): /dev/zero would be read until memory ran out, a FIFO would block forever.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StrataError } from '../../../../../shared/errors.js';
import type { ResolvedInput } from '../../../../../shared/report.js';
import { makeInputData } from '../../../../../electron/core/runner/inputs.js';

const input: ResolvedInput = { name: 'x', elementType: 'float32', shape: [1, 4], source: 'file' };
const dir = mkdtempSync(join(tmpdir(), 'strata-input-files-'));

function errorOf(path: string): StrataError {
  try {
    makeInputData([input], { x: { kind: 'file', path } }, 1);
  } catch (err) {
    if (err instanceof StrataError) return err;
    throw err;
  }
  throw new Error('no error');
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('input files', () => {
  it('refuses a device such as /dev/zero without reading it', () => {
    const err = errorOf('/dev/zero');
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(/not a regular file/);
  });

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    const fifo = join(dir, 'pipe.npy');
    execFileSync('mkfifo', [fifo]);
    expect(errorOf(fifo).message).toMatch(/not a regular file/);
  });

  it('refuses a file far larger than the input it is for', () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, `[${'0,'.repeat(700_000)}0]`);
    expect(errorOf(big).message).toMatch(/far more than this input holds/);
  });

  it('still reads a file of the right size', () => {
    const ok = join(dir, 'ok.json');
    writeFileSync(ok, '[[1, 2, 3, 4]]');
    const [data] = makeInputData([input], { x: { kind: 'file', path: ok } }, 1);
    expect(Array.from(data!.data as Float32Array)).toEqual([1, 2, 3, 4]);
  });
});
