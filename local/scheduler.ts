/**
 * The local stand-in for EventBridge Scheduler: fires the same jobs at the same local
 * times, by the local clock. Moving the clock forward fires, in order, every run that
 * the schedule would have made in between, with the clock set to each run's time.
 */
import type { MovableClock } from '../functions/adapters/clock.js';
import { log } from '../functions/log.js';

export interface LocalJob {
  name: string;
  /** Scheduled runs in (from, to]. */
  occurrences(from: Date, to: Date): Date[];
  run(): Promise<unknown>;
  /**
   * When a run could next find work (the earliest item due for it), or undefined when
   * nothing is waiting. Runs before that time are skipped, not run: the hourly sweep and
   * held-mail run find nothing due most hours, and a browser story that moves the clock
   * weeks on spent most of its time on such runs. Only for jobs whose whole work is what is
   * due by the run's time; a job without it always runs.
   */
  nextWork?(): Promise<Date | undefined>;
}

/** A run that was skipped because nothing was due for it, as its report says. */
export const skippedRun = { due: 0, skipped: true } as const;

export class LocalScheduler {
  private lastChecked: Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: MovableClock,
    private readonly jobs: LocalJob[],
    /** Told of each scheduled run that failed, as a failed invocation lands in a failure queue in AWS (the local stack keeps it in the failure log). */
    private readonly onJobFailed?: (job: string, error: unknown, at: Date) => Promise<void> | void,
    /**
     * Awaited before a job's next work is read, so what the watchers are still writing
     * (a link's next nudge, a held email) is in the table by then (the local stack's drain).
     */
    private readonly settle: () => Promise<void> = async () => undefined,
  ) {
    this.lastChecked = clock.now();
  }

  /** The names of the jobs it runs. */
  jobNames(): string[] {
    return this.jobs.map((j) => j.name);
  }

  /** Checks every `everyMs` of real time for runs that have come due. */
  start(everyMs = 30_000): void {
    this.timer = setInterval(() => void this.catchUp(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Moves the clock forward, running each scheduled job at each time it would have run. */
  advance(ms: number): Promise<Array<{ job: string; at: string; result: unknown }>> {
    const work = this.running.then(async () => {
      const target = new Date(this.clock.now().getTime() + ms);
      const runs = await this.runBetween(this.lastChecked, target);
      this.clock.set(target);
      return runs;
    });
    this.running = work.then(() => undefined, () => undefined);
    return work;
  }

  /**
   * When job `name` next runs after the local clock, looking up to `withinDays` ahead, or
   * undefined (a one-time reminder job with nothing pending).
   */
  nextRun(name: string, withinDays = 400): Date | undefined {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) throw new Error(`No local job named ${name}`);
    const week = 7 * 86_400_000;
    const from = this.clock.now().getTime();
    // A week at a time: the hourly sweep has fifty runs a week, a reminder may be months off.
    for (let start = from; start < from + withinDays * 86_400_000; start += week) {
      const runs = job.occurrences(new Date(start), new Date(start + week));
      if (runs.length > 0) return new Date(Math.min(...runs.map((r) => r.getTime())));
    }
    return undefined;
  }

  /** Runs one job now, outside its schedule (the "run now" button, the CLI). */
  runNow(name: string): Promise<unknown> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) return Promise.reject(new Error(`No local job named ${name}`));
    const work = this.running.then(() => job.run());
    this.running = work.then(() => undefined, () => undefined);
    return work;
  }

  private catchUp(): Promise<void> {
    this.running = this.running.then(async () => {
      await this.runBetween(this.lastChecked, this.clock.now());
    });
    return this.running;
  }

  private async runBetween(from: Date, to: Date) {
    const due = this.jobs.flatMap((job) => job.occurrences(from, to).map((at) => ({ job, at }))).sort((a, b) => a.at.getTime() - b.at.getTime());
    const results: Array<{ job: string; at: string; result: unknown }> = [];
    /**
     * Each job's next work, read once and kept until a run does something: between runs
     * only this scheduler moves the clock, and a run that did work (or its watchers) may
     * have changed what is due next. Something written through the API while a long
     * advance is under way is seen at the next run that works, or the next advance.
     */
    let nextWork = new Map<LocalJob, Promise<Date | undefined>>();
    const idle = async (job: LocalJob, at: Date) => {
      if (!job.nextWork) return false;
      if (!nextWork.has(job)) {
        const read = this.settle()
          .then(() => job.nextWork!())
          // Not knowing is no reason to skip: the run itself reads what is due, and fails as it would.
          .catch((error: unknown) => (log.error(`Local scheduler: could not read when ${job.name} next has work; running it`, error), new Date(0)));
        nextWork.set(job, read);
      }
      const next = await nextWork.get(job)!;
      return next === undefined || next > at;
    };
    for (const { job, at } of due) {
      if (await idle(job, at)) {
        results.push({ job: job.name, at: at.toISOString(), result: skippedRun });
        this.lastChecked = at;
        continue;
      }
      nextWork = new Map();
      this.clock.set(at);
      try {
        results.push({ job: job.name, at: at.toISOString(), result: await job.run() });
      } catch (error) {
        log.error(`Local scheduler: ${job.name} failed`, error, { at: at.toISOString() });
        await Promise.resolve()
          .then(() => this.onJobFailed?.(job.name, error, at))
          .catch((hookError: unknown) => log.error(`Local scheduler: could not keep the failure of ${job.name}`, hookError));
        results.push({ job: job.name, at: at.toISOString(), result: { error: error instanceof Error ? error.message : String(error) } });
      }
      this.lastChecked = at;
    }
    this.lastChecked = to;
    // Runs set the clock to their own times; leave it where the caller had it.
    if (due.length > 0) this.clock.set(to);
    return results;
  }
}
