import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { startSystemSampler } from '../../../../../electron/core/profile/system-sampler.js';

describe('the system sampler', () => {
  it('reads CPU load per core from the OS counters, from its first sample on', async () => {
    const sampler = startSystemSampler({ intervalMs: 50, pid: process.pid });
    const end = Date.now() + 300;
    while (Date.now() < end); // keep one core busy: the sample after this loop covers it
    await new Promise((resolve) => setTimeout(resolve, 1500)); // time for samples after the loop, even on a loaded machine
    const trace = await sampler.stop();
    expect(trace.samples.length).toBeGreaterThanOrEqual(2);
    for (const s of trace.samples) {
      expect(s.cpuLoadPerCore).toHaveLength(os.cpus().length);
      for (const load of s.cpuLoadPerCore) expect(load >= 0 && load <= 100).toBe(true);
    }
    expect(Math.max(...trace.samples.flatMap((s) => s.cpuLoadPerCore))).toBeGreaterThan(0);
    if (process.platform === 'linux') expect(trace.samples.some((s) => (s.workerRssBytes ?? 0) > 0)).toBe(true);
  });
});
