import { describe, expect, it } from 'vitest';
import { formatSeconds } from '../../../../../electron/core/runner/worker-client.js';

describe('time limits as the user set them', () => {
  it('says 0.05 s for --timeout 0.05, not a rounded 0.1 s', () => {
    expect(formatSeconds(50)).toBe('0.05 s');
    expect(formatSeconds(60_000)).toBe('60 s');
    expect(formatSeconds(2_500)).toBe('2.5 s');
    expect(formatSeconds(100)).toBe('0.1 s');
  });
});
