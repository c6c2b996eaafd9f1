/**
 * The FirstTimerStore contract (functions/core/ports.ts), for the fake and the DynamoDB adapter
 * alike: an event's first-timer candidate and contact, and the newcomer plans of its links.
 */
import { describe, expect, it } from 'vitest';
import type { FirstTimerCandidate, NewcomerPlan } from '../../functions/core/model.js';
import type { JointAction, JointContact } from '../../functions/core/policies/joint-contact.js';
import type { LinkRef } from '../../functions/core/ports.js';
import { anEvent } from '../support/fixtures.js';
import { at, confirmedLink, spendable, worlds, type MakeWorld, type World } from './worlds.js';

const now = at('2026-11-23T10:00:00.000Z');
const due = at('2026-12-21T10:00:00.000Z');

/** An event on record, and a practice linked with it. */
async function eventWithLink(w: World) {
  const [code, shortName] = [w.id('P'), w.id('ev')];
  await w.seedEvent(anEvent({ shortName, name: `${shortName} parkrun` }));
  await w.partnerships.recordRegistration({ id: w.id('r'), practice: { code, name: 'Riverside Surgery', postcode: 'TW11 0AA', champion: { name: 'Jane', role: 'GP', email: 'jane@nhs.example' } }, eventShortNames: [shortName], contactedEventTeam: true, submittedAt: '2026-11-01T10:00:00.000Z' });
  const link: LinkRef = { practiceCode: code, eventShortName: shortName };
  const contact = (via: JointAction, by: 'event' | 'practice' = 'event'): JointContact => ({ link, by, via, at: now, dueAt: due });
  return { shortName, link, contact };
}

/** A link of `shortName` that has ended: its registration confirmed, then rejected by head office. */
async function endedLink(w: World, shortName: string): Promise<LinkRef> {
  const { pending, link } = await confirmedLink(w, shortName, now);
  // Rejected as head office reads it: confirmed.
  await w.registrations.reject((await w.registrations.get(pending.id))!, now, 'analyst@parkrun.example', w.id('req'));
  expect((await w.partnerships.getLink(link.practiceCode, shortName))?.status).toBe('ended');
  return link;
}

const candidate = (w: World, firstName: string, namedFrom?: LinkRef): FirstTimerCandidate => ({
  id: w.id('ft'),
  firstName,
  whereToFind: 'by the start funnel in a pink vest at 08:50',
  email: `${firstName.toLowerCase()}@runner.example`,
  namedAt: now.toISOString(),
  namedBy: { name: 'Sarah Okafor', email: 'sarah@parkrun.example' },
  ...(namedFrom ? { namedFrom: `${namedFrom.practiceCode}.${namedFrom.eventShortName}` } : {}),
});

const eventOf = async (w: World, shortName: string) => (await w.events.getEvents([shortName], { consistent: true })).get(shortName);

