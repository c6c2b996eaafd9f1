import { describe, expect, it } from 'vitest';
import { formatLongDate, isoDate, nextEventDate } from '../../functions/core/policies/event-dates.js';

const london = { timeZone: 'Europe/London', weekday: 6, startTime: '09:00' };

describe('next event date', () => {
  it.each([
    ['a Sunday', '2026-11-22T10:00:00Z', '2026-11-28'],
    ['a Friday night', '2026-11-27T23:30:00Z', '2026-11-28'],
    ['a Saturday before the start', '2026-11-28T08:59:00Z', '2026-11-28'],
    ['a Saturday at the start', '2026-11-28T09:00:00Z', '2026-12-05'],
    // 08:30 local in summer time is 07:30 UTC: still before the start.
    ['a summer Saturday before the start', '2026-07-04T07:30:00Z', '2026-07-04'],
    // 23:30 UTC on Friday is already 00:30 on Saturday in summer time.
    ['a summer Friday late evening', '2026-07-03T23:30:00Z', '2026-07-04'],
  ])('from %s (%s) is %s', (_, now, expected) => {
    expect(isoDate(nextEventDate(new Date(now), london))).toBe(expected);
  });

  it('finds Sundays for junior events', () => {
    expect(isoDate(nextEventDate(new Date('2026-11-28T10:00:00Z'), { ...london, weekday: 0 }))).toBe('2026-11-29');
  });
});

describe('long dates', () => {
  it('reads as people write them in British English', () => {
    expect(formatLongDate({ year: 2026, month: 12, day: 6 })).toBe('Sunday 6 December');
    expect(formatLongDate({ year: 2026, month: 11, day: 28 })).toBe('Saturday 28 November');
  });
});
