/**
 * The local scheduler skips the runs of a job that would find nothing due (local/scheduler.ts):
 * moving the clock weeks on runs only the runs with work, sees work a run or a watcher added,
 * and still lists every scheduled run.
 */
import { describe, expect, it } from 'vitest';
import { MovableClock } from '../../functions/adapters/clock.js';
import { LocalScheduler, skippedRun, type LocalJob } from '../../local/scheduler.js';
import { FixedClock } from '../support/memory-ports.js';

const hour = 3_600_000;
const start = new Date('2026-11-23T00:00:00Z');
const at = (hours: number) => new Date(start.getTime() + hours * hour);

/** Runs on every hour; its work is the items due by the run's time, each run taking them all. */
function hourlyJob(clock: MovableClock, due: Date[], onRun: (now: Date) => void = () => undefined): LocalJob & { ran: string[]; asked: number } {
  const job = {
    name: 'sweep',
    ran: [] as string[],
    asked: 0,
    occurrences: (from: Date, to: Date) => {
      const out: Date[] = [];
      for (let t = Math.floor(from.getTime() / hour) * hour + hour; t <= to.getTime(); t += hour) out.push(new Date(t));
      return out;
    },
    run: async () => {
      const now = clock.now();
      job.ran.push(now.toISOString());
      const taken = due.filter((d) => d <= now);
      due.splice(0, due.length, ...due.filter((d) => d > now));
      onRun(now);
      return { due: taken.length };
    },
    nextWork: async () => {
      job.asked++;
      return due.length ? new Date(Math.min(...due.map((d) => d.getTime()))) : undefined;
    },
  };
  return job;
}

describe('the local scheduler', () => {
  it('runs only the runs with something due, listing the others as skipped', async () => {
    const clock = new MovableClock(new FixedClock(start));
    const job = hourlyJob(clock, [at(5.5), at(30)]);
    const runs = await new LocalScheduler(clock, [job]).advance(48 * hour);

    expect(job.ran).toEqual([at(6).toISOString(), at(30).toISOString()]);
    expect(runs).toHaveLength(48);
    expect(runs.filter((r) => r.result === skippedRun)).toHaveLength(46);
    expect(runs.find((r) => r.at === at(6).toISOString())?.result).toEqual({ due: 1 });
    // Read once at the start and once after each run that worked, not once an hour.
    expect(job.asked).toBe(3);
    expect(clock.now()).toEqual(at(48));
  });

  it('sees work that a run added, and work the watchers wrote once they have settled', async () => {
    const clock = new MovableClock(new FixedClock(start));
    const due = [at(2)];
    // The run at 02:00 sets off a watcher write (not yet in `due`) for 10:00; the drain lands it.
    let watcherWrites: Date[] = [];
    const job = hourlyJob(clock, due, (now) => {
      if (now.getTime() === at(2).getTime()) watcherWrites = [at(10)];
    });
    let settles = 0;
    const settle = async () => {
      settles++;
      due.push(...watcherWrites.splice(0));
    };
    await new LocalScheduler(clock, [job], undefined, settle).advance(24 * hour);

    expect(job.ran).toEqual([at(2).toISOString(), at(10).toISOString()]);
    expect(settles).toBe(3);
  });

  it('runs a job that cannot say when its work is due at every scheduled time', async () => {
    const clock = new MovableClock(new FixedClock(start));
    const { nextWork: _, ...always } = hourlyJob(clock, []);
    const ran: string[] = [];
    const job: LocalJob = { ...always, run: async () => void ran.push(clock.now().toISOString()) };
    const runs = await new LocalScheduler(clock, [job]).advance(5 * hour);
    expect(ran).toEqual([1, 2, 3, 4, 5].map((h) => at(h).toISOString()));
    expect(runs.some((r) => r.result === skippedRun)).toBe(false);
  });

  it('runs a job whose next work cannot be read, rather than skip it', async () => {
    const clock = new MovableClock(new FixedClock(start));
    const job = hourlyJob(clock, []);
    job.nextWork = async () => {
      throw new Error('DynamoDB Local did not answer');
    };
    await new LocalScheduler(clock, [job]).advance(3 * hour);
    expect(job.ran).toEqual([1, 2, 3].map((h) => at(h).toISOString()));
  });
});
