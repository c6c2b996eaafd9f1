/** The PartnershipStore contract (functions/core/ports.ts), for the fake and the DynamoDB adapter alike. */
import { describe, expect, it } from 'vitest';
import type { Handover, Registration } from '../../functions/core/model.js';
import { anEvent } from '../support/fixtures.js';
import { at, spendable, worlds, type MakeWorld, type World } from './worlds.js';

const now = at('2026-11-23T10:00:00.000Z');
const due = at('2026-12-21T10:00:00.000Z');

const registration = (w: World, code: string, events: string[], email = 'jane@nhs.example'): Registration => ({
  id: w.id('reg'),
  practice: { code, name: 'Riverside Surgery', postcode: 'TW11 0AA', champion: { name: 'Dr Jane Smith', role: 'GP', email } },
  eventShortNames: events,
  contactedEventTeam: true,
  submittedAt: '2026-11-22T10:00:00.000Z',
});

function contract(name: string, make: MakeWorld) {
  describe(`PartnershipStore: ${name}`, () => {
    it('records a registration: its practice and a registered link per event, found every way', async () => {
      const w = await make();
      const [code, a, b] = [w.id('P'), w.id('ev'), w.id('ev')];
      const r = registration(w, code, [a, b]);
      await w.partnerships.recordRegistration(r);
      expect(await w.partnerships.getPractice(code)).toEqual(r.practice);
      expect(await w.partnerships.findLinkedEvents(code, [b, 'elsewhere'])).toEqual([b]);
      expect(await w.partnerships.getLink(code, a)).toMatchObject({ practiceCode: code, eventShortName: a, status: 'registered', registrationId: r.id, initialContact: 'practice' });
      expect((await w.partnerships.linksOfPractice(code)).map((l) => l.eventShortName).sort()).toEqual([a, b].sort());
      expect((await w.partnerships.linksOfEvent(a)).map((l) => l.practiceCode)).toEqual([code]);
      expect([...(await w.partnerships.getPractices([code, w.id('P')])).keys()]).toEqual([code]);
      expect(await w.partnerships.getLink(code, 'elsewhere')).toBeUndefined();
    });

    it('refuses a registration any of whose links exists, writing none of it', async () => {
      const w = await make();
      const [code, a, b] = [w.id('P'), w.id('ev'), w.id('ev')];
      await w.partnerships.recordRegistration(registration(w, code, [a]));
      await expect(w.partnerships.recordRegistration(registration(w, code, [b, a]))).rejects.toMatchObject({ name: 'LinkAlreadyExistsError' });
      expect(await w.partnerships.getLink(code, b)).toBeUndefined();
    });

    it('keeps the champion on record when the practice registers again', async () => {
      const w = await make();
      const code = w.id('P');
      const first = registration(w, code, [w.id('ev')]);
      await w.partnerships.recordRegistration(first);
      await w.partnerships.recordRegistration(registration(w, code, [w.id('ev')], 'someone-else@nhs.example'));
      expect((await w.partnerships.getPractice(code))?.champion).toEqual(first.practice.champion);
    });

    it('finds practices by their champion’s address, whatever its case', async () => {
      const w = await make();
      const code = w.id('P');
      const local = w.id('Jane.Smith');
      await w.partnerships.recordRegistration(registration(w, code, [w.id('ev')], `${local}@NHS.example`));
      expect((await w.partnerships.practicesByContact(`${local.toLowerCase()}@nhs.example`)).map((p) => p.code)).toEqual([code]);
      expect((await w.partnerships.practicesByContact(`${local}@NHS.example`)).map((p) => p.code)).toEqual([code]);
    });

    it('introduces a registered link (or creates it), due for its first check, and leaves one further on as it is', async () => {
      const w = await make();
      const [code, a, b] = [w.id('P'), w.id('ev'), w.id('ev')];
      const r = registration(w, code, [a]);
      await w.partnerships.recordRegistration(r);
      await w.partnerships.markIntroduced({ practiceCode: code, eventShortName: a, registrationId: r.id, initialContact: 'practice' }, now, due);
      expect(await w.partnerships.getLink(code, a)).toMatchObject({ status: 'introduced', introducedAt: now.toISOString(), dueAt: due.toISOString(), ladder: { rung: 0 }, registrationId: r.id });
      await w.partnerships.markIntroduced({ practiceCode: code, eventShortName: b, initialContact: 'introduction' }, now, due);
      expect(await w.partnerships.getLink(code, b)).toMatchObject({ status: 'introduced', dueAt: due.toISOString(), initialContact: 'introduction' });
      await w.partnerships.recordContact({ practiceCode: code, eventShortName: a }, { at: now, by: 'practice', moveLastContact: true, recordedAt: now }, await spendable(w, 'in-touch', `${code}.${a}`, now), due);
      await w.partnerships.markIntroduced({ practiceCode: code, eventShortName: a, registrationId: r.id, initialContact: 'practice' }, at('2026-11-24T10:00:00.000Z'), at('2027-01-01T00:00:00.000Z'));
      expect(await w.partnerships.getLink(code, a)).toMatchObject({ status: 'active', dueAt: due.toISOString(), introducedAt: now.toISOString() });
    });

    it('records contact with its token, newest first in the history; an older contact does not move the last contact back', async () => {
      const w = await make();
      const [code, a] = [w.id('P'), w.id('ev')];
      const ref = { practiceCode: code, eventShortName: a };
      await w.partnerships.recordRegistration(registration(w, code, [a]));
      const spend = await spendable(w, 'in-touch', `${code}.${a}`, now);
      await w.partnerships.recordContact(ref, { at: now, by: 'event', how: 'email', moveLastContact: true, recordedAt: now }, spend, due);
      expect(await w.partnerships.getLink(code, a)).toMatchObject({ status: 'active', lastContactAt: now.toISOString(), lastContactBy: 'event', dueAt: due.toISOString(), ladder: { rung: 0 } });
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('used');
      await expect(w.partnerships.recordContact(ref, { at: now, by: 'event', moveLastContact: true, recordedAt: now }, spend, due)).rejects.toMatchObject({ name: 'InvalidTokenError' });
      const later = at('2026-11-24T10:00:00.000Z');
      await w.partnerships.recordContact(ref, { at: at('2026-11-01T10:00:00.000Z'), by: 'practice', moveLastContact: false, recordedAt: later }, await spendable(w, 'in-touch', `${code}.${a}`, later), due);
      expect(await w.partnerships.getLink(code, a)).toMatchObject({ lastContactAt: now.toISOString(), lastContactBy: 'event' });
      const pausedAt = at('2026-11-25T10:00:00.000Z');
      await w.partnerships.pause(ref, at('2027-02-01T00:00:00.000Z'), 'practice', await spendable(w, 'pause', `${code}.${a}`, pausedAt), at('2027-02-01T00:00:00.000Z'));
      const history = await w.partnerships.historyOf(ref, 2);
      expect(history.map((h) => h.type)).toEqual(['pause', 'contact']);
      expect((await w.partnerships.historyOf(ref, 10)).map((h) => h.type)).toEqual(['pause', 'contact', 'contact']);
    });

    it('refuses an action on a link that does not exist, and leaves its token unspent', async () => {
      const w = await make();
      const code = w.id('P');
      const spend = await spendable(w, 'in-touch', `${code}.nowhere`, now);
      await expect(w.partnerships.recordContact({ practiceCode: code, eventShortName: 'nowhere' }, { at: now, by: 'event', moveLastContact: true, recordedAt: now }, spend, due)).rejects.toMatchObject({ name: 'NotFoundError' });
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');
      expect(await w.partnerships.getLink(code, 'nowhere')).toBeUndefined();
    });

    it('sets activities, merging with those recorded', async () => {
      const w = await make();
      const [code, a] = [w.id('P'), w.id('ev')];
      const ref = { practiceCode: code, eventShortName: a };
      await w.partnerships.recordRegistration(registration(w, code, [a]));
      await w.partnerships.setActivities(ref, { 'event-comms': { status: 'done', updatedAt: now.toISOString(), updatedBy: 'practice' } }, 'practice', await spendable(w, 'activities', `${code}.${a}`, now));
      await w.partnerships.setActivities(ref, { 'volunteer-takeover': { status: 'planned', updatedAt: now.toISOString(), updatedBy: 'event' } }, 'event', await spendable(w, 'activities', `${code}.${a}`, now));
      expect(Object.keys((await w.partnerships.getLink(code, a))?.activities ?? {}).sort()).toEqual(['event-comms', 'volunteer-takeover']);
    });

    it('marks a link’s contact lost (off the ladder) and restores it (back on), and neither creates a link', async () => {
      const w = await make();
      const [code, a] = [w.id('P'), w.id('ev')];
      const r = registration(w, code, [a]);
      await w.partnerships.recordRegistration(r);
      await w.partnerships.markIntroduced({ practiceCode: code, eventShortName: a, registrationId: r.id, initialContact: 'practice' }, now, due);
      await w.partnerships.markContactLost({ practiceCode: code, eventShortName: a }, now);
      const lost = await w.partnerships.getLink(code, a);
      expect(lost?.status).toBe('contact-lost');
      expect(lost?.dueAt).toBeUndefined();
      await w.partnerships.restoreContact({ practiceCode: code, eventShortName: a }, due);
      expect(await w.partnerships.getLink(code, a)).toMatchObject({ status: 'active', dueAt: due.toISOString(), ladder: { rung: 0 } });
      await w.partnerships.restoreContact({ practiceCode: code, eventShortName: a }, at('2027-06-01T00:00:00.000Z'));
      expect((await w.partnerships.getLink(code, a))?.dueAt).toBe(due.toISOString());
      await w.partnerships.markContactLost({ practiceCode: code, eventShortName: 'nowhere' }, now);
      expect(await w.partnerships.getLink(code, 'nowhere')).toBeUndefined();
    });

    it('reads a link with its practice and event together, saying which are missing', async () => {
      const w = await make();
      const [code, a] = [w.id('P'), w.id('ev')];
      const event = anEvent({ shortName: a, name: `${a} parkrun` });
      await w.seedEvent(event);
      await w.partnerships.recordRegistration(registration(w, code, [a]));
      const context = await w.partnerships.getLinkContext(code, a);
      expect(context.event).toEqual(event);
      expect(context.practice?.code).toBe(code);
      expect(context.link?.status).toBe('registered');
      expect(Object.keys(await w.partnerships.getLinkContext(code, 'nowhere'))).toEqual(['practice']);
    });

    it('hands a champion’s role over once, only while they are still the champion', async () => {
      const w = await make();
      const [code, a] = [w.id('P'), w.id('ev')];
      await w.partnerships.recordRegistration(registration(w, code, [a]));
      const handover: Handover = {
        id: w.id('h'),
        practiceCode: code,
        eventShortName: a,
        role: 'champion',
        from: { name: 'Dr Jane Smith', email: 'jane@nhs.example' },
        to: { name: 'Dr Ali Khan', role: 'GP', email: 'ali@nhs.example' },
        status: 'offered',
        at: now.toISOString(),
      };
      await w.partnerships.offerHandover(handover, await spendable(w, 'hand-over', `${code}.${a}`, now));
      expect((await w.partnerships.getHandover(handover.id))?.status).toBe('offered');
      await w.partnerships.acceptHandover(handover, now, await spendable(w, 'handover-accept', handover.id, now));
      expect((await w.partnerships.getPractice(code))?.champion.email).toBe('ali@nhs.example');
      expect((await w.partnerships.getHandover(handover.id))?.status).toBe('accepted');
      const spend = await spendable(w, 'handover-accept', handover.id, now);
      await expect(w.partnerships.acceptHandover(handover, now, spend)).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');
    });

    it('hands an event director’s role over: the address matched whatever its case, the team address standing in while no director is named', async () => {
      const w = await make();
      const code = w.id('P');
      const handOver = async (eventShortName: string, from: string, to: string) => {
        const handover: Handover = {
          id: w.id('h'),
          practiceCode: code,
          eventShortName,
          role: 'event-director',
          from: { name: 'Outgoing', email: from },
          to: { name: 'Priya Shah', role: 'Event director', email: to },
          status: 'offered',
          at: now.toISOString(),
        };
        await w.partnerships.offerHandover(handover, await spendable(w, 'hand-over', `${code}.${eventShortName}`, now));
        const spend = await spendable(w, 'handover-accept', handover.id, now);
        return { handover, spend, accept: () => w.partnerships.acceptHandover(handover, now, spend) };
      };
      const directorsOf = async (name: string) => (await w.events.getEvents([name], { consistent: true })).get(name)?.eventDirectors;

      const named = w.id('ev');
      await w.seedEvent(anEvent({ shortName: named, name: `${named} parkrun`, eventDirectors: [{ name: 'Sarah Okafor', email: 'Sarah@Parkrun.example' }, { name: 'Tom Whitley', email: 'tom@parkrun.example' }] }));
      const sarah = await handOver(named, 'sarah@PARKRUN.example', 'priya@parkrun.example');
      await sarah.accept();
      expect(await directorsOf(named)).toEqual([{ name: 'Priya Shah', email: 'priya@parkrun.example' }, { name: 'Tom Whitley', email: 'tom@parkrun.example' }]);
      expect((await w.partnerships.getHandover(sarah.handover.id))?.status).toBe('accepted');
      // Handed to someone already a director: listed once.
      await (await handOver(named, 'Tom@parkrun.example', 'PRIYA@parkrun.example')).accept();
      expect(await directorsOf(named)).toEqual([{ name: 'Priya Shah', email: 'PRIYA@parkrun.example' }]);

      const unnamed = w.id('ev');
      await w.seedEvent(anEvent({ shortName: unnamed, name: `${unnamed} parkrun`, eventDirectors: [], teamEmail: `${unnamed}@parkrun.com` }));
      const stranger = await handOver(unnamed, 'someone@parkrun.example', 'priya@parkrun.example');
      await expect(stranger.accept()).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.tokens.lookup(stranger.spend.token, now))?.state).toBe('valid');
      expect(await directorsOf(unnamed)).toEqual([]);
      await (await handOver(unnamed, `${unnamed.toUpperCase()}@parkrun.com`, 'priya@parkrun.example')).accept();
      expect(await directorsOf(unnamed)).toEqual([{ name: 'Priya Shah', email: 'priya@parkrun.example' }]);
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
