// A worker's peak memory is its own: on Linux a child inherits its parent's peak RSS across fork
// and exec, so a profile started by a process that once held 1.2 GiB used to report 1.2 GiB for a
// model that never passed ~100 MiB. The worker resets the kernel's high-water mark at start.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../fixtures/paths.js';

describe('peak memory of the worker', () => {
  it.runIf(process.platform === 'linux')(
    'reports a small model near its sampled RSS when the parent peaked above 1 GiB',
    () => {
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(REPO, 'test', 'fixtures', 'profile-from-big-parent.ts'), '--mib', '1200'],
        { encoding: 'utf8', cwd: REPO },
      );
      expect(run.status, run.stderr).toBe(0);
      const { peakRssBytes, sampledMaxBytes, parentMaxRssBytes } = JSON.parse(
        run.stdout.trim().split('\n').pop()!,
      ) as Record<string, number>;
      expect(parentMaxRssBytes).toBeGreaterThan(1024 ** 3);
      expect(sampledMaxBytes).toBeGreaterThan(0);
      // Within 20% of what the sampler saw (the peak can only be at or above a sample).
      expect(peakRssBytes).toBeGreaterThanOrEqual(sampledMaxBytes * 0.98);
      expect(peakRssBytes).toBeLessThan(sampledMaxBytes * 1.2);
      expect(peakRssBytes).toBeLessThan(512 * 1024 ** 2);
    },
  );
});
