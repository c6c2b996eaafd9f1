/** The pure rules of going live: reading the feed, finding events by name, and where imported links start. */
import { describe, expect, it } from 'vitest';
import { countryOf, feedFields, feedSelection, readFeature, sameFeedFields } from '../../functions/core/policies/event-feed.js';
import { closestEventNames, findEventName, type EventName } from '../../functions/core/policies/event-names.js';
import { importedLink, introductionTimes, spreadFraction } from '../../functions/core/policies/imported-links.js';
import { defaultNudgePolicy } from '../../functions/core/policies/quiet-link-ladder.js';
import { eventContacts, greetingOf } from '../../functions/core/model.js';
import { teamChangeDetail } from '../../functions/core/use-cases/event-teams.js';
import { feature } from '../support/import-world.js';
import { anEvent } from '../support/fixtures.js';

const uk = feedSelection();
const day = 86_400_000;

describe("reading parkrun's events feed", () => {
  it('takes the UK 5 km events by default, junior events or another country when asked', () => {
    expect(uk).toEqual({ countryCode: 97, seriesId: 1, countryName: 'United Kingdom', timeZone: 'Europe/London', startTime: '09:00', teamAddressPattern: '{eventname}@parkrun.com' });
    expect(feedSelection({ junior: true })).toMatchObject({ seriesId: 2, startTime: '09:00' });
    expect(feedSelection({ countryCode: 42 })).toMatchObject({ countryName: 'Ireland', timeZone: 'Europe/Dublin', startTime: '09:30' });
    expect(() => feedSelection({ countryCode: 3 })).toThrow(/give --country-name, --time-zone and --start-time/);
    expect(() => feedSelection({ timeZone: 'Mars/Olympus' })).toThrow(/is not a time zone/);
    expect(() => feedSelection({ startTime: '9am' })).toThrow(/must be a time such as 09:00/);
    expect(() => feedSelection({ teamAddressPattern: 'team@parkrun.com' })).toThrow(/with \{eventname\} in it/);
  });

  it('reads a feature of the selection, and passes over the rest without looking further', () => {
    expect(readFeature(feature('bushy', { name: ' Bushy parkrun ', location: 'Bushy Park, Teddington' }), uk)).toEqual({
      kind: 'event',
      event: { shortName: 'bushy', name: 'Bushy parkrun', location: 'Bushy Park, Teddington', coordinates: { lat: 51.410992, lon: -0.335791 } },
    });
    expect(readFeature(feature('bushy-juniors', { seriesid: 2, coordinates: 'broken' }), uk)).toEqual({ kind: 'other' });
    expect(readFeature(feature('marlay', { countrycode: 42, name: '' }), uk)).toEqual({ kind: 'other' });
    expect(readFeature(feature('nolocation', { location: null }), uk)).toMatchObject({ kind: 'event', event: { shortName: 'nolocation' } });
  });

  it('refuses a feature with what is wrong with it, field by field', () => {
    expect(readFeature(feature('x', { coordinates: [200, 51] }), uk)).toMatchObject({ kind: 'refused', problems: [{ field: 'coordinates', reason: expect.stringContaining('out of range') }] });
    expect(readFeature(feature('x', { coordinates: [-0.3, Number.NaN] }), uk)).toMatchObject({ kind: 'refused', problems: [{ field: 'coordinates' }] });
    expect(readFeature(feature('x', { name: 'x'.repeat(121) }), uk)).toMatchObject({ problems: [{ field: 'EventLongName', reason: 'EventLongName must be at most 120 characters' }] });
    expect(readFeature({ ...feature('x'), properties: { ...feature('x').properties, EventLongName: 42 } }, uk)).toMatchObject({ problems: [{ reason: 'EventLongName must be text' }] });
    expect(readFeature(null, uk)).toMatchObject({ kind: 'refused', problems: [{ field: 'properties' }] });
    expect(readFeature({ ...feature('x'), properties: { ...feature('x').properties, seriesid: '1' } }, uk)).toMatchObject({ kind: 'refused', shortName: 'x', problems: [{ field: 'seriesid' }] });
  });

  it("counts a UK event in its nation, read from its region, and keeps what the import does not set out of its comparison", () => {
    expect(['Scotland', 'Wales', 'Northern Ireland', 'London', 'No region', undefined].map((r) => countryOf(uk, r))).toEqual(['Scotland', 'Wales', 'Northern Ireland', 'England', 'United Kingdom', 'United Kingdom']);
    expect(countryOf(feedSelection({ countryCode: 42 }), 'Leinster')).toBe('Ireland');
    const fields = feedFields({ shortName: 'bushy', name: 'Bushy parkrun', coordinates: { lat: 51.4, lon: -0.33 } }, uk, 'London');
    expect(fields).toMatchObject({ country: 'England', region: 'London', weekday: 6, teamEmail: 'bushy@parkrun.com', feed: { inFeed: true } });
    const stored = { ...anEvent(), ...fields, firstTimerContact: { id: 'x', firstName: 'Jo', whereToFind: 'by the finish', confirmedAt: '2026-01-01T00:00:00Z' } };
    expect(sameFeedFields(stored, fields)).toBe(true);
    expect(sameFeedFields({ ...stored, feed: { ...stored.feed, inFeed: false } }, fields)).toBe(false);
    expect(sameFeedFields({ ...stored, coordinates: { lat: 51.41, lon: -0.33 } }, fields)).toBe(false);
  });
});

