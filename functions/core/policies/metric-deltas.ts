/**
 * What one change to the table adds to the head-office figures. Pure: a stream record's
 * old and new images in, named counters and their increments out.
 *
 * Every figure is a counter kept twice per scope (the whole country, the event's
 * country, its region, the event itself): a running total on the scope's CURRENT item,
 * and the same increment on the item for the day it happened. A flow (nudges sent,
 * registrations) reads straight from the days; a gauge (links at risk now) reads from
 * CURRENT, and its value at the end of an earlier day is CURRENT less the increments
 * since. So one rule, "add the increment", keeps every figure and its history.
 */
import type { ActivityKey, FeedbackAskState, FeedbackReport, Link, ParkrunEvent, Takeover } from '../model.js';
import { localDateOf } from './event-dates.js';

export type Deltas = Record<string, number>;

/** The scopes a figure is counted in: the country as a whole, a nation, a region, an event. */
export type Scope = 'ALL' | `COUNTRY#${string}` | `REGION#${string}` | `EVENT#${string}`;

export const scopesOf = (event: Pick<ParkrunEvent, 'shortName' | 'country' | 'region'>): Scope[] => [
  'ALL',
  `COUNTRY#${event.country}`,
  `REGION#${event.region}`,
  `EVENT#${event.shortName}`,
];

