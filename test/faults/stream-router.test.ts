/**
 * A mail watcher's function failing outright behind the stream router: the router's invoke
 * of it refused (throttled) before it ran, or the function timing out after it had done its
 * work, so the router hears nothing it can read a partial batch response from. The router
 * reports every record it gave that watcher; Lambda delivers the router's batch again from
 * the first of them on, so the other watchers with records after it in the batch get those
 * again too; the head-office watcher, on its own mapping, is not touched. Told so, the story
 * (story.ts) must leave what it leaves told cleanly: the same mail, once each, the same
 * figures, the same table.
 */
import { describe, it } from 'vitest';
import type { WatcherName } from '../../functions/adapters/dynamo/stream-filters.js';
import { expectSameAsClean, once, Outbox } from './support.js';
import { told, watcherNames } from './story.js';

const cleanStory = once(() => told({ provider: new Outbox() }));

describe.concurrent('a watcher failing outright behind the stream router', () => {
  it('its records are reported, the batch retried from the first of them, the watchers after it in the batch handed theirs again; nothing lost, sent twice or counted twice', async ({ expect }) => {
    // The registration watcher's first invocation (the two registrations) is refused, and the
    // second (their retry) goes through; the third is Jane's confirmation; the fourth, the batch
    // it shares with the first-timer watcher (Ann's confirmation, then Sarah's naming of a
    // first-timer contact), times out after doing its work, and the fifth (that batch's retry)
    // is refused as well.
    const failures: Partial<Record<number, 'before' | 'after'>> = { 1: 'before', 4: 'after', 5: 'before' };
    const failInvocation = (watcher: WatcherName, n: number) => (watcher === 'registration-watcher' ? failures[n] : undefined);
    const [clean, faulty] = await Promise.all([cleanStory(), told({ provider: new Outbox(), failInvocation })]);

    expect(faulty.stats.failedInvocations).toBe(3);
    // The router reported every record of each failed invocation, and only those.
    expect(faulty.stats.failedRecords).toBe(faulty.stats.watcherFailedRecords['registration-watcher']);
    expect(faulty.stats.failedRecords).toBeGreaterThanOrEqual(3);
    // The registration watcher's failed invocations were retried until they succeeded.
    expect(faulty.stats.invocations['registration-watcher']).toBe(clean.stats.invocations['registration-watcher'] + 3);
    // The first-timer watcher, whose record came after Ann's in the failed batch, was handed it
    // again with each retry (twice) and failed nothing; the watchers in no failed batch, and the
    // head-office watcher on its own mapping, were invoked as often as in the clean story.
    expect(faulty.stats.invocations['first-timer-watcher']).toBe(clean.stats.invocations['first-timer-watcher'] + 2);
    for (const name of watcherNames.filter((n) => n !== 'registration-watcher' && n !== 'first-timer-watcher')) {
      expect(faulty.stats.invocations[name], name).toBe(clean.stats.invocations[name]);
    }
    expect(faulty.stats.watcherFailedRecords['first-timer-watcher']).toBe(0);

    expect(faulty.snapshot.figures).toEqual(clean.snapshot.figures);
    expectSameAsClean(expect, faulty, clean);
    expect(faulty.pending).toEqual(clean.pending);
  });
});
