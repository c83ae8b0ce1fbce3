import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../electron/cli.js';
import { buildMlp } from '../../../support/synthetic-models.js';
import { OCR_CLS, SILERO_16K } from '../../../fixtures/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function inspectJson(path: string) {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  expect(await main(['inspect', path, '--json'])).toBe(0);
  vi.restoreAllMocks();
  return JSON.parse(out);
}

describe('strata inspect --json', () => {
  it('counts a hand-built MLP: 6 nodes and 46 parameters', async () => {
    // [8, 4, 2]: MatMul 8×4 + bias 4, Relu, MatMul 4×2 + bias 2, Identity: 32 + 4 + 8 + 2 = 46.
    const path = join(dir, 'mlp.onnx');
    writeFileSync(path, buildMlp({ sizes: [8, 4, 2], batch: 'n' }).bytes);
    const j = await inspectJson(path);
    expect(j.summary.nodeCount).toBe(6);
    expect(j.summary.parameterCount).toBe(46);
    expect(j.summary.parameterBytes).toBe(46 * 4);
    expect(j.summary.initializerCount).toBe(4);
    expect(j.summary.opHistogram).toEqual([
      { opType: 'Add', count: 2 },
      { opType: 'MatMul', count: 2 },
      { opType: 'Identity', count: 1 },
      { opType: 'Relu', count: 1 },
    ]);
    expect(j.summary.inputs).toEqual([{ name: 'x', elementType: 'float32', dims: ['n', 8] }]);
    expect(j.summary.opsets).toEqual([{ domain: '', version: 17 }]);
    expect(j.subgraphs).toEqual([]);
    expect(j.summary.sha256).toBeUndefined();
    expect(j.timeMs).toBeGreaterThan(0);
  });

  it('reads the real PP-OCR classifier: 471 nodes at opset 9 (models.json)', async () => {
    const j = await inspectJson(OCR_CLS);
    expect(j.summary.nodeCount).toBe(471);
    expect(j.summary.opsets[0].version).toBe(9);
  });

  it("lists Silero 16k's subgraphs: two branches for each of its 12 If nodes, nested ones deeper", async () => {
    const j = await inspectJson(SILERO_16K);
    const ifs = j.summary.opHistogram.find((o: { opType: string }) => o.opType === 'If').count;
    expect(ifs).toBe(12);
    expect(j.subgraphs).toHaveLength(2 * ifs);
    expect(j.summary.subgraphCount).toBe(2 * ifs);
    expect(j.subgraphs.filter((g: { depth: number }) => g.depth === 1)).toHaveLength(6); // /model/If, decoder/If, decoder/If_1
    expect(
      j.subgraphs.reduce((n: number, g: { nodeCount: number }) => n + g.nodeCount, 0) + j.summary.topLevelNodeCount,
    ).toBe(j.summary.nodeCount);
  });

  it('says in one line what is wrong with a missing model', async () => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
    expect(await main(['inspect', join(dir, 'nope.onnx')])).toBe(1);
    expect(err).toMatch(/^strata: error: There is no file at .*nope\.onnx.*Check the path\.\n$/);
  });
});
