import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  BUSY_PERCENT,
  openLoadWindow,
  processCpuMs,
  waitForQuiet,
} from '../../../../../electron/core/profile/machine-load.js';

describe('how busy other programs keep the machine', () => {
  it.runIf(process.platform === 'linux')(
    'reads a process’s CPU time from /proc, and null once it is gone',
    async () => {
      const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 600; while (Date.now() < end);']);
      await new Promise((resolve) => child.once('exit', resolve));
      expect(processCpuMs(child.pid!)).toBeNull();
      expect(processCpuMs(process.pid)).toBeGreaterThan(0);
    },
  );

  it.runIf(process.platform === 'linux')('leaves out a worker of ours even after it has exited', async () => {
    const withWorker = openLoadWindow();
    const withoutWorker = openLoadWindow();
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 700; while (Date.now() < end);']);
    withoutWorker.exclude(child.pid!);
    await new Promise((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 200)); // gone from /proc by now
    const counted = withWorker.otherCpuPercent()!;
    const left = withoutWorker.otherCpuPercent()!;
    // Read at the same moment over the same window: they differ by the worker's own CPU time.
    expect(left).toBeLessThan(counted);
  });

  it('gives a percentage of all cores, with Strata’s own processes left out', async () => {
    const window = openLoadWindow();
    window.exclude(process.pid);
    const end = Date.now() + 200;
    while (Date.now() < end); // our own work: never counted as other programs'
    const percent = window.otherCpuPercent();
    expect(percent === null || (percent >= 0 && percent <= 100)).toBe(true);
  });

  it('waits while the machine is busy and stops as soon as it is quiet', async () => {
    const readings = [80, 40, 3, 90];
    const busy: number[] = [];
    const last = await waitForQuiet({ sample: async () => readings.shift()!, onBusy: (p) => busy.push(p) });
    expect(last).toBe(3);
    expect(busy).toEqual([80, 40]);
    expect(await waitForQuiet({ attempts: 2, sample: async () => BUSY_PERCENT + 1 })).toBe(BUSY_PERCENT + 1);
    expect(await waitForQuiet({ sample: async () => null })).toBeNull();
  });
});
