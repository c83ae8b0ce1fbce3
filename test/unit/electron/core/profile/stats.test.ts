import { describe, expect, it } from 'vitest';
import { latencyNoise, otherCpuCores } from '../../../../../electron/core/profile/stats.js';
import type { TimingCpu } from '../../../../../electron/core/runner/protocol.js';

// Ten steady runs and three stalls: CV well above the 10% that makes a pass noisy.
const noisy = [1, 1, 1, 1.01, 0.99, 1, 1, 1.02, 0.98, 1, 3, 3.5, 4];

describe('latencyNoise', () => {
  it('blames other programs when they were measured busy', () => {
    const cpu: TimingCpu = { wallMs: 1000, ownCpuMs: 1000, machineBusyMs: 1900, cores: 2 };
    const noise = latencyNoise(noisy, cpu);
    expect(noise.otherCpuCores).toBeCloseTo(0.9, 5);
    expect(noise.warning).toMatch(/other processes kept 0\.9 of 2 cores busy/);
  });

  it('does not claim a quiet machine when the pass was too short to tell', () => {
    const cpu: TimingCpu = { wallMs: 40, ownCpuMs: 40, machineBusyMs: 40, cores: 2 };
    expect(otherCpuCores(cpu)).toBeNull();
    const noise = latencyNoise(noisy, cpu);
    expect(noise.warning).toMatch(
      /too short for Strata to tell whether other processes were busy: other programs, frequency scaling/,
    );
    expect(noise.warning).not.toMatch(/no other process busy/);
  });

  it('names the remaining suspects when the machine was measured quiet', () => {
    const cpu: TimingCpu = { wallMs: 1000, ownCpuMs: 1000, machineBusyMs: 1010, cores: 2 };
    const noise = latencyNoise(noisy, cpu);
    expect(noise.warning).toMatch(/with no other process busy: frequency scaling/);
  });

  it('stays quiet about steady runs', () => {
    const steady = Array.from({ length: 60 }, (_, i) => 1 + (i % 3) * 0.002);
    expect(latencyNoise(steady, null).warning).toBeNull();
  });
});
