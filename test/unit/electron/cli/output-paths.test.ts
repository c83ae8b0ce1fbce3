import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertWritableOutput, assertWritableOutputs } from '../../../../electron/cli/output-paths.js';
import { strataErrorOf } from '../../../fixtures/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-outputs-'));

describe('output paths checked before a run', () => {
  it('accepts a new file, a file in folders yet to be made, and an existing file', () => {
    expect(() => assertWritableOutput('--json', join(dir, 'report.json'))).not.toThrow();
    expect(() => assertWritableOutput('--csv', join(dir, 'a', 'b', 'layers.csv'))).not.toThrow();
    writeFileSync(join(dir, 'old.json'), '{}');
    expect(() => assertWritableOutput('--json', join(dir, 'old.json'))).not.toThrow();
  });

  it('refuses a folder, naming the flag and the path', async () => {
    const err = await strataErrorOf(async () => assertWritableOutput('--html', dir));
    expect(err.code).toBe('BAD_ARGUMENT');
    expect(err.message).toBe(`--html "${dir}" is a folder. Give a file name inside it.`);
  });

  it('refuses a path under a file, naming the file in the way', async () => {
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    const err = await strataErrorOf(async () =>
      assertWritableOutputs({ '--json': undefined, '--trace': join(file, 'sub', 'trace.json') }),
    );
    expect(err.message).toMatch(
      /^--trace ".*trace\.json" cannot be created: ".*plain\.txt" is a file, not a folder\. Choose another path\.$/,
    );
  });
});
