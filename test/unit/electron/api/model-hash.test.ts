// Opening a model shows it at once: model:open answers with the structure (its hash is ''), and the
// page asks model:hash for the content hash afterwards, which waits while a job measures, so a
// file streamed for hashing never runs beside timed runs (issue 12: a 1 GiB model opens in < 1 s).
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../../electron/api/handlers.js';
import { createEngine } from '../../../../electron/core/engine.js';
import { ModelCache } from '../../../../electron/core/model/open-model.js';
import { SAMPLE } from '../../../fixtures/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-model-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('model:open and model:hash', () => {
  it('opens without hashing, hashes once when asked, and waits for a running job first', async () => {
    const path = join(dir, 'model.onnx');
    copyFileSync(SAMPLE, path);
    const models = new ModelCache();
    const handlers = createApiHandlers({
      mode: 'browser',
      emit: () => {},
      opensPickedPaths: true,
      engine: createEngine({ models }),
    });
    const summary = await handlers['model:open'](path);
    expect(summary.sha256).toBe('');
    expect(summary.nodeCount).toBeGreaterThan(0);
    expect(models.stats.hashes).toBe(0);

    // A job measuring: the hash is not started until it ends.
    let finish!: () => void;
    const job = handlers.jobs.start('profile', () => new Promise<void>((resolve) => (finish = resolve)));
    let hashed: string | null = null;
    const asked = handlers['model:hash'](path).then((h) => (hashed = h));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hashed).toBeNull();
    expect(models.stats.hashes).toBe(0);
    finish();
    await job.result;
    await asked;
    expect(hashed).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    expect(await handlers['model:hash'](path)).toBe(hashed);
    expect(models.stats.hashes).toBe(1);
    await handlers.dispose();
  });

  it('hashes only a model the page may open', async () => {
    const handlers = createApiHandlers({ mode: 'browser', emit: () => {} });
    await expect(handlers['model:hash'](join(dir, 'never-opened.onnx'))).rejects.toThrow(/was not opened in Strata/);
    await handlers.dispose();
  });
});