describe('finding an event by name', () => {
  const catalog: EventName[] = [
    { shortName: 'bushy', name: 'Bushy parkrun', region: 'London', inFeed: true },
    { shortName: 'bushy-juniors', name: 'Bushy junior parkrun', region: 'London', inFeed: true },
    { shortName: 'hackneymarshes', name: 'Hackney Marshes parkrun', region: 'London', inFeed: true },
    { shortName: 'highbury', name: 'Highbury Fields parkrun', region: 'London', inFeed: true },
    { shortName: 'oldpark', name: 'Old Park parkrun', region: 'London', inFeed: false },
  ];

  it('by short name or long name, in any case and spacing', () => {
    expect(findEventName('  HACKNEY   marshes parkrun', catalog)?.shortName).toBe('hackneymarshes');
    expect(findEventName('Bushy', catalog)?.shortName).toBe('bushy');
    expect(findEventName('bushy-juniors', catalog)?.shortName).toBe('bushy-juniors');
    expect(findEventName('Hackney', catalog)).toBeUndefined();
  });

  it('suggests at most three names nearest to a typo or a part, never one gone from the feed, and none for nonsense', () => {
    expect(closestEventNames('hackny marshes', catalog)).toEqual(['Hackney Marshes parkrun']);
    expect(closestEventNames('bush', catalog)).toEqual(['Bushy junior parkrun', 'Bushy parkrun']);
    expect(closestEventNames('old park', catalog)).toEqual([]);
    expect(closestEventNames('qqqqqqqqqq', catalog)).toEqual([]);
    expect(closestEventNames('h', catalog).length).toBeLessThanOrEqual(3);
  });
});

describe('where an imported link starts', () => {
  const now = new Date('2026-11-23T10:00:00Z');
  const timing = { now, spreadDays: 28, policy: defaultNudgePolicy };

  it('is active from its last contact, or introduced without one, at rung 0, and the same every time', () => {
    const link = importedLink({ practiceCode: 'A81001', eventShortName: 'bushy', registeredOn: '2019-03-12', lastContactOn: '2026-11-20' }, timing);
    expect(link).toMatchObject({ status: 'active', createdBy: 'import', createdAt: '2019-03-12T12:00:00.000Z', lastContactAt: '2026-11-20T12:00:00.000Z', ladder: { rung: 0 } });
    // Contact three days ago: checked when the ladder would, 42 days after it.
    expect(link.dueAt).toBe('2027-01-01T12:00:00.000Z');
    expect(importedLink({ practiceCode: 'A81001', eventShortName: 'bushy', registeredOn: '2019-03-12', lastContactOn: '2026-11-20' }, timing)).toEqual(link);
    expect(importedLink({ practiceCode: 'A81002', eventShortName: 'bushy' }, timing)).toMatchObject({ status: 'introduced', createdAt: now.toISOString() });
  });

  it('puts long-quiet links at their day in the spread, never before the import, never all on one day', () => {
    const due = Array.from({ length: 1000 }, (_, i) => Date.parse(importedLink({ practiceCode: `A${String(10000 + i)}`, eventShortName: 'bushy', lastContactOn: '2020-01-01' }, timing).dueAt!));
    expect(Math.min(...due)).toBeGreaterThanOrEqual(now.getTime());
    expect(Math.max(...due)).toBeLessThan(now.getTime() + 28 * day);
    const perDay = new Map<number, number>();
    for (const d of due) perDay.set(Math.floor((d - now.getTime()) / day), (perDay.get(Math.floor((d - now.getTime()) / day)) ?? 0) + 1);
    expect(perDay.size).toBe(28);
    expect(Math.max(...perDay.values())).toBeLessThan(1000 / 28 * 2);
  });

  it('introduces the champion with their first event, and checks a link no sooner than two weeks after its introduction', () => {
    const times = introductionTimes(['bushy', 'cardiff'], timing);
    expect(times.practiceAt).toEqual(new Date(Math.min(times.events.bushy!.getTime(), times.events.cardiff!.getTime())));
    expect(times.events.bushy!.getTime() - now.getTime()).toBeCloseTo(spreadFraction('introduce#bushy') * 28 * day, -3);
    const link = importedLink({ practiceCode: 'A81001', eventShortName: 'bushy', lastContactOn: '2020-01-01' }, timing, times.events.bushy);
    expect(Date.parse(link.dueAt!)).toBeGreaterThanOrEqual(times.events.bushy!.getTime() + 14 * day);
  });
});

describe("an event's contacts", () => {
  it('are its directors, or its team address while none is named, greeted as a team', () => {
    const bushy = anEvent({ teamEmail: 'bushy@parkrun.com' });
    expect(eventContacts(bushy)).toEqual(bushy.eventDirectors);
    const none = anEvent({ eventDirectors: [], teamEmail: 'bushy@parkrun.com' });
    expect(eventContacts(none)).toEqual([{ name: 'Bushy parkrun team', email: 'bushy@parkrun.com', team: true }]);
    expect(eventContacts(anEvent({ eventDirectors: [] }))).toEqual([]);
    expect(greetingOf(eventContacts(none)[0]!)).toBe('Bushy parkrun team');
    expect(greetingOf(bushy.eventDirectors[0]!)).toBe('Sarah');
  });

  it('change in words for the audit log', () => {
    const sarah = { name: 'Sarah Okafor', email: 'sarah@parkrun.example' };
    const tom = { name: 'Tom Whitley', email: 'tom@parkrun.example' };
    expect(teamChangeDetail([sarah], [sarah, tom])).toBe('added Tom Whitley <tom@parkrun.example>');
    expect(teamChangeDetail([sarah, tom], [{ ...sarah, name: 'Sarah Okafor-Jones' }])).toBe('removed Tom Whitley <tom@parkrun.example>; renamed Sarah Okafor to Sarah Okafor-Jones');
    expect(teamChangeDetail([sarah], [{ ...sarah, email: 'SARAH@parkrun.example' }])).toBe('no change');
  });
});
