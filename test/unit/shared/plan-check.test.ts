import { describe, expect, it } from 'vitest';
import { checkPlan, defaultPlan, PLAN_LIMITS } from '../../../shared/plan.js';
import { validatePlan } from '../../../electron/api/validate.js';
import { planFromValues } from '../../../electron/cli/args.js';

describe('one rule for every plan', () => {
  it('refuses a 50 ms run timeout from the CLI as from the API, each in the unit it was given in', () => {
    const fromCli = () => planFromValues({ timeout: '0.05' });
    const fromApi = () => validatePlan({ ...defaultPlan(), runTimeoutMs: 50 });
    expect(fromCli).toThrow('--timeout must be from 0.1 to 86400 seconds; got "0.05".');
    expect(fromApi).toThrow(/The run timeout \(ms\) must be a whole number from 100 to 86400000; got 50\./);
    // The same range: the shortest the API takes is the shortest the CLI takes.
    expect(planFromValues({ timeout: '0.1' }).runTimeoutMs).toBe(PLAN_LIMITS.runTimeoutMs.min);
  });

  it('checks every whole-number field against its one range', () => {
    for (const [field, { min, max }] of Object.entries(PLAN_LIMITS)) {
      expect(() => checkPlan({ ...defaultPlan(), [field]: min })).not.toThrow();
      expect(() => checkPlan({ ...defaultPlan(), [field]: max + 1 })).toThrow(/must be a whole number from/);
      expect(() => checkPlan({ ...defaultPlan(), [field]: min - 1 })).toThrow(/must be a whole number from/);
    }
  });

  it('keeps a CLI plan within the same rule', () => {
    expect(planFromValues({ runs: '7', threads: '2' })).toMatchObject({ timedRuns: 7, intraOpThreads: 2 });
    expect(() => planFromValues({ 'opt-level': 'all' })).not.toThrow();
  });
});
