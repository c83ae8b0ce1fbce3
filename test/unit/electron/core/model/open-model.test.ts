import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { GraphBuilder } from '../../../../../electron/core/model/graph-builder.js';
import { AttributeType, encodeModel } from '../../../../../electron/core/model/onnx-proto.js';
import { ModelCache, readModelSkeleton } from '../../../../../electron/core/model/open-model.js';
import { summarizeModelBytes } from '../../../../../electron/core/model/summary.js';
import { buildMlp } from '../../../../support/synthetic-models.js';
import { SILERO_16K } from '../../../../fixtures/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-open-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A model whose one weight is a 4 MiB float tensor of 1.5s, so skipped bytes are not zeros in the file. */
function writeBigWeightModel(): string {
  const g = new GraphBuilder('big');
  const x = g.input('x', [1, 1024]);
  const w = g.floatInit('w', [1024, 1024], () => 1.5);
  g.node('MatMul', [x, w], 'y', { name: '/fc/MatMul' });
  g.output('y', [1, 1024]);
  const path = join(dir, 'big.onnx');
  writeFileSync(path, g.toBytes());
  return path;
}

describe('opening a model without its weights', () => {
  it('reads the structure of a 4 MiB-weight model from about one window of the file, with exact counts', async () => {
    const path = writeBigWeightModel();
    const size = readFileSync(path).length;
    const { bytesRead } = await readModelSkeleton(path);
    expect(size).toBeGreaterThan(4 * 2 ** 20);
    expect(bytesRead).toBeLessThan(1.1 * 2 ** 20);
    const open = await new ModelCache().open(path);
    expect(open.structure.parameterCount).toBe(1024 * 1024);
    expect(open.structure.parameterBytes).toBe(4 * 1024 * 1024);
    expect(open.structure.nodeCount).toBe(1);
    // The payload was never read: its view is there, of the right length, and holds zeros, not 1.5s.
    const raw = open.model.graph.initializers[0]!.raw!;
    expect(raw.length).toBe(4 * 1024 * 1024);
    expect([...raw.subarray(2 ** 21, 2 ** 21 + 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(readFileSync(path).subarray(raw.byteOffset + 2 ** 21, raw.byteOffset + 2 ** 21 + 4)).toEqual(
      Buffer.from(new Float32Array([1.5]).buffer),
    );
  });

  it('leaves weights unread wherever a model keeps them: float_data lists and Constant nodes', async () => {
    const values = Array.from({ length: 1024 * 1024 }, (_, i) => (i % 7) + 0.5);
    // float_data: the same 4 MiB weight as a packed list of numbers instead of raw bytes.
    const g = new GraphBuilder('listed');
    const x = g.input('x', [1, 1024]);
    g.node('MatMul', [x, 'w'], 'y', { name: '/fc/MatMul' });
    g.output('y', [1, 1024]);
    const listed = g.toModel();
    listed.graph.initializers.push({ name: 'w', dims: [1024, 1024], dataType: 1, floatData: values });
    // A Constant node holding it (as some exporters write weights), inside an If's branch too.
    const c = new GraphBuilder('constant');
    const cx = c.input('x', [1, 1024]);
    const value = {
      name: 'value',
      type: AttributeType.TENSOR,
      t: { name: 'w', dims: [1024, 1024], dataType: 1, raw: new Uint8Array(new Float32Array(values).buffer) },
    };
    c.node('Constant', [], 'w', { name: '/fc/Constant' });
    c.node('MatMul', [cx, 'w'], 'y', { name: '/fc/MatMul' });
    c.output('y', [1, 1024]);
    const constant = c.toModel();
    constant.graph.nodes[0]!.attributes = [value];

    for (const [name, model] of [
      ['listed', listed],
      ['constant', constant],
    ] as const) {
      const bytes = encodeModel(model);
      const path = join(dir, `${name}.onnx`);
      writeFileSync(path, bytes);
      const { bytesRead } = await readModelSkeleton(path);
      expect(bytes.length, name).toBeGreaterThan(4 * 2 ** 20);
      expect(bytesRead, name).toBeLessThan(1.1 * 2 ** 20);
      const open = await new ModelCache().open(path);
      const whole = summarizeModelBytes(bytes, path);
      expect({ ...open.structure, sha256: whole.sha256 }, name).toEqual(whole);
      expect(open.structure.parameterCount, name).toBe(1024 * 1024);
      expect(open.structure.parameterBytes, name).toBe(4 * 1024 * 1024);
    }
    // Not decoded either: the structure holds no list of a million numbers.
    const open = await new ModelCache().open(join(dir, 'listed.onnx'));
    expect(open.model.graph.initializers[0]!.floatData).toBeUndefined();
  });

  it('summarises a real model exactly as decoding the whole file does, hash included', async () => {
    const bytes = readFileSync(SILERO_16K);
    const whole = summarizeModelBytes(bytes, SILERO_16K);
    const open = await new ModelCache().open(SILERO_16K);
    expect(await open.summary()).toEqual(whole);
    expect(whole.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(open.structure.sha256).toBe('');
  });

  it('refuses a truncated file in the same words as before', async () => {
    const path = join(dir, 'cut.onnx');
    writeFileSync(path, readFileSync(SILERO_16K).subarray(0, 200_000));
    await expect(new ModelCache().open(path)).rejects.toThrow(/truncated/);
  });
});

describe('the cache of open models', () => {
  it('reads a file once, hashes it once, and again only when it changes', async () => {
    const path = join(dir, 'mlp.onnx');
    writeFileSync(path, buildMlp({ sizes: [8, 4, 2] }).bytes);
    const cache = new ModelCache();
    const first = await cache.open(path);
    expect(await cache.open(path)).toBe(first);
    await first.summary();
    await (await cache.open(path)).summary();
    expect(cache.stats).toEqual({ opens: 1, hashes: 1, hits: 2 });
    utimesSync(path, new Date(), new Date(Date.now() + 5000)); // touched: its mtime changes
    expect(await cache.open(path)).not.toBe(first);
    expect(cache.stats.opens).toBe(2);
  });

  it('keeps no more than its capacity', async () => {
    const cache = new ModelCache(2);
    const paths = [0, 1, 2].map((i) => {
      const path = join(dir, `m${i}.onnx`);
      writeFileSync(path, buildMlp({ sizes: [4, 2], seed: i }).bytes);
      return path;
    });
    for (const p of paths) await cache.open(p);
    await cache.open(paths[0]!); // evicted: read again
    expect(cache.stats.opens).toBe(4);
  });
});
