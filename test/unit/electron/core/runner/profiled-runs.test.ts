import { describe, expect, it } from 'vitest';
import {
  MAX_TRACED_NODE_RUNS,
  PROFILED_PASS_MS,
  profiledRunCount,
} from '../../../../../electron/core/runner/profiled-runs.js';

describe('profiledRunCount', () => {
  it('stretches a fast model up to 4x the runs asked for', () => {
    expect(profiledRunCount(5, 2, 300)).toBe(20); // 300 ms / 2 ms = 150, capped at 4x
    expect(profiledRunCount(5, PROFILED_PASS_MS / 12, 300)).toBe(12);
  });

  it('keeps what was asked for a slow model', () => {
    expect(profiledRunCount(5, 80, 300)).toBe(5);
  });

  it('never lets the trace grow past its node-event budget', () => {
    expect(profiledRunCount(2, 0.5, 50_000)).toBe(2); // budget allows 2: what was asked
    expect(profiledRunCount(5, 0.5, 10_000)).toBe(MAX_TRACED_NODE_RUNS / 10_000);
  });

  it('keeps what was asked when the node count or the time is unknown', () => {
    expect(profiledRunCount(5, 1, undefined)).toBe(5);
    expect(profiledRunCount(5, 0, 100)).toBe(5);
  });
});
