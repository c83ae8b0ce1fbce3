import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTokenFile } from '../../../../../electron/core/generate/run-generate.js';
import { explainGenerateRunError } from '../../../../../electron/core/runner/generate-errors.js';

// onnxruntime's words for a position past a 64-row table (as onnxruntime-node 1.22 gives them).
const gather = new Error(
  "Non-zero status code returned while running Gather node. Name:'/model/embed_positions/Gather' Status Message: indices element out of data bounds, idx=64 must be within the inclusive range [-64,63]",
);

describe('a failed decoder pass', () => {
  it('says the context is probably past the position table when no config states the limit', () => {
    const e = explainGenerateRunError(gather, 65, null, '"model.onnx"', '1.22.0');
    expect(e.message).toMatch(
      /^"model\.onnx" failed at a context of 65 tokens, probably longer than its position table/,
    );
    expect(e.message).toMatch(
      /pass shorter --prompt-lengths, --new-tokens or --context, or put the export's config\.json/,
    );
    expect(e.message).not.toMatch(/--shape|Run settings/);
  });

  it('names the draft, and drops the --shape advice generate has no flag for', () => {
    const e = explainGenerateRunError(new Error('some kernel failed'), 40, 2048, 'the draft "model.onnx"', '1.22.0');
    expect(e.message).toMatch(/The draft "model\.onnx" was at a context of 40 tokens/);
    expect(e.message).not.toMatch(/--shape/);
  });
});

describe('a prompt file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-token-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('with broken JSON says it does not parse, not that a token id is bad', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '[1, 2, {oops');
    await expect(readTokenFile(path, 256)).rejects.toThrow(/starts with "\[" but does not parse as JSON/);
  });

  it('reads a JSON array and whitespace-separated ids alike', async () => {
    writeFileSync(join(dir, 'a.json'), '[1, 2, 3]');
    writeFileSync(join(dir, 'b.txt'), '1 2\n3');
    expect(await readTokenFile(join(dir, 'a.json'), 256)).toEqual([1, 2, 3]);
    expect(await readTokenFile(join(dir, 'b.txt'), 256)).toEqual([1, 2, 3]);
  });
});
