import { describe, expect, it } from 'vitest';
import { containerNames, containerTimes, ownTimesUs } from '../../../shared/layer-time.js';

// An If of 416 µs whose subgraph ran a Conv of 14 µs and an inner If of 140 µs holding an LSTM of 18 µs.
const layers = [
  { name: 'If_0', meanUs: 416 },
  { name: 'Conv_3', meanUs: 14, parent: 'If_0' },
  { name: 'If_7', meanUs: 140, parent: 'If_0' },
  { name: 'LSTM_9', meanUs: 18, parent: 'If_7' },
  { name: 'Add_2', meanUs: 5 },
];

describe('nested time', () => {
  it('gives each layer its own time, so the sum is the top level time', () => {
    expect(ownTimesUs(layers)).toEqual([262, 14, 122, 18, 5]);
    expect(ownTimesUs(layers).reduce((a, b) => a + b, 0)).toBe(416 + 5);
  });

  it('names the containers, with their own time and how many layers ran directly inside', () => {
    expect([...containerNames(layers)].sort()).toEqual(['If_0', 'If_7']);
    expect(containerTimes(layers)).toEqual(
      new Map([
        ['If_0', { ownUs: 262, childCount: 2 }],
        ['If_7', { ownUs: 122, childCount: 1 }],
      ]),
    );
  });
});
