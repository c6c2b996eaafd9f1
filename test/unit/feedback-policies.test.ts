/** The feedback calendar, the newcomer notice's timing, and every bad input the feedback, newcomer and first-timer forms refuse. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/core/errors.js';
import { askTimeOf, isAskWeek, nextAskAt, periodsBefore, remindsAbout, periodAskedAt, periodLabel, reminderDueAt, summaryDueAt } from '../../functions/core/policies/feedback-calendar.js';
import { newcomerDayProblem, parseFeedback, parseNewcomers } from '../../functions/core/policies/feedback-input.js';
import { parseFirstTimerContact } from '../../functions/core/policies/first-timer-input.js';
import { noticeName, noticeTime, noticeTiming } from '../../functions/core/policies/newcomer-notice.js';
import { askable } from '../../functions/core/use-cases/attendance-feedback.js';
import type { Link } from '../../functions/core/model.js';
import { aLink } from '../support/sweep-world.js';

const fieldsOf = (fn: () => unknown): Record<string, string> => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

const bushy = { name: 'Bushy parkrun', weekday: 6, timeZone: 'Europe/London', startTime: '09:00' };
const sunday = new Date('2026-11-22T10:00:00Z');

describe('the feedback calendar', () => {
  it('asks on the first Tuesday of each month at 10:00 UK time, in winter and in summer', () => {
    expect(askTimeOf(2026, 12).toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(askTimeOf(2027, 1).toISOString()).toBe('2027-01-05T10:00:00.000Z');
    expect(askTimeOf(2027, 6).toISOString()).toBe('2027-06-01T09:00:00.000Z');
    expect(askTimeOf(2027, 9).toISOString()).toBe('2027-09-07T09:00:00.000Z');
  });

  it('finds the next ask strictly after a moment, and what month it asks about', () => {
    expect(nextAskAt(sunday).toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(nextAskAt(new Date('2026-12-01T10:00:00Z')).toISOString()).toBe('2027-01-05T10:00:00.000Z');
    expect(nextAskAt(new Date('2026-12-01T09:59:00Z')).toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(periodAskedAt(new Date('2026-12-01T10:00:00Z'))).toBe('2026-11');
    expect(periodAskedAt(new Date('2027-01-05T10:00:00Z'))).toBe('2026-12');
    expect(periodLabel('2026-11')).toBe('November 2026');
  });

  it('sends the month’s summary two weeks after the ask, and asks only in a month’s first week', () => {
    expect(summaryDueAt('2026-11').toISOString()).toBe('2026-12-15T10:00:00.000Z');
    // From the calendar, not from when a run happened to ask: a late run cannot push the reminder back a week.
    expect(reminderDueAt('2026-11').toISOString()).toBe('2026-12-08T10:00:00.000Z');
    expect(reminderDueAt('2027-02').toISOString()).toBe('2027-03-09T10:00:00.000Z');
    expect(summaryDueAt('2026-12').toISOString()).toBe('2027-01-19T10:00:00.000Z');
    expect(isAskWeek(new Date('2026-12-07T12:00:00Z'))).toBe(true);
    expect(isAskWeek(new Date('2026-12-08T12:00:00Z'))).toBe(false);
  });
});

describe('the feedback form', () => {
  const good = { suggested: '12', attended: '4', staff: ['walked', 'volunteered'] };

  it('takes counts and ticked boxes', () => {
    expect(parseFeedback(good)).toEqual({ suggested: 12, attended: 4, staff: { walked: true, ran: false, volunteered: true } });
    expect(parseFeedback({ suggested: ' 0 ', attended: '0' })).toEqual({ suggested: 0, attended: 0, staff: { walked: false, ran: false, volunteered: false } });
  });

  it.each([
    ['negative', { ...good, suggested: '-3' }, 'suggested', 'cannot be negative'],
    ['absurd', { ...good, suggested: '501' }, 'suggested', '501 is more than 500'],
    ['not a number', { ...good, suggested: 'about a dozen' }, 'suggested', 'as a number, like 12'],
    ['a fraction', { ...good, attended: '2.5' }, 'attended', 'whole number'],
    ['empty', { ...good, attended: '' }, 'attended', '(0 if none)'],
    ['missing', { suggested: '3' }, 'attended', 'Enter how many you know came'],
    ['more came than were told', { ...good, suggested: '2', attended: '3' }, 'attended', 'more than the number you suggested'],
    ['an unknown staff activity', { ...good, staff: ['swam'] }, 'staff.0', 'Choose from the staff activities listed'],
  ])('refuses a count that is %s, saying why', (_why, input, field, message) => {
    expect(fieldsOf(() => parseFeedback(input))[field]).toContain(message);
  });

  it('refuses any field beyond those named, so patient details cannot be smuggled in', () => {
    const fields = fieldsOf(() => parseFeedback({ ...good, patientName: 'Jane Doe', nhsNumber: '9434765919' }));
    expect(fields.body).toContain('remove "patientName", "nhsNumber"');
    expect(fields.body).toContain('could identify a patient');
  });
});

describe('the newcomer form', () => {
  it('takes a coming Saturday of the event and a count', () => {
    expect(parseNewcomers({ action: 'plan', date: '2026-12-05', count: '2' }, bushy, sunday)).toEqual({ action: 'plan', date: '2026-12-05', count: 2 });
    expect(parseNewcomers({ action: 'cancel', date: '2026-12-05' }, bushy, sunday)).toEqual({ action: 'cancel', date: '2026-12-05' });
  });

  it.each([
    ['in the past', '2026-11-21', 'That Saturday has passed'],
    ['not the event’s day', '2026-12-03', 'Bushy parkrun is on Saturdays, and 2026-12-03 is a Thursday'],
    ['not a date', '2026-02-30', 'is not a date'],
    ['not written as a date', 'next week', 'Choose a Saturday from the list'],
    ['too far ahead', '2027-03-06', 'in the next 12 weeks'],
  ])('refuses a day %s', (_why, date, message) => {
    expect(fieldsOf(() => parseNewcomers({ action: 'plan', date, count: '2' }, bushy, sunday)).date).toContain(message);
  });

  it.each([
    ['none', '0', 'at least 1'],
    ['negative', '-2', 'cannot be negative'],
    ['absurd', '900', 'more than 500'],
    ['not a number', 'two', 'as a number'],
  ])('refuses a count that is %s', (_why, count, message) => {
    expect(fieldsOf(() => parseNewcomers({ action: 'plan', date: '2026-12-05', count }, bushy, sunday)).count).toContain(message);
  });

  it('accepts the last day the page offers, whatever the hour', () => {
    const saturdayMorning = new Date('2026-11-21T09:30:00Z');
    expect(newcomerDayProblem('2027-02-13', bushy, saturdayMorning)).toBeUndefined();
    expect(newcomerDayProblem('2027-02-20', bushy, saturdayMorning)).toContain('in the next 12 weeks');
  });

  it('refuses extra fields, and knows Sunday junior events', () => {
    expect(fieldsOf(() => parseNewcomers({ date: '2026-12-05', count: '2', names: 'Ann, Bob' }, bushy, sunday)).body).toContain('remove "names"');
    expect(newcomerDayProblem('2026-12-06', { ...bushy, name: 'Bushy juniors', weekday: 0 }, sunday)).toBeUndefined();
    expect(newcomerDayProblem('2026-12-05', { ...bushy, name: 'Bushy juniors', weekday: 0 }, sunday)).toContain('on Sundays');
  });
});

describe('the first-timer contact form', () => {
  it('takes a first name, where to find them and an optional email', () => {
    expect(parseFirstTimerContact({ firstName: ' Sam ', whereToFind: 'by the start funnel in a pink vest at 08:50', email: '' })).toEqual({
      firstName: 'Sam',
      whereToFind: 'by the start funnel in a pink vest at 08:50',
    });
    expect(parseFirstTimerContact({ firstName: 'Sam', whereToFind: 'at the start', email: 'Sam@Example.org' }).email).toBe('sam@example.org');
  });

  it('refuses what cannot be used, with a message per field', () => {
    expect(fieldsOf(() => parseFirstTimerContact({ firstName: '', whereToFind: 'x' }))).toMatchObject({ firstName: 'Their first name is required' });
    expect(fieldsOf(() => parseFirstTimerContact({ firstName: 'Sam\r\nBcc: all@example.org', whereToFind: 'by the start' })).firstName).toContain('single line');
    expect(fieldsOf(() => parseFirstTimerContact({ firstName: 'Sam', whereToFind: 'by the start', email: 'not an address' })).email).toContain('valid email');
    expect(fieldsOf(() => parseFirstTimerContact({ firstName: 'Sam', whereToFind: 'by the start', phone: '07700 900000' })).body).toContain('remove "phone"');
  });
});

describe('when a newcomer notice goes', () => {
  it('is 10:00 on the Thursday before the event day, in the event’s zone', () => {
    expect(noticeTime('2026-12-05', 'Europe/London').toISOString()).toBe('2026-12-03T10:00:00.000Z');
    expect(noticeTime('2027-07-10', 'Europe/London').toISOString()).toBe('2027-07-08T09:00:00.000Z');
    expect(noticeTime('2026-12-06', 'Europe/London').toISOString()).toBe('2026-12-03T10:00:00.000Z');
  });

  it('is scheduled when Thursday is ahead; sent at once (in practice hours) when not; never once the event has started', () => {
    expect(noticeTiming('2026-12-05', bushy, sunday)).toEqual({ when: 'scheduled', at: new Date('2026-12-03T10:00:00Z') });
    expect(noticeTiming('2026-12-05', bushy, new Date('2026-12-03T14:00:00Z'))).toEqual({ when: 'now' });
    expect(noticeTiming('2026-12-05', bushy, new Date('2026-12-04T17:00:00Z'))).toEqual({ when: 'now' });
    // Friday evening: the next practice hour is Monday, after the event.
    expect(noticeTiming('2026-12-05', bushy, new Date('2026-12-04T19:00:00Z'))).toEqual({ when: 'too-late' });
    // Friday 07:00: practice hours open at 08:00, before the start.
    expect(noticeTiming('2026-12-05', bushy, new Date('2026-12-04T07:00:00Z'))).toEqual({ when: 'scheduled', at: new Date('2026-12-04T08:00:00Z') });
    expect(noticeTiming('2026-12-05', bushy, new Date('2026-12-05T09:30:00Z'))).toEqual({ when: 'too-late' });
  });

  it('has a deterministic name EventBridge Scheduler accepts', () => {
    expect(noticeName('A81001', 'bushy', '2026-12-05')).toBe('ftn-A81001.bushy-20261205');
    const long = noticeName('A81001', 'a-very-long-parkrun-event-short-name-indeed-it-is', '2026-12-05');
    expect(long).toMatch(/^[0-9A-Za-z._-]{1,64}$/);
    expect(long).toBe(noticeName('A81001', 'a-very-long-parkrun-event-short-name-indeed-it-is', '2026-12-05'));
  });
});

describe('who gets the one reminder', () => {
  it('counts back the months before, across a year', () => {
    expect(periodsBefore('2027-02', 3)).toEqual(['2027-01', '2026-12', '2026-11']);
  });

  it('reminds a practice that answered last month, or one asked for the first time', () => {
    expect(remindsAbout('2027-02', '2026-06', true)).toBe(true);
    expect(remindsAbout('2027-02', undefined, false)).toBe(true);
    expect(remindsAbout('2027-02', '2027-02', false)).toBe(true);
  });

  it('does not remind one that left last month unanswered, however new', () => {
    expect(remindsAbout('2027-02', '2027-01', false)).toBe(false);
    expect(remindsAbout('2027-02', '2026-11', false)).toBe(false);
    expect(remindsAbout('2027-02', '2026-06', false)).toBe(false);
  });
});

describe('which links are asked for their monthly numbers', () => {
  const now = new Date('2027-01-05T10:00:00Z');
  const link = (extra: Partial<Link>): Link => ({ ...aLink('A00001', 'bushy', now, 20), ...extra });
  const inDays = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString();

  it('asks a live link, and not a quiet, at-risk or paused one', () => {
    expect(askable(link({ dueAt: inDays(22) }), now)).toBe(true);
    expect(askable(link({ status: 'introduced', dueAt: inDays(30) }), now)).toBe(true);
    expect(askable(link({ status: 'quiet', dueAt: inDays(30) }), now)).toBe(false);
    expect(askable(link({ status: 'at-risk', dueAt: inDays(30) }), now)).toBe(false);
    expect(askable(link({ dueAt: inDays(30), pausedUntil: inDays(3) }), now)).toBe(false);
  });

  it('nudges rather than asks a link turning quiet within two weeks, unless the practice answered last month', () => {
    expect(askable(link({ dueAt: inDays(13) }), now)).toBe(false);
    expect(askable(link({ dueAt: inDays(13) }), now, true)).toBe(true);
    expect(askable(link({ dueAt: inDays(15) }), now)).toBe(true);
  });
});
