// The engine reads a model's file once: opening it (the app's model:open), inspecting it and
// profiling it (real onnxruntime in the worker) share one open model and one streamed hash.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPlan } from '../../shared/plan.js';
import { createEngine } from '../../electron/core/engine.js';
import { ModelCache } from '../../electron/core/model/open-model.js';
import { SAMPLE } from '../fixtures/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one engine, one read of the model', () => {
  it('opens, inspects and profiles the sample model with one structure read and one hash', async () => {
    const path = join(dir, 'sample.onnx');
    copyFileSync(SAMPLE, path);
    const models = new ModelCache();
    const engine = createEngine({ models });
    const summary = await engine.summarize(path);
    const inspection = await engine.inspect(path);
    const report = await engine.profile(
      path,
      { ...defaultPlan(), timedRuns: 3, profiledRuns: 1, warmupRuns: 1 },
      { roofline: false, machineProbe: false, system: false },
    );
    expect(models.stats).toEqual({ opens: 1, hashes: 1, hits: 2 });
    expect(report.model.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    expect(report.model.sha256).toBe(summary.sha256);
    expect(report.model.nodeCount).toBe(inspection.summary.nodeCount);
    expect(report.layers.length).toBeGreaterThan(0);
    // The graph the analysis used came from the same open model: module paths and FLOPs are there.
    expect(report.layers.some((l) => l.flops !== null && l.modulePath !== '')).toBe(true);
  });
});
