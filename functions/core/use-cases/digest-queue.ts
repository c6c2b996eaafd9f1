/**
 * Putting something in an event director's digest: the digest falls due at the
 * first time the digest interval and the directors' quiet hours allow. Shared by the quiet-link
 * sweep (links waiting for an answer) and the takeover watcher (takeover offers).
 */
import type { EventDirector, ParkrunEvent } from '../model.js';
import { nextAllowedTime } from '../policies/quiet-hours.js';
import { addDays, digestWaitDays, type NudgePolicy } from '../policies/quiet-link-ladder.js';
import type { DigestEntry, LadderStore } from '../ports.js';

export async function queueForDigest(
  deps: { ladder: LadderStore; nudgePolicy: NudgePolicy },
  director: EventDirector,
  event: ParkrunEvent,
  entry: DigestEntry,
  now: Date,
): Promise<Date> {
  const head = await deps.ladder.getDigest(director.email);
  const earliest = head?.lastSentAt ? addDays(new Date(head.lastSentAt), digestWaitDays(deps.nudgePolicy, entry)) : now;
  const dueAt = nextAllowedTime('event-director', earliest > now ? earliest : now, event.timeZone);
  await deps.ladder.addToDigest({ email: director.email, name: director.name, eventShortName: event.shortName, timeZone: event.timeZone, ...(director.team ? { team: true } : {}) }, entry, dueAt);
  return dueAt;
}
