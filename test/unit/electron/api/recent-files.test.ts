import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPlan, type ProfilePlan } from '../../../../shared/plan.js';
import { pruneUploads, RecentFiles } from '../../../../electron/api/recent-files.js';

let saved: string | undefined;
beforeEach(() => {
  saved = process.env.STRATA_CONFIG_DIR;
  process.env.STRATA_CONFIG_DIR = mkdtempSync(join(tmpdir(), 'strata-recent-'));
});
afterEach(() => {
  process.env.STRATA_CONFIG_DIR = saved;
});

const plan: ProfilePlan = {
  ...defaultPlan(),
  shapes: { x: [1, 3, 48, 192] },
  inputs: { sr: { kind: 'scalar', value: 16000 } },
};

describe('RecentFiles', () => {
  it('keeps the run settings of a model through later opens of it and of others', async () => {
    const recent = new RecentFiles();
    await recent.add('/m/a.onnx');
    await recent.rememberPlan('/m/a.onnx', plan);
    await recent.add('/m/b.onnx');
    const list = await recent.add('/m/a.onnx'); // opened again from Recent
    expect(list.map((r) => r.path)).toEqual(['/m/a.onnx', '/m/b.onnx']);
    expect(list[0]!.lastPlan).toEqual(plan);
    expect(list[1]!.lastPlan).toBeUndefined();
    expect((await new RecentFiles().list())[0]!.lastPlan).toEqual(plan);
  });

  it('keeps an uploaded input file the last run settings read, and prunes an unreferenced upload', async () => {
    const uploads = join(process.env.STRATA_CONFIG_DIR!, 'uploads');
    for (const folder of ['model', 'input', 'stale']) mkdirSync(join(uploads, folder), { recursive: true });
    writeFileSync(join(uploads, 'input', 'x.npy'), '');
    const recent = await new RecentFiles().rememberPlan(join(uploads, 'model', 'm.onnx'), {
      ...plan,
      inputs: { x: { kind: 'file', path: join(uploads, 'input', 'x.npy') } },
    });
    const removed = await pruneUploads(recent, new Set(), uploads);
    expect(removed).toEqual([join(uploads, 'stale')]);
    expect(existsSync(join(uploads, 'input', 'x.npy'))).toBe(true);
  });
});