/** The UK calendar day (YYYY-MM-DD) of an instant: the day a change is counted in. */
export function dayOf(instant: Date): string {
  const d = localDateOf(instant, 'Europe/London');
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** The Monday (YYYY-MM-DD, UK calendar) of the week an instant falls in. */
export function weekOf(instant: Date): string {
  const d = localDateOf(instant, 'Europe/London');
  const noon = new Date(Date.UTC(d.year, d.month - 1, d.day, 12));
  const back = (noon.getUTCDay() + 6) % 7;
  return new Date(noon.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

function add(into: Deltas, from: Deltas, sign: 1 | -1) {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + sign * v;
}

function withoutZeros(deltas: Deltas): Deltas {
  return Object.fromEntries(Object.entries(deltas).filter(([, v]) => v !== 0));
}

/** A link's contribution to the gauges while it exists: one in its status, its contact week, its activities. */
function linkGauges(link: Link | undefined): Deltas {
  if (!link) return {};
  const g: Deltas = { [`status_${link.status}`]: 1 };
  if (link.status === 'ended') return g;
  g.links = 1;
  g[`ev_${link.eventShortName}`] = 1;
  if (link.lastContactAt) g[`contactWeek_${weekOf(new Date(link.lastContactAt))}`] = 1;
  for (const [key, record] of Object.entries(link.activities ?? {}) as Array<[ActivityKey, { status: string }]>) g[`act_${key}_${record.status}`] = 1;
  return g;
}

/** Days from a nudge to its answer, in buckets fine enough for a median. */
export const answerBuckets = [1, 2, 3, 5, 7, 10, 14, 21, 28] as const;
export function answerBucket(days: number): string {
  const b = answerBuckets.find((limit) => days <= limit);
  return b === undefined ? 'tta_more' : `tta_${b}`;
}

export function linkDeltas(old: Link | undefined, next: Link | undefined): Deltas {
  const d: Deltas = {};
  add(d, linkGauges(next), 1);
  add(d, linkGauges(old), -1);
  if (!next) return withoutZeros(d);
  if (!old && next.createdBy === 'registration') d.registrations = 1;
  const contactMoved = next.lastContactAt !== undefined && next.lastContactAt !== old?.lastContactAt;
  const recorded = next.lastRecordedContactAt !== undefined && next.lastRecordedContactAt !== old?.lastRecordedContactAt;
  if (contactMoved || (old && recorded)) d.contacts = 1;
  const before = old?.ladder?.rung ?? 0;
  const after = next.ladder?.rung ?? 0;
  // Up the ladder: each rung passed is a nudge (or, at 3, at risk). Back down to a rung
  // above 0 (the at-risk pause over, the ladder starts again): its rungs are new nudges.
  const from = after < before ? 1 : before + 1;
  if (after >= 1) for (let r = from; r <= after; r++) d[r === 3 ? 'atRisk' : `nudges_${r}`] = 1;
  if (old && before >= 1 && before < 3) {
    // An answer ends the nudged spell: contact resets the ladder to 0, so it is counted once
    // per spell, whoever recorded it. A pause is an answer of its own kind, but leaves the
    // ladder where it is: it is counted only the first time in the spell.
    if ((contactMoved || recorded) && after === 0) {
      d[next.lastContactBy === 'head-office' ? 'answer_head-office' : `answer_${next.lastContactHow ?? 'in-touch'}`] = 1;
      d[`answered_${before}`] = 1;
      const answeredAt = next.lastRecordedContactAt ?? next.lastContactAt;
      if (answeredAt && old.ladder?.rungAt) d[answerBucket(Math.max(0, (Date.parse(answeredAt) - Date.parse(old.ladder.rungAt)) / 86_400_000))] = 1;
    } else if (next.pausedUntil !== undefined && next.pausedUntil !== old.pausedUntil && !(old.pausedUntil && old.ladder?.rungAt && old.pausedUntil > old.ladder.rungAt)) {
      d.answer_pause = 1;
    }
  }
  return withoutZeros(d);
}

export function takeoverDeltas(old: Takeover | undefined, next: Takeover | undefined): Deltas {
  const d: Deltas = {};
  const fixed = (t?: Takeover) => (t?.status === 'fixed' ? 1 : 0);
  if (fixed(next) - fixed(old) !== 0) d.takeovers_fixed = fixed(next) - fixed(old);
  if (next?.status === 'fixed' && old?.status !== 'fixed' && !old?.date) d.takeovers_planned = 1;
  if (next?.status === 'proposed' && !old) d.takeovers_offered = 1;
  if (next?.outcome?.happened && !old?.outcome) d.takeovers_done = 1;
  return d;
}

export function feedbackReportDeltas(old: FeedbackReport | undefined, next: FeedbackReport | undefined): Deltas {
  const d: Deltas = {};
  if (next && !old) d.fb_reports = 1;
  if (!next && old) d.fb_reports = -1;
  const diff = (k: 'suggested' | 'attended') => (next?.[k] ?? 0) - (old?.[k] ?? 0);
  if (diff('suggested')) d.fb_suggested = diff('suggested');
  if (diff('attended')) d.fb_attended = diff('attended');
  const staff = (r?: FeedbackReport) => (r && (r.staff.walked || r.staff.ran || r.staff.volunteered) ? 1 : 0);
  if (staff(next) - staff(old)) d.fb_staffTookPart = staff(next) - staff(old);
  return d;
}

export function feedbackAskDeltas(old: FeedbackAskState | undefined, next: FeedbackAskState | undefined): Deltas {
  return next?.askedAt && next.askedAt !== old?.askedAt ? { fb_asks: 1 } : {};
}

/**
 * Counters kept per event (`ev_<event>`: its live links; `eventIn_<event>`: it exists).
 * A wide scope has hundreds of them, and they move only when a link or an event comes or
 * goes, so they are kept as running totals only, never by day: the dashboard reads them
 * only as they stand now.
 */
export const perEventCounterPrefixes = ['ev_', 'eventIn_', 'noDirector_', 'leftFeed_'] as const;
export const isPerEventCounter = (counter: string) => perEventCounterPrefixes.some((p) => counter.startsWith(p));

/**
 * Events are counted, and named, in their scopes, so the dashboard's filters list regions
 * and events without reading every event; so are the events with no director named (mailed
 * at their team address) and those gone from parkrun's feed, for head office to put right.
 */
export function eventDeltas(old: ParkrunEvent | undefined, next: ParkrunEvent | undefined): Deltas {
  const gauges = (e?: ParkrunEvent): Deltas =>
    e
      ? {
          events: 1,
          [`region_${e.region}`]: 1,
          [`country_${e.country}`]: 1,
          [`eventIn_${e.shortName}`]: 1,
          ...(e.eventDirectors.length === 0 ? { eventsNoDirector: 1, [`noDirector_${e.shortName}`]: 1 } : {}),
          ...(e.feed?.inFeed === false ? { eventsLeftFeed: 1, [`leftFeed_${e.shortName}`]: 1 } : {}),
        }
      : {};
  const d: Deltas = {};
  add(d, gauges(next), 1);
  add(d, gauges(old), -1);
  return withoutZeros(d);
}

/** Bounces and complaints are about an address, not a place: counted for the whole country. */
export function suppressionDeltas(old: { reason?: string } | undefined, next: { reason?: string } | undefined): Deltas {
  if (old || !next) return {};
  return { suppressed: 1, ...(next.reason === 'bounce' ? { bounces: 1 } : next.reason === 'complaint' ? { complaints: 1 } : {}) };
}
