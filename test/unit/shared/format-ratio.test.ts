import { describe, expect, it } from 'vitest';
import { formatRange, ratioText, sizeChange } from '../../../shared/format.js';

describe('ratios against the baseline read the right way round', () => {
  it('says a file that grew is larger, with a ratio of at least 1', () => {
    expect(sizeChange(1000, 1800)).toBe('1.80× larger');
    expect(sizeChange(3610, 1000)).toBe('3.61× smaller');
    expect(sizeChange(1000, 1001)).toBe('same size');
    expect(ratioText(1, 2, 'faster', 'slower')).toBe('2.00× slower');
  });
});

describe('intervals', () => {
  it('print both bounds, or say there is none', () => {
    expect(formatRange({ low: 1.2, high: 1.349 })).toBe('1.20–1.35');
    expect(formatRange({ low: 0.7, high: 0.75 }, { digits: 3, dash: '-' })).toBe('0.700-0.750');
    expect(formatRange({ low: NaN, high: NaN })).toBe('too few samples');
    expect(formatRange({ low: NaN, high: NaN }, { none: 'too few pairs' })).toBe('too few pairs');
  });
});
