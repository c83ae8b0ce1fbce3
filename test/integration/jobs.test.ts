// One job at a time, for real: a comparison refuses a profile beside it, and its cancel stops
// every worker and removes every temporary file at once (not after the work it was doing).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannel } from '../../shared/api.js';
import { defaultPlan } from '../../shared/plan.js';
import { createApiHandlers } from '../../electron/api/handlers.js';
import { SAMPLE } from '../fixtures/paths.js';

// Worker processes this process started (children whose command line names the worker script).
function workerChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (/worker\.(ts|js)/.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8'))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
}

describe.runIf(process.platform === 'linux')('the job table', () => {
  let tmp: string;
  const previous = process.env.TMPDIR;
  beforeAll(() => {
    // Every temporary file of the job lands here (os.tmpdir() reads TMPDIR; workers inherit it).
    tmp = mkdtempSync(join(tmpdir(), 'strata-jobs-test-'));
    process.env.TMPDIR = tmp;
  });
  // Strata's own temporary files (tsx, run by the test's workers, keeps a cache folder there too).
  const strataFiles = () => readdirSync(tmp).filter((f) => f.startsWith('strata-') || f.startsWith('mat-debug-'));
  afterAll(() => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses a profile while a comparison runs, and a cancel leaves no worker and no temp folder 2 s later', async () => {
    const events: { channel: EventChannel; payload: Record<string, unknown> }[] = [];
    const handlers = createApiHandlers({
      mode: 'browser',
      emit: (channel, payload) => events.push({ channel, payload: payload as unknown as Record<string, unknown> }),
    });
    const plan = { ...defaultPlan(), timedRuns: 400, profiledRuns: 20 };
    const { runId } = await handlers['compare:start']({
      paths: [SAMPLE],
      plan,
      variants: [{ kind: 'fp16' }, { kind: 'prune', sparsity: 0.5, pattern: 'unstructured' }],
    });
    // Variant files made (progress named each), and the baseline's profile under way in a worker.
    await waitFor(() => events.some((e) => e.channel === 'compare:progress' && e.payload.stage === 'profile'));
    await waitFor(() => workerChildren().length > 0);
    const generating = events.filter((e) => e.channel === 'compare:progress' && e.payload.stage === 'generating');
    expect(generating.map((e) => (e.payload.progress as { message: string }).message)).toEqual([
      'Generating variant 1 of 2',
      'Generating variant 2 of 2',
    ]);
    const job = events.at(-1)!.payload.job as { fraction: number; etaMs: number | null };
    expect(job.fraction).toBeGreaterThanOrEqual(0.15);
    expect(strataFiles().some((f) => f.startsWith('strata-variants-'))).toBe(true);
    expect(strataFiles().some((f) => f.startsWith('strata-compare-'))).toBe(true);

    await expect(handlers['profile:start']({ modelPath: SAMPLE, plan: defaultPlan() })).rejects.toThrow(
      /A comparison is running/,
    );
    await expect(handlers['compare:start']({ paths: [SAMPLE, SAMPLE], plan: defaultPlan() })).rejects.toThrow(
      /A comparison is running/,
    );

    expect(await handlers['profile:cancel'](runId)).toEqual({ cancelled: true });
    await sleep(2000);
    expect(workerChildren()).toEqual([]);
    expect(strataFiles()).toEqual([]);
    const failed = events.find((e) => e.channel === 'compare:failed');
    expect((failed?.payload.error as { code: string }).code).toBe('RUN_CANCELLED');
    expect(events.some((e) => e.channel === 'compare:done')).toBe(false);
    expect(handlers.jobs.running()).toBeNull();

    // The table is free again: a profile is accepted (and cancelled in turn).
    const { runId: profileId } = await handlers['profile:start']({
      modelPath: SAMPLE,
      plan: { ...defaultPlan(), timedRuns: 5, profiledRuns: 2 },
    });
    expect(handlers.jobs.running()?.kind).toBe('profile');
    expect(await handlers['profile:cancel'](profileId)).toEqual({ cancelled: true });
    await handlers.dispose();
  });
});
