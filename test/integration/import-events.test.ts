/** `npm run cli -- events import`: parkrun's events feed into the table, on DynamoDB Local. */
import { describe, expect, it } from 'vitest';
import { ScanCommand } from '../../functions/adapters/dynamo/document-client.js';
import { linkItem, practiceItem } from '../../functions/adapters/dynamo/items.js';
import { PutCommand } from '../../functions/adapters/dynamo/document-client.js';
import { feed, feature, importWorld, spreadsheet } from '../support/import-world.js';

const uk = [feature('bushy', { name: 'Bushy parkrun', location: 'Bushy Park, Teddington' }), feature('cardiff', { name: 'Cardiff parkrun', coordinates: [-3.187906, 51.489784] }), feature('edinburgh', { name: 'Edinburgh parkrun', coordinates: [-3.300563, 55.980183] })];
const others = [feature('bushy-juniors', { name: 'Bushy junior parkrun', seriesid: 2 }), feature('marlay', { name: 'Marlay parkrun', countrycode: 42, coordinates: [-6.27, 53.28] })];

describe('events import', () => {
  it("stores the UK's 5 km events from the feed, with what the feed cannot say, and changes nothing the second time", async () => {
    const w = await importWorld();
    const events = await w.file(JSON.stringify(feed([...uk, ...others])));
    const regions = await w.file(spreadsheet(['eventname,region', 'bushy,London', 'cardiff,Wales', 'edinburgh,Scotland']));
    const first = await w.cli(['events', 'import', events, '--regions', regions]);
    expect(first).toMatchObject({ code: 0, refusals: [], summary: { created: 3, updated: 0, unchanged: 0, refused: 0 } });
    const stored = await w.store.events.getEvents(['bushy', 'cardiff', 'edinburgh', 'bushy-juniors', 'marlay']);
    expect([...stored.keys()].sort()).toEqual(['bushy', 'cardiff', 'edinburgh']);
    expect(stored.get('bushy')).toEqual({
      shortName: 'bushy',
      name: 'Bushy parkrun',
      location: 'Bushy Park, Teddington',
      coordinates: { lat: 51.410992, lon: -0.335791 },
      country: 'England',
      region: 'London',
      timeZone: 'Europe/London',
      startTime: '09:00',
      weekday: 6,
      feed: { countryCode: 97, seriesId: 1, inFeed: true },
      teamEmail: 'bushy@parkrun.com',
      eventDirectors: [],
    });
    expect([stored.get('cardiff')!.country, stored.get('edinburgh')!.country]).toEqual(['Wales', 'Scotland']);

    const before = await w.t.doc.send(new ScanCommand({ TableName: w.t.tableName }));
    const again = await w.cli(['events', 'import', events, '--regions', regions]);
    expect(again).toMatchObject({ code: 0, summary: { created: 0, updated: 0, unchanged: 3, refused: 0 } });
    expect((await w.t.doc.send(new ScanCommand({ TableName: w.t.tableName }))).Items).toEqual(before.Items);
  });

  it('with --dry-run says what it would do and writes nothing', async () => {
    const w = await importWorld();
    const events = await w.file(JSON.stringify(feed(uk)));
    const dry = await w.cli(['events', 'import', events, '--dry-run']);
    expect(dry).toMatchObject({ code: 0, summary: { created: 3, updated: 0, unchanged: 0, refused: 0 } });
    expect((await w.t.doc.send(new ScanCommand({ TableName: w.t.tableName }))).Items).toEqual([]);
  });

  it('takes junior events (Sundays) and other countries when asked, each in its own time zone', async () => {
    const w = await importWorld();
    const events = await w.file(JSON.stringify(feed([...uk, ...others])));
    expect((await w.cli(['events', 'import', events, '--junior'])).summary).toMatchObject({ created: 1 });
    expect((await w.cli(['events', 'import', events, '--country', '42'])).summary).toMatchObject({ created: 1 });
    const stored = await w.store.events.getEvents(['bushy-juniors', 'marlay']);
    expect(stored.get('bushy-juniors')).toMatchObject({ weekday: 0, startTime: '09:00', timeZone: 'Europe/London', feed: { seriesId: 2 }, country: 'United Kingdom', region: 'No region' });
    expect(stored.get('marlay')).toMatchObject({ weekday: 6, startTime: '09:30', timeZone: 'Europe/Dublin', country: 'Ireland', teamEmail: 'marlay@parkrun.com' });
    const unknownCountry = await w.cli(['events', 'import', events, '--country', '3']);
    expect(unknownCountry.code).toBe(2);
    expect(unknownCountry.lines[0]).toMatch(/Country 3 is not one this product knows: give --country-name, --time-zone and --start-time/);
    const custom = await w.cli(['events', 'import', events, '--country', '3', '--country-name', 'Australia', '--time-zone', 'Australia/Sydney', '--start-time', '08:00', '--team-address', 'team-{eventname}@parkrun.com.au']);
    expect(custom.summary).toMatchObject({ created: 0, refused: 0 });
  });

  it('updates what the feed now says differently, keeping the directors, and names no region it was not given', async () => {
    const w = await importWorld();
    await w.events(await w.file(JSON.stringify(feed(uk))), { regions: await w.file('eventname,region\nbushy,London\n') });
    await w.store.registry.replaceTeam('bushy', [{ name: 'Sarah Okafor', email: 'sarah@parkrun.example' }], [], { at: new Date().toISOString(), actor: 'tester', action: 'team-add', id: 'x' });
    const renamed = [feature('bushy', { name: 'Bushy Park parkrun', location: null }), uk[1], uk[2]];
    const { summary } = await w.events(await w.file(JSON.stringify(feed(renamed))));
    expect(summary).toEqual({ created: 0, updated: 1, unchanged: 2, refused: 0 });
    const bushy = (await w.store.events.getEvents(['bushy'])).get('bushy')!;
    expect(bushy).toMatchObject({ name: 'Bushy Park parkrun', region: 'London', country: 'England', eventDirectors: [{ name: 'Sarah Okafor', email: 'sarah@parkrun.example' }] });
    expect(bushy.location).toBeUndefined();
    // Long names are found by their new spelling.
    expect((await w.store.events.eventNames()).map((e) => e.name)).toContain('Bushy Park parkrun');
  });

  it('marks an event gone from the feed as such, never deleting it or its links, and only within the series imported', async () => {
    const w = await importWorld();
    await w.events(await w.file(JSON.stringify(feed([...uk, ...others]))));
    await w.events(await w.file(JSON.stringify(feed([...uk, ...others]))), { junior: true });
    await w.t.doc.send(new PutCommand({ TableName: w.t.tableName, Item: practiceItem({ code: 'A81001', name: 'Riverside Surgery', postcode: 'TW11 0AA', champion: { name: 'Jane', role: 'GP', email: 'jane@nhs.example' } }, '2026-01-01T00:00:00Z') }));
    await w.t.doc.send(new PutCommand({ TableName: w.t.tableName, Item: linkItem({ practiceCode: 'A81001', eventShortName: 'cardiff', status: 'active', createdAt: '2026-01-01T00:00:00Z', createdBy: 'import', initialContact: 'practice' }) }));
    const withoutCardiff = await w.file(JSON.stringify(feed([uk[0], uk[2]])));
    expect((await w.events(withoutCardiff)).summary).toEqual({ created: 0, updated: 1, unchanged: 2, refused: 0 });
    const stored = await w.store.events.getEvents(['cardiff', 'bushy-juniors']);
    expect(stored.get('cardiff')!.feed).toEqual({ countryCode: 97, seriesId: 1, inFeed: false, leftFeedAt: w.clock.now().toISOString() });
    // The juniors are another series: not in this import, so not gone.
    expect(stored.get('bushy-juniors')!.feed!.inFeed).toBe(true);
    expect(await w.store.partnerships.getLink('A81001', 'cardiff')).toMatchObject({ status: 'active' });
    expect((await w.events(withoutCardiff)).summary).toEqual({ created: 0, updated: 0, unchanged: 2, refused: 0 });
    // Back in the feed, it is in again.
    expect((await w.events(await w.file(JSON.stringify(feed(uk))))).summary).toMatchObject({ updated: 1 });
    expect((await w.store.events.getEvents(['cardiff'])).get('cardiff')!.feed).toEqual({ countryCode: 97, seriesId: 1, inFeed: true });
  });
});

