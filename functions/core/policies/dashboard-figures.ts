/**
 * The head-office figures for one scope, from its running totals and its weekly
 * increments (see metric-deltas.ts). Pure, so every figure can be checked by hand.
 */
import { activities, activityStatuses, type ActivityKey, type ActivityStatus, type LinkStatus } from '../model.js';
import { answerBuckets, weekOf } from './metric-deltas.js';

/** The event-team survey's share of linked events that keep in touch with their practices (docs/product.md). */
export const surveyBaseline = 0.396;
export const seriesWeeks = 52;
export const linkStatuses: LinkStatus[] = ['registered', 'introduced', 'active', 'quiet', 'at-risk', 'contact-lost', 'ended'];

type Counters = Record<string, number>;

export interface WeekPoint {
  week: string;
  registrations: number;
  nudges: number;
  answers: number;
  contacts: number;
  feedbackReports: number;
  active: number;
  quiet: number;
  atRisk: number;
  /** Share of live links with contact in the 90 days to the week's end; undefined with no links. */
  contactShare90?: number;
}

export interface DashboardFigures {
  links: number;
  byStatus: Record<LinkStatus, number>;
  contactShare90?: number;
  baseline: number;
  events: number;
  eventsWithoutLinks: number;
  /** Events mailed at their team address, for want of a named director. */
  eventsWithoutDirectors: number;
  /** Events gone from parkrun's feed, kept for their links. */
  eventsLeftFeed: number;
  registrations: number;
  nudges: { first: number; second: number; atRisk: number };
  answered: { first: number; second: number; share?: number; medianDays?: string };
  answers: Record<string, number>;
  activities: Record<ActivityKey, Record<ActivityStatus, number>>;
  takeovers: { offered: number; planned: number; done: number; fixedNow: number };
  feedback: { asks: number; reports: number; responseRate?: number; suggested: number; attended: number; staffTookPart: number };
  deliverability: { bounces: number; complaints: number; suppressed: number };
  series: WeekPoint[];
}

const addWeeks = (monday: string, n: number) => new Date(Date.parse(`${monday}T12:00:00Z`) + n * 7 * 86_400_000).toISOString().slice(0, 10);

/** The Mondays of the 52 weeks to `now`'s week, oldest first. */
export function seriesRange(now: Date): string[] {
  const last = weekOf(now);
  return Array.from({ length: seriesWeeks }, (_, i) => addWeeks(last, i - (seriesWeeks - 1)));
}

const get = (c: Counters, k: string) => c[k] ?? 0;

function contactShare(gauges: Counters, weekEnd: string): number | undefined {
  const links = get(gauges, 'links');
  if (links <= 0) return undefined;
  // Contact weeks whose Monday is within 90 days before the week's end (to the week: the figures are kept by week).
  const cutoff = weekOf(new Date(Date.parse(`${weekEnd}T12:00:00Z`) + 6 * 86_400_000 - 90 * 86_400_000));
  let recent = 0;
  for (const [k, v] of Object.entries(gauges)) if (k.startsWith('contactWeek_') && k.slice('contactWeek_'.length) >= cutoff) recent += v;
  return recent / links;
}