function contract(name: string, make: MakeWorld) {
  describe(`FirstTimerStore: ${name}`, () => {
    it('names a candidate on the event, replacing one not yet confirmed, and records each naming (ids only) for the watcher', async () => {
      const w = await make();
      const { shortName, link } = await eventWithLink(w);
      const spend = await spendable(w, 'first-timer-contact', shortName, now);
      const first = candidate(w, 'Maya');
      await w.firstTimers.nameCandidate(shortName, first, spend);
      expect((await eventOf(w, shortName))?.firstTimerCandidate).toEqual(first);
      expect(await w.naming(first.id)).toEqual({ id: first.id, eventShortName: shortName });
      // The director's link is reusable: the same token names someone else.
      const second = candidate(w, 'Omar', link);
      await w.firstTimers.nameCandidate(shortName, second, spend);
      const event = await eventOf(w, shortName);
      expect(event?.firstTimerCandidate).toEqual(second);
      expect(event?.firstTimerContact).toBeUndefined();
      expect(await w.naming(second.id)).toEqual({ id: second.id, eventShortName: shortName });
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');
      // Without a contact, nothing is recorded on the link.
      expect((await w.partnerships.getLink(link.practiceCode, shortName))?.status).toBe('registered');
    });

    it('records a naming as contact on the link named from; refuses, writing nothing, when that link has ended or the event is not on record', async () => {
      const w = await make();
      const { shortName, link, contact } = await eventWithLink(w);
      const spend = await spendable(w, 'first-timer-contact', shortName, now);
      await w.firstTimers.nameCandidate(shortName, candidate(w, 'Maya', link), spend, contact('first-timer-named'));
      expect(await w.partnerships.getLink(link.practiceCode, shortName)).toMatchObject({ status: 'active', lastContactAt: now.toISOString(), lastContactBy: 'event', dueAt: due.toISOString(), ladder: { rung: 0 } });
      expect(await w.partnerships.historyOf(link, 1)).toMatchObject([{ type: 'contact', by: 'event' }]);

      const ended = await endedLink(w, shortName);
      const refused = candidate(w, 'Omar', ended);
      await expect(w.firstTimers.nameCandidate(shortName, refused, spend, { ...contact('first-timer-named'), link: ended })).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await eventOf(w, shortName))?.firstTimerCandidate?.firstName).toBe('Maya');
      expect(await w.naming(refused.id)).toBeUndefined();

      const nowhere = candidate(w, 'Zara');
      await expect(w.firstTimers.nameCandidate(w.id('nowhere'), nowhere, spend)).rejects.toMatchObject({ name: 'NotFoundError' });
      expect(await w.naming(nowhere.id)).toBeUndefined();
    });

    it('confirms the candidate as the contact (their details, not who named them), replacing the previous contact, with contact on the link', async () => {
      const w = await make();
      const { shortName, link, contact } = await eventWithLink(w);
      const spend = await spendable(w, 'first-timer-volunteer', shortName, now);
      const maya = candidate(w, 'Maya');
      await w.firstTimers.nameCandidate(shortName, maya, await spendable(w, 'first-timer-contact', shortName, now));
      await w.firstTimers.confirm(shortName, maya.id, now, spend);
      let event = await eventOf(w, shortName);
      expect(event?.firstTimerContact).toEqual({ id: maya.id, firstName: 'Maya', whereToFind: maya.whereToFind, email: maya.email, confirmedAt: now.toISOString() });
      expect(event?.firstTimerCandidate).toBeUndefined();

      const later = at('2026-11-30T10:00:00.000Z');
      const omar = candidate(w, 'Omar', link);
      await w.firstTimers.nameCandidate(shortName, omar, await spendable(w, 'first-timer-contact', shortName, now));
      await w.firstTimers.confirm(shortName, omar.id, later, spend, contact('first-timer-confirmed', 'event'));
      event = await eventOf(w, shortName);
      expect(event?.firstTimerContact).toMatchObject({ id: omar.id, firstName: 'Omar', confirmedAt: later.toISOString() });
      expect(event?.firstTimerContact).not.toHaveProperty('namedFrom');
      expect(event?.firstTimerCandidate).toBeUndefined();
      expect(await w.partnerships.getLink(link.practiceCode, shortName)).toMatchObject({ status: 'active', lastContactBy: 'event', dueAt: due.toISOString() });
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');
    });

    it('refuses a confirmation when someone else was named since, nobody is, or the link named from has ended: nothing changes', async () => {
      const w = await make();
      const { shortName, contact } = await eventWithLink(w);
      const name = await spendable(w, 'first-timer-contact', shortName, now);
      const spend = await spendable(w, 'first-timer-volunteer', shortName, now);
      await expect(w.firstTimers.confirm(shortName, w.id('ft'), now, spend)).rejects.toMatchObject({ name: 'ConflictError' });
      await expect(w.firstTimers.confirm(w.id('nowhere'), w.id('ft'), now, spend)).rejects.toMatchObject({ name: 'ConflictError' });

      const maya = candidate(w, 'Maya');
      const omar = candidate(w, 'Omar');
      await w.firstTimers.nameCandidate(shortName, maya, name);
      await w.firstTimers.nameCandidate(shortName, omar, name);
      await expect(w.firstTimers.confirm(shortName, maya.id, now, spend)).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await eventOf(w, shortName))?.firstTimerCandidate?.id).toBe(omar.id);

      const ended = await endedLink(w, shortName);
      await expect(w.firstTimers.confirm(shortName, omar.id, now, spend, { ...contact('first-timer-confirmed'), link: ended })).rejects.toMatchObject({ name: 'ConflictError' });
      const event = await eventOf(w, shortName);
      expect(event?.firstTimerCandidate?.id).toBe(omar.id);
      expect(event?.firstTimerContact).toBeUndefined();
    });

    it('stands a candidate or a contact down by id, details and all; refuses one replaced meanwhile', async () => {
      const w = await make();
      const { shortName } = await eventWithLink(w);
      const name = await spendable(w, 'first-timer-contact', shortName, now);
      const spend = await spendable(w, 'first-timer-volunteer', shortName, now);
      const [maya, omar] = [candidate(w, 'Maya'), candidate(w, 'Omar')];
      await w.firstTimers.nameCandidate(shortName, maya, name);
      await w.firstTimers.confirm(shortName, maya.id, now, spend);
      await w.firstTimers.nameCandidate(shortName, omar, name);

      await expect(w.firstTimers.standDown(shortName, maya.id, 'candidate', spend)).rejects.toMatchObject({ name: 'ConflictError' });
      await expect(w.firstTimers.standDown(shortName, omar.id, 'contact', spend)).rejects.toMatchObject({ name: 'ConflictError' });
      await expect(w.firstTimers.standDown(w.id('nowhere'), omar.id, 'candidate', spend)).rejects.toMatchObject({ name: 'ConflictError' });
      let event = await eventOf(w, shortName);
      expect([event?.firstTimerContact?.id, event?.firstTimerCandidate?.id]).toEqual([maya.id, omar.id]);

      await w.firstTimers.standDown(shortName, omar.id, 'candidate', spend);
      event = await eventOf(w, shortName);
      expect(event?.firstTimerCandidate).toBeUndefined();
      expect(event?.firstTimerContact?.id).toBe(maya.id);
      await w.firstTimers.standDown(shortName, maya.id, 'contact', spend);
      event = await eventOf(w, shortName);
      expect(event).not.toHaveProperty('firstTimerContact');
      expect(event).not.toHaveProperty('firstTimerCandidate');
      expect(event?.shortName).toBe(shortName);
    });

    it('records the ask for a contact once; an event not on record is not marked', async () => {
      const w = await make();
      const { shortName } = await eventWithLink(w);
      expect(await w.firstTimers.markAskedForContact(shortName, now)).toBe(true);
      expect(await w.firstTimers.markAskedForContact(shortName, at('2026-11-30T10:00:00.000Z'))).toBe(false);
      expect((await eventOf(w, shortName))?.firstTimerContactAskedAt).toBe(now.toISOString());
      const nowhere = w.id('nowhere');
      expect(await w.firstTimers.markAskedForContact(nowhere, now)).toBe(false);
      expect(await eventOf(w, nowhere)).toBeUndefined();
    });

    it('saves newcomer plans per link and day, replacing a day’s plan, and lists a link’s own from a day on in date order', async () => {
      const w = await make();
      const { shortName, link } = await eventWithLink(w);
      const spend = await spendable(w, 'newcomers', `${link.practiceCode}.${shortName}`, now);
      const plan = (date: string, count: number, status: NewcomerPlan['status'] = 'planned', of: LinkRef = link): NewcomerPlan => ({ ...of, date, count, status, createdAt: now.toISOString(), updatedAt: now.toISOString() });
      for (const p of [plan('2027-01-16', 3), plan('2027-01-02', 1), plan('2027-01-09', 2)]) await w.firstTimers.savePlan(p, spend);
      // The same practice at another event, and another practice at this one: not this link's.
      await w.firstTimers.savePlan(plan('2027-01-09', 5, 'planned', { practiceCode: link.practiceCode, eventShortName: w.id('ev') }), spend);
      await w.firstTimers.savePlan(plan('2027-01-09', 6, 'planned', { practiceCode: w.id('P'), eventShortName: shortName }), spend);

      expect(await w.firstTimers.getPlan(link, '2027-01-09')).toEqual(plan('2027-01-09', 2));
      expect(await w.firstTimers.getPlan(link, '2027-01-23')).toBeUndefined();
      expect((await w.firstTimers.plansOf(link, '2027-01-09')).map((p) => [p.date, p.count])).toEqual([['2027-01-09', 2], ['2027-01-16', 3]]);
      expect((await w.firstTimers.plansOf(link, '2027-01-01')).map((p) => p.date)).toEqual(['2027-01-02', '2027-01-09', '2027-01-16']);

      const cancelled = { ...plan('2027-01-16', 3, 'cancelled'), updatedAt: at('2026-11-24T10:00:00.000Z').toISOString() };
      await w.firstTimers.savePlan(cancelled, spend);
      expect(await w.firstTimers.getPlan(link, '2027-01-16')).toEqual(cancelled);
      expect(await w.firstTimers.plansOf(link, '2027-01-10')).toEqual([cancelled]);
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');
      expect((await w.partnerships.getLink(link.practiceCode, shortName))?.status).toBe('registered');
    });

    it('records a plan as contact on the link when asked; refuses, saving nothing, when the link has ended or the token has expired', async () => {
      const w = await make();
      const { shortName, link, contact } = await eventWithLink(w);
      const spend = await spendable(w, 'newcomers', `${link.practiceCode}.${shortName}`, now);
      const plan = (of: LinkRef, date: string): NewcomerPlan => ({ ...of, date, count: 2, status: 'planned', createdAt: now.toISOString(), updatedAt: now.toISOString() });
      await w.firstTimers.savePlan(plan(link, '2027-01-09'), spend, contact('newcomers-planned', 'practice'));
      expect(await w.partnerships.getLink(link.practiceCode, shortName)).toMatchObject({ status: 'active', lastContactAt: now.toISOString(), lastContactBy: 'practice', dueAt: due.toISOString() });

      const ended = await endedLink(w, shortName);
      await expect(w.firstTimers.savePlan(plan(ended, '2027-01-09'), spend, { ...contact('newcomers-planned', 'practice'), link: ended })).rejects.toMatchObject({ name: 'NotFoundError' });
      expect(await w.firstTimers.getPlan(ended, '2027-01-09')).toBeUndefined();

      const expiring = await spendable(w, 'newcomers', `${link.practiceCode}.${shortName}`, now, 60_000);
      await expect(w.firstTimers.savePlan(plan(link, '2027-01-16'), { ...expiring, now: at('2026-11-23T10:01:00.000Z') })).rejects.toMatchObject({ name: 'InvalidTokenError' });
      expect(await w.firstTimers.getPlan(link, '2027-01-16')).toBeUndefined();
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
