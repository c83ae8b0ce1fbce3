import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePerfStatCsv } from '../../../../../electron/core/profile/hw-counters.js';
import { REPO } from '../../../../fixtures/paths.js';

const fixture = (name: string) => readFileSync(join(REPO, 'test', 'fixtures', 'perf', name), 'utf8');

describe('perf stat parsing', () => {
  it('reads counts, IPC and the cache-miss rate where the hardware counts', () => {
    const counters = parsePerfStatCsv(fixture('bare-metal.csv'));
    expect(counters.available).toBe(true);
    expect(counters.reason).toBeNull();
    expect(counters.values.map((v) => v.event)).toEqual([
      'cache-references',
      'cache-misses',
      'LLC-load-misses',
      'instructions',
      'cycles',
      'task-clock',
      'page-faults',
      'context-switches',
    ]);
    expect(counters.values.find((v) => v.event === 'LLC-load-misses')?.value).toBe(1873302);
    expect(counters.instructionsPerCycle).toBeCloseTo(5123456789 / 3182245002, 9);
    expect(counters.cacheMissRate).toBeCloseTo(6021045 / 48211873, 9);
    expect(counters.values.find((v) => v.event === 'task-clock')).toEqual({
      event: 'task-clock',
      value: 1003.37,
      unit: 'msec',
    });
  });

  it('says plainly why there are no hardware counters in a VM, keeping the software events', () => {
    const counters = parsePerfStatCsv(fixture('vm-not-supported.csv'));
    expect(counters.available).toBe(false);
    expect(counters.reason).toMatch(/no hardware performance counters/);
    expect(counters.instructionsPerCycle).toBeNull();
    expect(counters.cacheMissRate).toBeNull();
    expect(counters.values.find((v) => v.event === 'cycles')?.value).toBeNull();
    expect(counters.values.find((v) => v.event === 'page-faults')?.value).toBeGreaterThan(0);
  });

  it('ignores lines that are not events', () => {
    expect(parsePerfStatCsv('\n# comment\nperf: some warning\n').values).toEqual([]);
  });
});
