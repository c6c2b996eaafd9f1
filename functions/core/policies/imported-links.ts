/**
 * Where a link brought in by the go-live import starts. The ~2,000 practices registered
 * before this product existed arrive at once, so their first checks (and, with
 * --introduce, their introductions) are spread over the following weeks: the sweep, the
 * mailer and the event teams' inboxes are never handed them all on one morning. Pure:
 * the same row, the same day and the same policy give the same times, so a second run of
 * the import (which adds nothing) could not move them even if it tried.
 */
import { createHash } from 'node:crypto';
import { linkId, type Link } from '../model.js';
import { nextAskAt } from './feedback-calendar.js';
import { addDays, nextCheck, type NudgePolicy } from './quiet-link-ladder.js';
import { firstPromptAfterDays } from './takeover-dates.js';

/** Over how many days an import's first checks and introductions are spread, by default. */
export const defaultSpreadDays = 28;

/** A stable fraction in [0, 1) for a name: the same link (or event) always lands on the same day of the spread. */
export function spreadFraction(name: string): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0) / 2 ** 32;
}

export interface ImportedLinkInput {
  practiceCode: string;
  eventShortName: string;
  /** YYYY-MM-DD, when the practice registered (default: the import). */
  registeredOn?: string;
  /** YYYY-MM-DD, the last contact head office knows of. */
  lastContactOn?: string;
}

/** A day from a spreadsheet, as an instant: midday UTC, which is that day in the UK all year. */
export const instantOfDay = (day: string) => new Date(`${day}T12:00:00.000Z`);

export interface ImportTiming {
  now: Date;
  spreadDays: number;
  policy: NudgePolicy;
}

/**
 * When each event team's introduction is due (a stable day in the spread for each event),
 * and the champion's: with the first of their events, so both sides hear in the same week.
 */
export function introductionTimes(eventShortNames: readonly string[], timing: Pick<ImportTiming, 'now' | 'spreadDays'>): { practiceAt: Date; events: Record<string, Date> } {
  const events = Object.fromEntries(eventShortNames.map((e) => [e, addDays(timing.now, spreadFraction(`introduce#${e}`) * timing.spreadDays)]));
  const practiceAt = new Date(Math.min(...Object.values(events).map((d) => d.getTime())));
  return { practiceAt, events };
}

/**
 * The link as the import stores it: active from its last contact (or introduced, without
 * one), at rung 0 of the quiet-link ladder, first checked when the ladder would check it or
 * at its day in the spread, whichever is later. An introduced link is not checked before
 * two weeks after its introduction, so nobody is nudged about a partnership before hearing of it.
 */
export function importedLink(input: ImportedLinkInput, timing: ImportTiming, introducedAt?: Date): Link {
  const { now, spreadDays, policy } = timing;
  const createdAt = (input.registeredOn ? instantOfDay(input.registeredOn) : now).toISOString();
  const link: Link = {
    practiceCode: input.practiceCode,
    eventShortName: input.eventShortName,
    status: input.lastContactOn ? 'active' : 'introduced',
    createdAt,
    createdBy: 'import',
    initialContact: 'practice',
    introducedAt: createdAt,
    ...(input.lastContactOn ? { lastContactAt: instantOfDay(input.lastContactOn).toISOString() } : {}),
    ladder: { rung: 0 },
    rev: 0,
  };
  const byLadder = nextCheck(link, { rung: 0 }, policy)!;
  const bySpread = addDays(now, spreadFraction(`check#${linkId(input.practiceCode, input.eventShortName)}`) * spreadDays);
  const afterIntroduction = introducedAt ? addDays(introducedAt, policy.rungSpacingDays) : now;
  const dueAt = new Date(Math.max(byLadder.getTime(), bySpread.getTime(), afterIntroduction.getTime()));
  return { ...link, dueAt: dueAt.toISOString() };
}

/** The first takeover prompt, as for a new registration, a month after the link's first check; the first feedback ask, the first Tuesday after it. */
export function firstAsks(links: readonly Link[], now: Date): { promptAt: Date; askAt: Date } {
  const firstCheck = new Date(Math.min(...links.map((l) => Date.parse(l.dueAt ?? now.toISOString()))));
  return { promptAt: addDays(firstCheck, firstPromptAfterDays), askAt: nextAskAt(firstCheck) };
}
