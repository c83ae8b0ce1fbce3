/**
 * The engine's job table: one measuring job at a time (a profile, a comparison, variant files being
 * made), for real. Two jobs side by side would measure each other, so a second is refused with a
 * message naming the one that runs. Cancel aborts the job's signal, which kills its workers and
 * stops variant generation at the next step; the job's own `finally` blocks remove its temporary
 * files, and `cancel` resolves once they have run.
 */
import { randomUUID } from 'node:crypto';
import { StrataError } from '../../shared/errors.js';

/** What kind of work a job does. */
export type JobKind = 'profile' | 'compare' | 'variants' | 'machine' | 'generate';

/** A job as the table lists it. */
export interface JobInfo {
  readonly id: string;
  readonly kind: JobKind;
  readonly startedAt: number; // epoch ms
}

interface Entry extends JobInfo {
  readonly abort: AbortController;
  readonly settled: Promise<unknown>;
}

const NAMES: Record<JobKind, string> = {
  profile: 'A profile',
  compare: 'A comparison',
  variants: 'Variant generation',
  machine: 'Measuring this machine',
  generate: 'A generation profile',
};
const STARTS: Record<JobKind, string> = {
  profile: 'a profile',
  compare: 'a comparison',
  variants: 'variant generation',
  machine: 'measuring the machine',
  generate: 'a generation profile',
};

/** The table. One per engine (each front door's handlers, the CLI). */
export class JobTable {
  private current: Entry | null = null;

  /** The running job, if any. */
  running(): JobInfo | null {
    const c = this.current;
    return c ? { id: c.id, kind: c.kind, startedAt: c.startedAt } : null;
  }

  /**
   * Starts `run` as a job of `kind`, or throws BUSY when another job runs. `result` settles when the
   * job has finished and its clean-up has run.
   */
  start<T>(kind: JobKind, run: (signal: AbortSignal) => Promise<T>): { id: string; result: Promise<T> } {
    if (this.current) {
      const what = NAMES[this.current.kind];
      throw new StrataError(
        'BUSY',
        `${what} is running; ${STARTS[kind]} would measure against it. Cancel it or wait for it to finish.`,
      );
    }
    const abort = new AbortController();
    const id = randomUUID();
    const result = Promise.resolve().then(() => run(abort.signal));
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    const entry: Entry = { id, kind, startedAt: Date.now(), abort, settled };
    this.current = entry;
    void settled.then(() => {
      if (this.current === entry) this.current = null;
    });
    return { id, result };
  }

  /** Resolves once no job runs (work that would disturb a measurement waits for this). */
  async idle(): Promise<void> {
    while (this.current) await this.current.settled;
  }

  /** Cancels job `id`; resolves with whether it was running, once it has stopped and cleaned up. */
  async cancel(id: string): Promise<boolean> {
    const entry = this.current;
    if (!entry || entry.id !== id) return false;
    entry.abort.abort();
    await entry.settled;
    return true;
  }

  /** Cancels whatever runs (a front door closing). */
  async cancelAll(): Promise<void> {
    const entry = this.current;
    if (!entry) return;
    entry.abort.abort();
    await entry.settled;
  }
}

/** What a front door uses of the job table. */
export type Jobs = Pick<JobTable, 'running' | 'start' | 'idle' | 'cancel' | 'cancelAll'>;

/**
 * One front door's share of the engine's table (a browser tab's socket): its jobs still run one at
 * a time with every other tab's, but closing it cancels only the jobs it started.
 */
export class JobScope implements Jobs {
  private readonly mine = new Set<string>();

  constructor(private readonly table: JobTable) {}

  running(): JobInfo | null {
    return this.table.running();
  }

  start<T>(kind: JobKind, run: (signal: AbortSignal) => Promise<T>): { id: string; result: Promise<T> } {
    const job = this.table.start(kind, run);
    this.mine.add(job.id);
    job.result.then(
      () => this.mine.delete(job.id),
      () => this.mine.delete(job.id),
    );
    return job;
  }

  idle(): Promise<void> {
    return this.table.idle();
  }

  cancel(id: string): Promise<boolean> {
    return this.table.cancel(id);
  }

  /** Cancels the jobs this scope started, not another front door's. */
  async cancelAll(): Promise<void> {
    for (const id of [...this.mine]) await this.table.cancel(id);
  }
}

/** Throws RUN_CANCELLED when `signal` has been aborted: a check between steps that cannot be interrupted. */
export function throwIfCancelled(signal: AbortSignal | undefined, what = 'The job'): void {
  if (signal?.aborted) throw new StrataError('RUN_CANCELLED', `${what} was cancelled.`);
}
