import { describe, expect, it } from 'vitest';
import { renderBar } from '../../../../electron/cli/progress-bar.js';

const progress = {
  phase: 'timing' as const,
  done: 1,
  total: 2,
  message: 'Timed run 1 of 2',
  fraction: 0.5,
  etaMs: null,
};

describe('the progress bar', () => {
  it('keeps the whole message when the terminal reports no width', () => {
    expect(renderBar(progress, 0)).toBe('[#####-----]  50%  Timed run 1 of 2');
  });

  it('stays one column short of a narrow terminal', () => {
    expect(renderBar(progress, 20)).toHaveLength(19);
  });
});
