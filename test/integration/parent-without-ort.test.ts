// Only the inference worker loads onnxruntime's native binding: the CLI, the server and Electron's
// main process run the engine without it, so a native crash, its memory and its threads stay in the
// worker. Checked on this very process after it listed the EPs, profiled a model and served the app.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultPlan } from '../../shared/plan.js';
import { profileModel } from '../../electron/core/profile/profiler.js';
import { listExecutionProviders } from '../../electron/core/runner/eps.js';
import { SAMPLE } from '../fixtures/paths.js';

const loadedOnnxruntime = () =>
  readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .filter((line) => /onnxruntime/i.test(line));

describe.runIf(process.platform === 'linux')('the parent process', () => {
  it('lists the EPs and profiles a model without loading onnxruntime itself', async () => {
    const eps = await listExecutionProviders({ refresh: true });
    expect(eps.find((e) => e.name === 'cpu')?.usable).toBe(true);
    const report = await profileModel(
      SAMPLE,
      { ...defaultPlan(), timedRuns: 3, profiledRuns: 1, warmupRuns: 1 },
      { roofline: false, machineProbe: false },
    );
    expect(report.layers.length).toBeGreaterThan(0);
    expect(report.device.onnxruntimeVersion).toMatch(/^\d+\.\d+/);
    expect(loadedOnnxruntime()).toEqual([]);
  });
});
