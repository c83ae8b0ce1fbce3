// External data stays inside the model's folder and in regular files (issue 11 item 2): a location
// that climbs out, is absolute, links out or names a device refuses the model with one sentence,
// and a byte range past the file's end is refused rather than read.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StrataError } from '../../../../../shared/errors.js';
import { readExternalData, resolveExternalDataPath } from '../../../../../electron/core/model/external-data.js';
import { GraphBuilder } from '../../../../../electron/core/model/graph-builder.js';
import { DataType } from '../../../../../electron/core/model/onnx-proto.js';
import { summarizeModelFile } from '../../../../../electron/core/model/open-model.js';
import { readFloats } from '../../../../../electron/core/model/tensor-data.js';

const root = mkdtempSync(join(tmpdir(), 'strata-external-'));
const dir = join(root, 'model');
mkdirSync(dir);
writeFileSync(join(root, 'secret.bin'), Buffer.alloc(64, 7));
writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(16, 0));
mkdirSync(join(dir, 'sub'));
writeFileSync(join(dir, 'sub', 'w.bin'), Buffer.alloc(16, 0));
symlinkSync(join(root, 'secret.bin'), join(dir, 'link.bin'));
symlinkSync('/dev/zero', join(dir, 'zero.bin'));
execFileSync('mkfifo', [join(dir, 'fifo.bin')]);

function refusal(location: string): string {
  try {
    resolveExternalDataPath(dir, location, 'w');
  } catch (err) {
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).code).toBe('MODEL_INVALID');
    return (err as StrataError).message;
  }
  throw new Error(`"${location}" was accepted`);
}

/** A model whose initializer `w` keeps its 4 floats at `location`. */
function modelWith(location: string): string {
  const g = new GraphBuilder('ext');
  g.input('x', [1, 4]);
  g.graph.initializers.push({
    name: 'w',
    dims: [4],
    dataType: DataType.FLOAT,
    dataLocation: 1,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: '0' },
      { key: 'length', value: '16' },
    ],
  });
  g.node('Add', ['x', 'w'], 'y');
  g.output('y', [1, 4]);
  const path = join(dir, `m-${Math.random().toString(36).slice(2)}.onnx`);
  writeFileSync(path, g.toBytes(13));
  return path;
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('external data locations', () => {
  it('accepts files in the model folder and below it', () => {
    expect(resolveExternalDataPath(dir, 'weights.bin', 'w')).toBe(join(dir, 'weights.bin'));
    expect(resolveExternalDataPath(dir, 'sub/w.bin', 'w')).toBe(join(dir, 'sub', 'w.bin'));
    expect(resolveExternalDataPath(dir, 'missing.bin', 'w')).toBe(join(dir, 'missing.bin')); // reported as missing later
  });

  it('refuses locations that climb out, are absolute, or link out', () => {
    expect(refusal('../../../../etc/passwd')).toMatch(/outside the model's folder/);
    expect(refusal('sub/../../secret.bin')).toMatch(/outside the model's folder/);
    expect(refusal('/etc/passwd')).toMatch(/absolute path/);
    expect(refusal('link.bin')).toMatch(/leads outside/);
    expect(refusal('')).toMatch(/not a file name/);
  });

  it('refuses devices and pipes, even behind a link inside the folder', () => {
    expect(refusal('zero.bin')).toMatch(/leads outside|not a regular file/);
    expect(refusal('fifo.bin')).toMatch(/not a regular file/);
  });

  it('reads only the declared range, and refuses one past the end of the file', () => {
    expect(readExternalData(join(dir, 'weights.bin'), 4, 8, 'w').length).toBe(8);
    expect(() => readExternalData(join(dir, 'weights.bin'), 8, 16, 'w')).toThrow(/holds 16 bytes/);
    expect(() => readExternalData(join(dir, 'weights.bin'), -1, 4, 'w')).toThrow(/do not match/);
  });

  it('refuses a model with an escaping location when it is opened, and its weights are never read', async () => {
    await expect(summarizeModelFile(modelWith('../secret.bin'))).rejects.toThrow(/outside the model's folder/);
    await expect(summarizeModelFile(modelWith('/dev/zero'))).rejects.toThrow(/absolute path/);
    expect(() =>
      readFloats(
        {
          name: 'w',
          dims: [4],
          dataType: DataType.FLOAT,
          dataLocation: 1,
          externalData: [{ key: 'location', value: '../secret.bin' }],
        },
        dir,
      ),
    ).toThrow(/outside the model's folder/);
    expect((await summarizeModelFile(modelWith('weights.bin'))).externalDataBytes).toBe(16);
  });
});
