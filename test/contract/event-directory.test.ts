/** The EventDirectory and EventRegistry contracts (functions/core/ports.ts), for the fakes and the DynamoDB adapters alike. */
import { describe, expect, it } from 'vitest';
import type { FeedFields } from '../../functions/core/policies/event-feed.js';
import { anEvent } from '../support/fixtures.js';
import { at, worlds, type MakeWorld } from './worlds.js';

const audit = { at: '2026-11-23T10:00:00.000Z', actor: 'analyst@parkrun.example', action: 'head-office-team', id: 'audit-1' };
const feedFields = (shortName: string, overrides: Partial<FeedFields> = {}): FeedFields => ({
  shortName,
  name: `${shortName} parkrun`,
  location: 'The park',
  coordinates: { lat: 51.41, lon: -0.34 },
  country: 'England',
  region: 'London',
  timeZone: 'Europe/London',
  startTime: '09:00',
  weekday: 6,
  feed: { countryCode: 97, seriesId: 1, inFeed: true },
  teamEmail: `${shortName}@parkrun.com`,
  ...overrides,
});

function contract(name: string, make: MakeWorld) {
  describe(`EventDirectory and EventRegistry: ${name}`, () => {
    it('gets the events asked for by short name; unknown names are simply absent', async () => {
      const w = await make({ freshTable: true });
      await w.seedEvent(anEvent());
      const found = await w.events.getEvents(['bushy', 'nowhere', 'bushy'], { consistent: true });
      expect([...found.keys()]).toEqual(['bushy']);
      expect(found.get('bushy')).toEqual(anEvent());
    });

    it('lists every event ordered by name, and their names and place alone', async () => {
      const w = await make({ freshTable: true });
      for (const [shortName, eventName] of [['colwick', 'Colwick parkrun'], ['albert', 'albert parkrun'], ['bushy', 'Bushy parkrun']]) await w.seedEvent(anEvent({ shortName, name: eventName! }));
      await w.seedEvent(anEvent({ shortName: 'gone', name: 'Gone parkrun', feed: { countryCode: 97, seriesId: 1, inFeed: false } }));
      expect((await w.events.listEvents()).map((e) => e.shortName)).toEqual(['albert', 'bushy', 'colwick', 'gone']);
      expect(await w.events.eventNames()).toEqual([
        { shortName: 'albert', name: 'albert parkrun', region: 'London', inFeed: true },
        { shortName: 'bushy', name: 'Bushy parkrun', region: 'London', inFeed: true },
        { shortName: 'colwick', name: 'Colwick parkrun', region: 'London', inFeed: true },
        { shortName: 'gone', name: 'Gone parkrun', region: 'London', inFeed: false },
      ]);
    });

    it('creates an event from the feed with no directors, then sets only the feed’s fields on it', async () => {
      const w = await make({ freshTable: true });
      await w.registry.saveFeedEvent(feedFields('hilly'), undefined);
      const created = (await w.events.getEvents(['hilly'], { consistent: true })).get('hilly');
      expect(created).toEqual({ ...feedFields('hilly'), eventDirectors: [] });
      await w.registry.replaceTeam('hilly', [{ name: 'Sam', email: 'sam@parkrun.example' }], [], audit);
      await w.registry.saveFeedEvent(feedFields('hilly', { name: 'Hilly Fields parkrun', location: undefined }), created);
      const updated = (await w.events.getEvents(['hilly'], { consistent: true })).get('hilly');
      expect(updated?.name).toBe('Hilly Fields parkrun');
      expect(updated?.eventDirectors).toEqual([{ name: 'Sam', email: 'sam@parkrun.example' }]);
      expect(updated && 'location' in updated ? updated.location : undefined).toBeUndefined();
    });

    it('marks an event gone from the feed once, keeping when it first left', async () => {
      const w = await make({ freshTable: true });
      await w.registry.saveFeedEvent(feedFields('hilly'), undefined);
      await w.registry.markLeftFeed('hilly', at('2026-11-23T10:00:00.000Z'));
      await w.registry.markLeftFeed('hilly', at('2026-12-23T10:00:00.000Z'));
      await w.registry.markLeftFeed('nowhere', at('2026-12-23T10:00:00.000Z'));
      const event = (await w.events.getEvents(['hilly', 'nowhere'], { consistent: true })).get('hilly');
      expect(event?.feed).toMatchObject({ inFeed: false, leftFeedAt: '2026-11-23T10:00:00.000Z' });
      expect((await w.events.eventNames()).map((e) => [e.shortName, e.inFeed])).toEqual([['hilly', false]]);
    });

    it('replaces a team only if it is still the team read, else ConflictError and nothing changed', async () => {
      const w = await make({ freshTable: true });
      await w.seedEvent(anEvent());
      const read = anEvent().eventDirectors;
      const next = [{ name: 'Ali Khan', email: 'ali@parkrun.example' }];
      await w.registry.replaceTeam('bushy', next, read, audit);
      await expect(w.registry.replaceTeam('bushy', [{ name: 'Other', email: 'other@parkrun.example' }], read, { ...audit, id: 'audit-2' })).rejects.toMatchObject({ name: 'ConflictError' });
      await expect(w.registry.replaceTeam('nowhere', next, [], { ...audit, id: 'audit-3' })).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.events.getEvents(['bushy'], { consistent: true })).get('bushy')?.eventDirectors).toEqual(next);
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