/** The figures from a scope's running totals and its days (grouped here into UK weeks, Monday first). */
export function dashboardFigures(current: Counters, days: Array<{ day: string; values: Counters }>, now: Date): DashboardFigures {
  const range = seriesRange(now);
  const byWeek = new Map<string, Counters>();
  for (const { day, values } of days) {
    const week = weekOf(new Date(`${day}T12:00:00Z`));
    const into = byWeek.get(week) ?? {};
    for (const [k, v] of Object.entries(values)) into[k] = (into[k] ?? 0) + v;
    byWeek.set(week, into);
  }
  const sum = (k: string) => range.reduce((n, w) => n + get(byWeek.get(w) ?? {}, k), 0);
  const sumPrefix = (prefix: string) => {
    const out: Record<string, number> = {};
    for (const w of range) for (const [k, v] of Object.entries(byWeek.get(w) ?? {})) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = (out[k.slice(prefix.length)] ?? 0) + v;
    return out;
  };

  // Gauges at the end of each week: the running totals, less every week's increments since.
  const series: WeekPoint[] = [];
  let gauges: Counters = { ...current };
  for (let i = range.length - 1; i >= 0; i--) {
    const week = range[i]!;
    const values = byWeek.get(week) ?? {};
    series.unshift({
      week,
      registrations: get(values, 'registrations'),
      nudges: get(values, 'nudges_1') + get(values, 'nudges_2'),
      answers: get(values, 'answered_1') + get(values, 'answered_2'),
      contacts: get(values, 'contacts'),
      feedbackReports: get(values, 'fb_reports'),
      active: get(gauges, 'status_active'),
      quiet: get(gauges, 'status_quiet'),
      atRisk: get(gauges, 'status_at-risk'),
      ...(contactShare(gauges, week) !== undefined ? { contactShare90: contactShare(gauges, week) } : {}),
    });
    const before: Counters = { ...gauges };
    for (const [k, v] of Object.entries(values)) before[k] = get(before, k) - v;
    gauges = before;
  }

  const byStatus = Object.fromEntries(linkStatuses.map((s) => [s, get(current, `status_${s}`)])) as Record<LinkStatus, number>;
  const eventsWithLinks = Object.entries(current).filter(([k, v]) => k.startsWith('ev_') && v > 0).length;
  const first = sum('nudges_1');
  const second = sum('nudges_2');
  const answeredFirst = sum('answered_1');
  const answeredSecond = sum('answered_2');
  const histogram = sumPrefix('tta_');
  const answeredTotal = Object.values(histogram).reduce((a, b) => a + b, 0);
  let medianDays: string | undefined;
  if (answeredTotal > 0) {
    let seen = 0;
    for (const limit of [...answerBuckets.map(String), 'more']) {
      seen += histogram[limit] ?? 0;
      if (seen >= answeredTotal / 2) {
        medianDays = limit === 'more' ? `over ${answerBuckets.at(-1)} days` : `${limit} day${limit === '1' ? '' : 's'} or fewer`;
        break;
      }
    }
  }
  const activityCounts = Object.fromEntries(
    (Object.keys(activities) as ActivityKey[]).map((a) => [a, Object.fromEntries((Object.keys(activityStatuses) as ActivityStatus[]).map((s) => [s, get(current, `act_${a}_${s}`)]))]),
  ) as DashboardFigures['activities'];
  const asks = sum('fb_asks');
  const reports = sum('fb_reports');
  const share = contactShare(current, range.at(-1)!);
  return {
    links: get(current, 'links'),
    byStatus,
    ...(share !== undefined ? { contactShare90: share } : {}),
    baseline: surveyBaseline,
    events: get(current, 'events'),
    eventsWithoutLinks: Math.max(0, get(current, 'events') - eventsWithLinks),
    eventsWithoutDirectors: get(current, 'eventsNoDirector'),
    eventsLeftFeed: get(current, 'eventsLeftFeed'),
    registrations: sum('registrations'),
    nudges: { first, second, atRisk: sum('atRisk') },
    answered: {
      first: answeredFirst,
      second: answeredSecond,
      ...(first + second > 0 ? { share: (answeredFirst + answeredSecond) / (first + second) } : {}),
      ...(medianDays ? { medianDays } : {}),
    },
    answers: sumPrefix('answer_'),
    activities: activityCounts,
    takeovers: { offered: sum('takeovers_offered'), planned: sum('takeovers_planned'), done: sum('takeovers_done'), fixedNow: get(current, 'takeovers_fixed') },
    feedback: {
      asks,
      reports,
      ...(asks > 0 ? { responseRate: reports / asks } : {}),
      suggested: sum('fb_suggested'),
      attended: sum('fb_attended'),
      staffTookPart: sum('fb_staffTookPart'),
    },
    // All-time totals: an address stays suppressed, so the count to date is what matters.
    deliverability: { bounces: get(current, 'bounces'), complaints: get(current, 'complaints'), suppressed: get(current, 'suppressed') },
    series,
  };
}
