import { describe, expect, it } from 'vitest';
import { ratioText, sizeChange } from '../../../shared/format.js';

describe('ratios against the baseline read the right way round', () => {
  it('says a file that grew is larger, with a ratio of at least 1', () => {
    expect(sizeChange(1000, 1800)).toBe('1.80× larger');
    expect(sizeChange(3610, 1000)).toBe('3.61× smaller');
    expect(sizeChange(1000, 1001)).toBe('same size');
    expect(ratioText(1, 2, 'faster', 'slower')).toBe('2.00× slower');
  });
});
