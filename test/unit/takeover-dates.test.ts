import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAllowed } from '../../functions/core/policies/quiet-hours.js';
import { countdown, countdownFallsInMonthOf, dateProblem, isDueForPrompt, offerableDates } from '../../functions/core/policies/takeover-dates.js';

const bushy = { timeZone: 'Europe/London', weekday: 6 };
const now = new Date('2026-11-24T10:00:00Z'); // a Tuesday

describe('offerable Saturdays', () => {
  it('are the Saturdays 6 to 16 weeks ahead', () => {
    const dates = offerableDates(now, bushy, []);
    expect(dates[0]).toBe('2027-01-09');
    expect(dates.at(-1)).toBe('2027-03-13');
    expect(dates).toHaveLength(10);
    for (const d of dates) expect(new Date(`${d}T12:00:00Z`).getUTCDay()).toBe(6);
  });

  it('leave out days the event marked unavailable, and days within four weeks of another practice’s takeover', () => {
    const dates = offerableDates(now, { ...bushy, unavailableDates: ['2027-03-13'] }, ['2027-01-30']);
    // 30 January blocks 9 January to 20 February; 27 February, four weeks on, is free again.
    expect(dates).toEqual(['2027-02-27', '2027-03-06']);
  });

  it('never put two takeovers at one event in a calendar month more than twice', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }), fc.array(fc.nat(20), { maxLength: 6 }), (at, picks) => {
        // Fix days one after another as directors would, each from what is then on offer.
        const taken: string[] = [];
        for (const pick of picks) {
          const offer = offerableDates(at, bushy, taken);
          if (offer.length) taken.push(offer[pick % offer.length]!);
        }
        const perMonth = new Map<string, number>();
        for (const d of taken) perMonth.set(d.slice(0, 7), (perMonth.get(d.slice(0, 7)) ?? 0) + 1);
        expect(Math.max(0, ...perMonth.values())).toBeLessThanOrEqual(2);
        for (const a of taken) for (const b of taken) if (a !== b) expect(Math.abs(Date.parse(a) - Date.parse(b))).toBeGreaterThanOrEqual(28 * 86_400_000);
      }),
    );
  });

  it('are always the event’s weekday, in the future, and within the window', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }), fc.constantFrom(0, 6), (at, weekday) => {
        const dates = offerableDates(at, { timeZone: 'Europe/London', weekday }, []);
        expect(dates.length).toBeGreaterThanOrEqual(10);
        for (const d of dates) {
          const t = new Date(`${d}T12:00:00Z`);
          expect(t.getUTCDay()).toBe(weekday);
          const days = (t.getTime() - at.getTime()) / 86_400_000;
          expect(days).toBeGreaterThan(6 * 7 - 1);
          expect(days).toBeLessThan(16 * 7 + 1);
        }
      }),
    );
  });

  it('explain a date that cannot be chosen', () => {
    const offer = offerableDates(now, bushy, []);
    expect(dateProblem('2027-01-09', offer)).toBeUndefined();
    expect(dateProblem('2026-11-28', offer)).toMatch(/not one of the Saturdays on offer/);
    expect(dateProblem('2027-01-10', offer)).toMatch(/not one of the Saturdays on offer/);
    expect(dateProblem('9 January', offer)).toBe('Choose a date from the list');
  });
});

describe('planning prompts', () => {
  it('invite a link with no takeover in the last year, none planned, not prompted this quarter', () => {
    expect(isDueForPrompt({ planned: false }, now)).toBe(true);
    expect(isDueForPrompt({ planned: true }, now)).toBe(false);
    expect(isDueForPrompt({ planned: false, lastDoneOn: '2026-03-01' }, now)).toBe(false);
    expect(isDueForPrompt({ planned: false, lastDoneOn: '2025-11-01' }, now)).toBe(true);
    expect(isDueForPrompt({ planned: false, lastPromptedAt: '2026-10-01T10:00:00Z' }, now)).toBe(false);
    expect(isDueForPrompt({ planned: false, lastPromptedAt: '2026-08-20T10:00:00Z' }, now)).toBe(true);
    expect(isDueForPrompt({ planned: false, notThisYearAt: '2026-06-01T10:00:00Z' }, now)).toBe(false);
  });
});

describe('the countdown', () => {
  it('falls at 10:00 UK time on the weekday on or after 6 weeks, 2 weeks and 3 days before, and 2 days after', () => {
    expect(countdown('2027-05-08', 'Europe/London', now).map((r) => [r.reminder, r.at.toISOString()])).toEqual([
      ['6-weeks', '2027-03-29T09:00:00.000Z'],
      ['2-weeks', '2027-04-26T09:00:00.000Z'],
      ['3-days', '2027-05-05T09:00:00.000Z'],
      ['after', '2027-05-10T09:00:00.000Z'],
    ]);
  });

  it('never falls inside anyone’s quiet hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 800 }), fc.constantFrom(0, 6), (days, weekday) => {
        const saturdayish = offerableDates(new Date(now.getTime() + days * 86_400_000), { timeZone: 'Europe/London', weekday }, [])[0]!;
        for (const r of countdown(saturdayish, 'Europe/London', new Date(0))) {
          expect(isAllowed('practice', r.at, 'Europe/London')).toBe(true);
          expect(isAllowed('event-director', r.at, 'Europe/London')).toBe(true);
        }
      }),
    );
  });

  it('tells which months it mails the champion in: the feedback job sends no reminder then', () => {
    // 8 May 2027: 29 March, 26 April, 5 May, 10 May.
    const months = ['2027-02-15', '2027-03-01', '2027-03-31', '2027-04-10', '2027-05-20', '2027-06-01'].map((d) => countdownFallsInMonthOf('2027-05-08', 'Europe/London', new Date(`${d}T12:00:00Z`)));
    expect(months).toEqual([false, true, true, true, true, false]);
    // The month is the event's: 23:30 on 31 May in Sydney is already June there.
    expect(countdownFallsInMonthOf('2027-05-08', 'Australia/Sydney', new Date('2027-05-31T23:30:00Z'))).toBe(false);
    expect(countdownFallsInMonthOf('2027-05-08', 'Australia/Sydney', new Date('2027-05-31T10:00:00Z'))).toBe(true);
  });

  it('leaves out reminders already past, for a takeover fixed at short notice', () => {
    expect(countdown('2026-12-05', 'Europe/London', now).map((r) => r.reminder)).toEqual(['3-days', 'after']);
  });
});
