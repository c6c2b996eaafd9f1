import { describe, expect, it } from 'vitest';
import type { MailboxMessage } from '../../local/mailbox.js';
import { duplicateEmails, emailsPerPersonMonth, quantile, quietHourEmails } from '../../simulation/measures.js';
import { OptionError, parseOptions } from '../../simulation/options.js';
import { buildWorld } from '../../simulation/world.js';
import { defaultBehaviour } from '../../simulation/options.js';

const message = (to: string, sentAt: string, text = 'Hello https://x.test/links/a/in-touch/abc', subject = 'Hi'): MailboxMessage => ({
  id: `${to}-${sentAt}`,
  to: [to],
  from: 'n@x.test',
  replyTo: [],
  subject,
  text,
  html: '',
  headers: {},
  sentAt,
});

describe('simulation measures', () => {
  const roleOf = (address: string) =>
    address.startsWith('ed') ? { role: 'event-director' as const, timeZone: 'Europe/London' } : { role: 'champion' as const, timeZone: 'Europe/London' };

  it('finds mail inside each reader’s quiet hours, in their time zone', () => {
    const found = quietHourEmails(
      [
        message('champion@nhs.example', '2027-01-04T10:00:00Z'), // Monday 10:00: fine
        message('champion@nhs.example', '2027-01-04T18:30:00Z'), // Monday evening: practice closed
        message('ed@parkrun.example', '2027-01-08T18:30:00Z'), // Friday evening: event eve
        message('ed@parkrun.example', '2027-01-09T14:00:00Z'), // Saturday afternoon: fine
        message('champion@nhs.example', '2027-06-07T07:30:00Z'), // 08:30 in London in summer: fine
      ],
      roleOf,
    );
    expect(found.map((m) => m.sentAt)).toEqual(['2027-01-04T18:30:00Z', '2027-01-08T18:30:00Z']);
  });

  it('counts the same email to the same person again within the hour as a duplicate, whatever its link tokens', () => {
    const duplicates = duplicateEmails([
      message('a@x', '2027-01-04T10:00:00Z', 'Hi https://x.test/links/a/in-touch/token1'),
      message('a@x', '2027-01-04T10:20:00Z', 'Hi https://x.test/links/a/in-touch/token2'),
      message('b@x', '2027-01-04T10:20:00Z', 'Hi https://x.test/links/a/in-touch/token3'),
      message('a@x', '2027-01-11T10:00:00Z', 'Hi https://x.test/links/a/in-touch/token4'),
    ]);
    expect(duplicates.map((m) => m.sentAt)).toEqual(['2027-01-04T10:20:00Z']);
  });

  it('spreads emails per person over whole months, counting quiet months as none', () => {
    const spread = emailsPerPersonMonth(
      [message('a@x', '2027-02-03T10:00:00Z'), message('a@x', '2027-02-10T10:00:00Z'), message('a@x', '2027-03-01T10:00:00Z'), message('a@x', '2027-01-05T10:00:00Z')],
      ['a@x', 'b@x'],
      new Date('2027-01-04T00:00:00Z'),
      new Date('2027-04-01T00:00:00Z'),
    );
    // Whole months: February and March. a: 2, 1; b: 0, 0.
    expect(spread).toEqual({ median: 0, p95: 2, max: 2 });
    expect(quantile([5, 1, 3], 0.5)).toBe(3);
  });

  it('refuses unknown options and values out of bounds, and takes policy numbers', () => {
    expect(parseOptions(['--events', '10', '--quiet-after-days', '28']).policy.quietAfterDays).toBe(28);
    expect(() => parseOptions(['--evnets', '10'])).toThrow(OptionError);
    expect(() => parseOptions(['--keeps-contact', '1.5'])).toThrow('--keeps-contact must be a number from 0 to 1; got 1.5');
    expect(() => parseOptions(['--weeks', '2.5'])).toThrow('whole number');
  });

  it('builds the same world from the same seed, every practice linked to a real event', () => {
    const a = buildWorld({ events: 50, practices: 120, registrationWeeks: 2 }, defaultBehaviour, 7);
    const b = buildWorld({ events: 50, practices: 120, registrationWeeks: 2 }, defaultBehaviour, 7);
    expect(b.practices).toEqual(a.practices);
    const names = new Set(a.events.map((e) => e.shortName));
    expect(a.practices.every((p) => names.has(p.eventShortName))).toBe(true);
    expect(a.practices.every((p) => p.registersOnDay >= 0 && p.registersOnDay < 10)).toBe(true);
    const perEvent = new Map<string, number>();
    for (const p of a.practices) perEvent.set(p.eventShortName, (perEvent.get(p.eventShortName) ?? 0) + 1);
    expect(Math.max(...perEvent.values())).toBeLessThanOrEqual(12);
  });
});
