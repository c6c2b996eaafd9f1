/** The pure rules behind head office's figures: what a change adds, and the figures read back from totals and weeks. */
import { describe, expect, it } from 'vitest';
import type { Link } from '../../functions/core/model.js';
import { dashboardFigures, seriesRange } from '../../functions/core/policies/dashboard-figures.js';
import { answerBucket, eventDeltas, linkDeltas, weekOf } from '../../functions/core/policies/metric-deltas.js';
import { csvField, toCsv } from '../../functions/api/csv.js';

const link = (extra: Partial<Link> = {}): Link => ({
  practiceCode: 'A00001',
  eventShortName: 'bushy',
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'registration',
  initialContact: 'practice',
  lastContactAt: '2026-11-02T10:00:00.000Z',
  ladder: { rung: 0 },
  ...extra,
});

describe('what a change adds', () => {
  it('counts a new link in its status, contact week and event, and as a registration', () => {
    expect(linkDeltas(undefined, link())).toEqual({ status_active: 1, links: 1, ev_bushy: 1, 'contactWeek_2026-11-02': 1, registrations: 1, contacts: 1 });
  });

  it('moves a link between statuses without changing the number of links', () => {
    expect(linkDeltas(link(), link({ status: 'quiet', ladder: { rung: 1, rungAt: '2026-12-14T10:00:00.000Z' } }))).toEqual({ status_active: -1, status_quiet: 1, nudges_1: 1 });
  });

  it('counts nudges again when the at-risk pause ends and the ladder starts over', () => {
    const atRisk = link({ status: 'at-risk', ladder: { rung: 3, rungAt: '2026-06-01T10:00:00.000Z' } });
    expect(linkDeltas(atRisk, { ...atRisk, ladder: { rung: 1, rungAt: '2026-09-01T10:00:00.000Z' } })).toMatchObject({ nudges_1: 1 });
  });

  it('counts an answer once per nudged spell, with how long it took and what it was', () => {
    const nudged = link({ status: 'quiet', ladder: { rung: 1, rungAt: '2026-11-10T10:00:00.000Z' } });
    const answered = { ...nudged, status: 'active' as const, ladder: { rung: 0 as const }, lastContactAt: '2026-11-14T10:00:00.000Z', lastRecordedContactAt: '2026-11-14T10:00:00.000Z', lastContactHow: 'phone' as const };
    expect(linkDeltas(nudged, answered)).toMatchObject({ answered_1: 1, answer_phone: 1, tta_5: 1 });
    // A pause is an answer of its own kind, and the ladder stays: a second pause in the same spell is not another answer.
    const paused = { ...nudged, pausedUntil: '2026-12-14T00:00:00.000Z' };
    expect(linkDeltas(nudged, paused)).toEqual({ answer_pause: 1 });
    expect(linkDeltas(paused, { ...paused, pausedUntil: '2027-02-14T00:00:00.000Z' })).toEqual({});
    // Head office heard of the contact: an answer of its own kind.
    expect(linkDeltas(nudged, { ...answered, lastContactBy: 'head-office' })).toMatchObject({ 'answer_head-office': 1, answered_1: 1 });
  });

  it('names the regions and events a place holds, so filters need no extra reads', () => {
    const event = { shortName: 'bushy', name: 'Bushy parkrun', country: 'England' as const, region: 'London', timeZone: 'Europe/London', startTime: '09:00', weekday: 6 as const, eventDirectors: [] };
    const named = { ...event, eventDirectors: [{ name: 'Sarah Okafor', email: 'sarah@parkrun.example' }] };
    expect(eventDeltas(undefined, named)).toEqual({ events: 1, region_London: 1, country_England: 1, eventIn_bushy: 1 });
    expect(eventDeltas(named, named)).toEqual({});
  });

  it('counts the events with no named director and those gone from the feed, and names them, so head office can list them', () => {
    const event = { shortName: 'bushy', name: 'Bushy parkrun', country: 'England' as const, region: 'London', timeZone: 'Europe/London', startTime: '09:00', weekday: 6 as const, eventDirectors: [] };
    expect(eventDeltas(undefined, event)).toEqual({ events: 1, region_London: 1, country_England: 1, eventIn_bushy: 1, eventsNoDirector: 1, noDirector_bushy: 1 });
    const named = { ...event, eventDirectors: [{ name: 'Sarah Okafor', email: 'sarah@parkrun.example' }] };
    expect(eventDeltas(event, named)).toEqual({ eventsNoDirector: -1, noDirector_bushy: -1 });
    const gone = { ...named, feed: { countryCode: 97, seriesId: 1, inFeed: false } };
    expect(eventDeltas(named, gone)).toEqual({ eventsLeftFeed: 1, leftFeed_bushy: 1 });
    expect(eventDeltas({ ...named, feed: { countryCode: 97, seriesId: 1, inFeed: true } }, gone)).toEqual({ eventsLeftFeed: 1, leftFeed_bushy: 1 });
  });

  it('buckets days to an answer, and weeks from Monday in the UK', () => {
    expect([0.5, 1, 1.5, 6, 30].map(answerBucket)).toEqual(['tta_1', 'tta_1', 'tta_2', 'tta_7', 'tta_more']);
    expect(weekOf(new Date('2026-11-29T23:30:00Z'))).toBe('2026-11-23');
    expect(weekOf(new Date('2026-11-30T00:30:00Z'))).toBe('2026-11-30');
  });
});

describe('the figures read back', () => {
  const now = new Date('2026-11-24T10:00:00Z');
  const range = seriesRange(now);

  it('adds the days into weeks, and reconstructs earlier weeks of a gauge from the running total less the increments since', () => {
    const current = { links: 10, status_active: 6, 'status_at-risk': 4 };
    // Two days in this week (Monday and today) add up; one day last week.
    const days: Array<{ day: string; values: Record<string, number> }> = [
      { day: range.at(-1)!, values: { status_active: 1, 'status_at-risk': -1 } },
      { day: '2026-11-24', values: { status_active: 1, 'status_at-risk': -1 } },
      { day: '2026-11-19', values: { 'status_at-risk': 1 } },
    ];
    const f = dashboardFigures(current, days, now);
    expect(f.series.at(-1)).toMatchObject({ active: 6, atRisk: 4 });
    expect(f.series.at(-2)).toMatchObject({ active: 4, atRisk: 6 });
    expect(f.series.at(-3)).toMatchObject({ active: 4, atRisk: 5 });
    expect(f.series).toHaveLength(52);
  });

  it('gives the contact share against the survey baseline, the answered share, and the median time to an answer', () => {
    const current = { links: 4, [`contactWeek_${range.at(-2)}`]: 2, 'contactWeek_2025-01-06': 2, events: 3, ev_bushy: 4, eventIn_bushy: 1 };
    const days = [{ day: range.at(-1)!, values: { nudges_1: 3, nudges_2: 1, answered_1: 2, tta_1: 1, tta_10: 1, answer_phone: 2 } }];
    const f = dashboardFigures(current, days, now);
    expect(f.contactShare90).toBe(0.5);
    expect(f.baseline).toBe(0.396);
    expect(f.answered).toEqual({ first: 2, second: 0, share: 0.5, medianDays: '1 day or fewer' });
    expect(f.eventsWithoutLinks).toBe(2);
  });
});

describe('CSV for spreadsheets', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('Smith, "Jones"')).toBe('"Smith, ""Jones"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField(-2)).toBe('-2');
    expect(csvField(undefined)).toBe('');
    expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('\uFEFFa,b\r\n1,"x,y"\r\n');
  });
});