describe('events import, bad input', () => {
  it('refuses a file that is not JSON, not the feed, or cut off part way, and stores nothing (exit 2)', async () => {
    const w = await importWorld();
    const whole = JSON.stringify(feed(uk));
    for (const [content, message] of [
      ['<html>Service unavailable</html>', /is not valid JSON/],
      ['{"type": "FeatureCollection", "features": []}', /is JSON but not parkrun's events feed/],
      ['[1, 2, 3]', /is JSON but not parkrun's events feed/],
      ['{"countries": {}, "events": {"type": "FeatureCollection", "features": {"bushy": 1}}}', /events.features is not a list of features/],
      ['{"countries": {}, "events": {"type": "FeatureCollection"}}', /has no events.features list/],
      [whole.slice(0, Math.floor(whole.length * 0.8)), /is not valid JSON/],
      ['', /is not valid JSON|is JSON but not/],
    ] as const) {
      const result = await w.cli(['events', 'import', await w.file(content)]);
      expect(result.code, content.slice(0, 40)).toBe(2);
      expect(result.lines[0]).toMatch(message);
      expect(result.lines[0]).toMatch(/Nothing was stored\.$/);
      expect(result.summary).toEqual({ created: 0, updated: 0, unchanged: 0, refused: 0 });
    }
    expect((await w.cli(['events', 'import', '/nonexistent/events.json'])).lines[0]).toMatch(/no such file/);
    expect((await w.t.doc.send(new ScanCommand({ TableName: w.t.tableName }))).Items).toEqual([]);
  });

  it('refuses each bad feature with where it is and why, and stores the good ones (exit 1)', async () => {
    const w = await importWorld();
    const events = await w.file(
      JSON.stringify(
        feed([
          uk[0],
          feature('bushy', { name: 'Another Bushy parkrun' }),
          feature('faraway', { coordinates: [-0.3, 95] }),
          feature('nowhere', { coordinates: 'here' }),
          feature('Bad Name!'),
          feature('noname', { name: '' }),
          feature('multi', { name: 'Two\nlines parkrun' }),
          { id: 9, type: 'Feature', properties: { eventname: 'nocode', EventLongName: 'No code parkrun', seriesid: 1 } },
          'not a feature',
          feature('=cmd', { name: '=HYPERLINK("http://evil.example")' }),
          uk[1],
        ]),
      ),
    );
    const result = await w.cli(['events', 'import', events]);
    expect(result.code).toBe(1);
    expect(result.summary).toEqual({ created: 2, updated: 0, unchanged: 0, refused: 9 });
    expect(result.refusals).toEqual([
      'events.features[1] (bushy): eventname: bushy is in the feed already, at events.features[0]',
      'events.features[2] (faraway): coordinates: coordinates [-0.3, 95] are out of range (longitude -180 to 180, latitude -90 to 90)',
      'events.features[3] (nowhere): coordinates: geometry.coordinates must be [longitude, latitude]',
      `events.features[4] (Bad Name!): eventname: eventname "Bad Name!" must be lower-case letters, digits and hyphens, as in parkrun's URLs`,
      'events.features[5] (noname): EventLongName: EventLongName is required',
      'events.features[6] (multi): EventLongName: EventLongName must be a single line of text',
      'events.features[7] (nocode): countrycode: must be a number',
      'events.features[8]: properties: not a feature with properties',
      `events.features[9] (=cmd): eventname: eventname "=cmd" must be lower-case letters, digits and hyphens, as in parkrun's URLs`,
    ]);
    expect([...(await w.store.events.getEvents(['bushy', 'cardiff', 'faraway'])).keys()].sort()).toEqual(['bushy', 'cardiff']);
    expect((await w.store.events.getEvents(['bushy'])).get('bushy')!.name).toBe('Bushy parkrun');
  });

  it('refuses bad rows of the regions file, and a region for an event the feed does not have', async () => {
    const w = await importWorld();
    const events = await w.file(JSON.stringify(feed(uk)));
    const regions = await w.file(spreadsheet(['eventname,region,notes', 'bushy,London,big', 'bushy,South East,', 'atlantis,Lost,', ',Wales,', 'cardiff,"Wales\r\nand more",', '', 'edinburgh,Scotland,']));
    const result = await w.cli(['events', 'import', events, '--regions', regions]);
    expect(result.code).toBe(1);
    expect(result.refusals).toEqual([
      'regions line 3: eventname: bushy has a region already, on line 2',
      `regions line 5: eventname: "" is not an event's short name, such as bushy`,
      'regions line 6: region: region must be a single line of text',
      'regions line 4: eventname: atlantis is not an event of this import (not in the feed for country 97, series 1)',
    ]);
    const stored = await w.store.events.getEvents(['bushy', 'cardiff', 'edinburgh']);
    expect([stored.get('bushy')!.region, stored.get('cardiff')!.region, stored.get('edinburgh')!.region]).toEqual(['London', 'No region', 'Scotland']);
    expect((await w.cli(['events', 'import', events, '--regions', await w.file('event,area\nbushy,London\n')])).lines[0]).toMatch(/missing columns eventname, region/);
  });

  it('reads a 10 MB feed of the whole world and keeps only the events asked for', async () => {
    const w = await importWorld();
    const world = Array.from({ length: 30_000 }, (_, i) => feature(`event${i}`, { countrycode: i % 40 === 0 ? 97 : 3, location: `A park with a long name, somewhere in a town number ${i}, by the river` }));
    const content = JSON.stringify(feed(world));
    expect(content.length).toBeGreaterThan(10_000_000);
    const result = await w.cli(['events', 'import', await w.file(content), '--dry-run']);
    expect(result).toMatchObject({ code: 0, summary: { created: 750, refused: 0 } });
  });
});
