/**
 * The TakeoverStore contract (functions/core/ports.ts), for the fake and the DynamoDB adapter
 * alike: the prompt states and their due index, proposals, fixed days and offers.
 */
import { describe, expect, it } from 'vitest';
import type { Takeover } from '../../functions/core/model.js';
import type { JointContact, TakeoverOff } from '../../functions/core/policies/joint-contact.js';
import { anEvent } from '../support/fixtures.js';
import { all, at, confirmedLink, spendable, worlds, type MakeWorld, type World } from './worlds.js';

const now = at('2026-11-23T10:00:00.000Z');

async function linked(w: World) {
  const [code, event] = [w.id('P'), w.id('ev')];
  await w.partnerships.recordRegistration({ id: w.id('r'), practice: { code, name: 'Riverside Surgery', postcode: 'TW11 0AA', champion: { name: 'Jane', role: 'GP', email: 'jane@nhs.example' } }, eventShortNames: [event], contactedEventTeam: true, submittedAt: '2026-11-01T10:00:00.000Z' });
  const link = { practiceCode: code, eventShortName: event };
  const takeover: Takeover = { id: w.id('t'), ...link, status: 'proposed', proposedDates: ['2027-01-09', '2027-01-16'], createdAt: now.toISOString(), updatedAt: now.toISOString() };
  const contact = (by: 'practice' | 'event'): JointContact => ({ link, by, via: 'takeover-offered', at: now, dueAt: at('2026-12-21T10:00:00.000Z') });
  return { link, takeover, contact };
}

/** A second practice at `eventShortName`, with its own proposal. */
async function another(w: World, eventShortName: string) {
  const code = w.id('P');
  await w.partnerships.recordRegistration({ id: w.id('r'), practice: { code, name: 'Hill Surgery', postcode: 'TW1 1AA', champion: { name: 'Ali', role: 'GP', email: 'ali@nhs.example' } }, eventShortNames: [eventShortName], contactedEventTeam: true, submittedAt: '2026-11-01T10:00:00.000Z' });
  const link = { practiceCode: code, eventShortName };
  const takeover: Takeover = { id: w.id('t'), ...link, status: 'proposed', proposedDates: ['2027-01-23'], createdAt: now.toISOString(), updatedAt: now.toISOString() };
  const contact = (by: 'practice' | 'event'): JointContact => ({ link, by, via: 'takeover-offered', at: now, dueAt: at('2026-12-21T10:00:00.000Z') });
  return { link, takeover, contact };
}

/** The takeover proposed, then fixed on 9 January, as read back. */
async function fixedOne(w: World) {
  const l = await linked(w);
  await w.takeovers.propose(l.takeover, await spendable(w, 'takeover-propose', 'x', now), now, { ...l.contact('practice'), takeoverUntil: '2027-01-16' });
  await w.takeovers.fix(l.takeover, '2027-01-09', now, await spendable(w, 'takeover-accept', 'x', now), { ...l.contact('event'), via: 'takeover-fixed', takeoverUntil: '2027-01-09' });
  return { ...l, fixed: (await w.takeovers.getTakeover(l.takeover.id))! };
}

const later = at('2026-11-24T10:00:00.000Z');
const nextPrompt = at('2027-02-23T10:00:00.000Z');
const offDue = at('2026-12-07T10:00:00.000Z');
const off = (link: { practiceCode: string; eventShortName: string }): TakeoverOff => ({ link, dueAt: offDue });

function contract(name: string, make: MakeWorld) {
  describe(`TakeoverStore: ${name}`, () => {
    it('saves a prompt state only over the revision it read', async () => {
      const { takeovers, id } = await make();
      const link = { practiceCode: id('P'), eventShortName: id('ev') };
      expect(await takeovers.getPromptState(link)).toBeUndefined();
      expect(await takeovers.savePromptState({ ...link, planned: false, dueAt: now.toISOString() })).toBe(true);
      const first = (await takeovers.getPromptState(link))!;
      expect(first).toMatchObject({ ...link, planned: false, rev: 1 });
      expect(await takeovers.savePromptState({ ...link, planned: false })).toBe(false);
      expect(await takeovers.savePromptState({ ...first, lastPromptedAt: now.toISOString() })).toBe(true);
      expect(await takeovers.savePromptState({ ...first, notThisYearAt: now.toISOString() })).toBe(false);
      expect(await takeovers.getPromptState(link)).toMatchObject({ lastPromptedAt: now.toISOString(), rev: 2 });
    });

    it('gives the prompt states due by now, and no others', async () => {
      const { takeovers, id } = await make({ freshTable: true });
      const [a, b, c] = [0, 1, 2].map(() => ({ practiceCode: id('P'), eventShortName: id('ev') }));
      await takeovers.savePromptState({ ...a!, planned: false, dueAt: now.toISOString() });
      await takeovers.savePromptState({ ...b!, planned: false, dueAt: '2026-11-23T10:00:00.001Z' });
      await takeovers.savePromptState({ ...c!, planned: false });
      expect((await all(takeovers.promptsDue(now))).items.map((p) => p.practiceCode)).toEqual([a!.practiceCode]);
    });

    it('proposes with the token: the takeover stored, the prompt state planned; a second proposal is refused', async () => {
      const w = await make();
      const { link, takeover, contact } = await linked(w);
      const checkAt = at('2027-02-23T10:00:00.000Z');
      await w.takeovers.propose(takeover, await spendable(w, 'takeover-propose', `${link.practiceCode}.${link.eventShortName}`, now), checkAt, contact('practice'));
      expect(await w.takeovers.getTakeover(takeover.id)).toMatchObject({ id: takeover.id, status: 'proposed', proposedDates: takeover.proposedDates });
      expect(await w.takeovers.getPromptState(link)).toMatchObject({ planned: true, takeoverId: takeover.id, dueAt: checkAt.toISOString() });
      expect(await w.partnerships.getLink(link.practiceCode, link.eventShortName)).toMatchObject({ status: 'active', lastContactBy: 'practice' });
      const again = { ...takeover, id: w.id('t') };
      const spend = await spendable(w, 'takeover-propose', `${link.practiceCode}.${link.eventShortName}`, now);
      await expect(w.takeovers.propose(again, spend, checkAt, contact('practice'))).rejects.toMatchObject({ name: 'ConflictError' });
      expect(await w.takeovers.getTakeover(again.id)).toBeUndefined();
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');
    });

    it('fixes a day for one practice only: another takeover on that day is refused', async () => {
      const w = await make();
      const first = await linked(w);
      await w.takeovers.propose(first.takeover, await spendable(w, 'takeover-propose', 'x', now), now, first.contact('practice'));
      await w.takeovers.fix(first.takeover, '2027-01-09', now, await spendable(w, 'takeover-accept', 'x', now), first.contact('event'));
      expect(await w.takeovers.getTakeover(first.takeover.id)).toMatchObject({ status: 'fixed', date: '2027-01-09' });
      expect(await w.takeovers.takenDates(first.link.eventShortName)).toEqual(['2027-01-09']);
      // A second practice at the same event.
      const code = w.id('P');
      await w.partnerships.recordRegistration({ id: w.id('r'), practice: { code, name: 'Hill Surgery', postcode: 'TW1 1AA', champion: { name: 'Ali', role: 'GP', email: 'ali@nhs.example' } }, eventShortNames: [first.link.eventShortName], contactedEventTeam: true, submittedAt: '2026-11-01T10:00:00.000Z' });
      const link = { practiceCode: code, eventShortName: first.link.eventShortName };
      const other: Takeover = { ...first.takeover, id: w.id('t'), ...link };
      const contact = { ...first.contact('event'), link };
      await w.takeovers.propose(other, await spendable(w, 'takeover-propose', 'x', now), now, { ...contact, by: 'practice' });
      const spend = await spendable(w, 'takeover-accept', 'x', now);
      await expect(w.takeovers.fix(other, '2027-01-09', now, spend, contact)).rejects.toMatchObject({ name: 'DateTakenError' });
      expect((await w.takeovers.getTakeover(other.id))?.status).toBe('proposed');
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');
    });

    it('marks a proposal offered once, and never one no longer proposed', async () => {
      const w = await make();
      const { takeover, contact } = await linked(w);
      expect(await w.takeovers.markOffered(takeover.id, now)).toBe(false);
      await w.takeovers.propose(takeover, await spendable(w, 'takeover-propose', 'x', now), now, contact('practice'));
      expect(await w.takeovers.markOffered(takeover.id, now)).toBe(true);
      expect(await w.takeovers.markOffered(takeover.id, at('2026-11-24T10:00:00.000Z'))).toBe(false);
      expect((await w.takeovers.getTakeover(takeover.id))?.offeredAt).toBe(now.toISOString());
    });

    it('fixes only a proposal still proposed: every reminder pending, the revision moved on; fixing it again is a conflict, not a taken day', async () => {
      const w = await make();
      const { link, takeover, contact, fixed } = await fixedOne(w);
      const pending = { '6-weeks': 'pending', '2-weeks': 'pending', '3-days': 'pending', after: 'pending' };
      expect(fixed).toMatchObject({ status: 'fixed', date: '2027-01-09', reminders: pending, rev: 1, updatedAt: now.toISOString() });
      expect(await w.partnerships.getLink(link.practiceCode, link.eventShortName)).toMatchObject({ lastContactBy: 'event', takeoverUntil: '2027-01-09' });
      const spend = await spendable(w, 'takeover-accept', 'x', now);
      for (const date of ['2027-01-09', '2027-01-16']) await expect(w.takeovers.fix(takeover, date, later, spend, contact('event'))).rejects.toMatchObject({ name: 'ConflictError' });
      const never = { ...takeover, id: w.id('t') };
      await expect(w.takeovers.fix(never, '2027-01-30', later, spend, contact('event'))).rejects.toMatchObject({ name: 'ConflictError' });
      expect(await w.takeovers.getTakeover(takeover.id)).toEqual(fixed);
      expect(await w.takeovers.getTakeover(never.id)).toBeUndefined();
      expect(await w.takeovers.takenDates(link.eventShortName)).toEqual(['2027-01-09']);
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');
    });

    it('marks which reminders exist, the revision as it was; a takeover not on record is refused, and not created', async () => {
      const w = await make();
      const { fixed } = await fixedOne(w);
      const reminders = { '6-weeks': 'scheduled', '2-weeks': 'pending', '3-days': 'pending', after: 'pending' } as const;
      await w.takeovers.markReminders(fixed.id, reminders);
      expect(await w.takeovers.getTakeover(fixed.id)).toEqual({ ...fixed, reminders });
      const missing = w.id('t');
      await expect(w.takeovers.markReminders(missing, reminders)).rejects.toThrow();
      expect(await w.takeovers.getTakeover(missing)).toBeUndefined();
    });

    it('declines a proposal with the token: declined with its reason, off the link, prompts due again; a second answer is refused', async () => {
      const w = await make();
      const { link, takeover, contact } = await linked(w);
      await w.takeovers.propose(takeover, await spendable(w, 'takeover-propose', 'x', now), now, { ...contact('practice'), takeoverUntil: '2027-01-16' });
      const [read, prompt] = [(await w.takeovers.getTakeover(takeover.id))!, (await w.takeovers.getPromptState(link))!];
      // Proposing wrote the prompt state: a write over "none yet" is refused.
      expect(await w.takeovers.savePromptState({ ...link, planned: false })).toBe(false);
      const spend = await spendable(w, 'takeover-accept', 'x', now);
      await w.takeovers.decline(read, 'No marshals that month', later, spend, nextPrompt, off(link));
      expect(await w.takeovers.getTakeover(takeover.id)).toMatchObject({ status: 'declined', declineReason: 'No marshals that month', updatedAt: later.toISOString(), rev: 1 });
      expect(await w.takeovers.getPromptState(link)).toMatchObject({ planned: false, takeoverId: takeover.id, dueAt: nextPrompt.toISOString() });
      // The prompt state moved on: a write over the state read before the decline is refused.
      expect(await w.takeovers.savePromptState(prompt)).toBe(false);
      const after = await w.partnerships.getLink(link.practiceCode, link.eventShortName);
      expect(after?.dueAt).toBe(offDue.toISOString());
      expect(after).not.toHaveProperty('takeoverUntil');
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('used');
      const again = await spendable(w, 'takeover-accept', 'x', now);
      await expect(w.takeovers.decline(read, 'Again', later, again, nextPrompt, off(link))).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.takeovers.getTakeover(takeover.id))?.declineReason).toBe('No marshals that month');
      expect((await w.tokens.lookup(again.token, now))?.state).toBe('valid');
    });

    it('expires an offer nobody answered, without a token: declined for the directors, prompts due again, off the link only when asked; a changed offer is refused', async () => {
      const w = await make();
      const { link, takeover, contact } = await linked(w);
      await w.takeovers.propose(takeover, await spendable(w, 'takeover-propose', 'x', now), now, { ...contact('practice'), takeoverUntil: '2027-01-16' });
      await w.takeovers.markOffered(takeover.id, now);
      const read = (await w.takeovers.getTakeover(takeover.id))!;
      await expect(w.takeovers.expireOffer({ ...read, rev: 7 }, 'No answer', later, nextPrompt)).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.takeovers.getTakeover(takeover.id))?.status).toBe('proposed');
      await w.takeovers.expireOffer(read, 'No answer in two weeks', later, nextPrompt);
      expect(await w.takeovers.getTakeover(takeover.id)).toMatchObject({ status: 'declined', declineReason: 'No answer in two weeks', offeredAt: now.toISOString(), rev: 1 });
      expect(await w.takeovers.getPromptState(link)).toMatchObject({ planned: false, dueAt: nextPrompt.toISOString() });
      expect((await w.partnerships.getLink(link.practiceCode, link.eventShortName))?.takeoverUntil).toBe('2027-01-16');
      await expect(w.takeovers.expireOffer(read, 'No answer', later, nextPrompt, off(link))).rejects.toMatchObject({ name: 'ConflictError' });
      // Offered again (no longer planned, so allowed), and expired off the link.
      const second: Takeover = { ...takeover, id: w.id('t') };
      await w.takeovers.propose(second, await spendable(w, 'takeover-propose', 'x', now), now, { ...contact('practice'), takeoverUntil: '2027-01-16' });
      const secondRead = (await w.takeovers.getTakeover(second.id))!;
      // Off a link that is not there: refused as a change, and nothing written.
      await expect(w.takeovers.expireOffer(secondRead, 'No answer', later, nextPrompt, off({ ...link, practiceCode: 'Z99999' }))).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.takeovers.getTakeover(second.id))?.status).toBe('proposed');
      await w.takeovers.expireOffer(secondRead, 'No answer', later, nextPrompt, off(link));
      const after = await w.partnerships.getLink(link.practiceCode, link.eventShortName);
      expect(after?.dueAt).toBe(offDue.toISOString());
      expect(after).not.toHaveProperty('takeoverUntil');
    });

    it('moves a fixed takeover to a free day: the old day released, reminders pending again, contact recorded; a taken day or a stale read is refused, writing nothing', async () => {
      const w = await make();
      const { link, contact, fixed } = await fixedOne(w);
      await w.takeovers.markReminders(fixed.id, { '6-weeks': 'scheduled', '2-weeks': 'scheduled', '3-days': 'scheduled', after: 'scheduled' });
      const read = (await w.takeovers.getTakeover(fixed.id))!;
      // Another practice holds 23 January.
      const other = await another(w, link.eventShortName);
      await w.takeovers.propose(other.takeover, await spendable(w, 'takeover-propose', 'x', now), now, other.contact('practice'));
      await w.takeovers.fix(other.takeover, '2027-01-23', now, await spendable(w, 'takeover-accept', 'x', now), other.contact('event'));
      const moved = (date: string): JointContact => ({ ...contact('practice'), at: later, via: 'takeover-moved', takeoverUntil: date });
      const spend = await spendable(w, 'takeover-change', 'x', now);
      await expect(w.takeovers.move(read, '2027-01-23', later, spend, moved('2027-01-23'))).rejects.toMatchObject({ name: 'DateTakenError' });
      expect(await w.takeovers.getTakeover(fixed.id)).toEqual(read);
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');

      await w.takeovers.move(read, '2027-01-30', later, spend, moved('2027-01-30'));
      expect(await w.takeovers.getTakeover(fixed.id)).toMatchObject({
        status: 'fixed',
        date: '2027-01-30',
        previousDate: '2027-01-09',
        reminders: { '6-weeks': 'pending', '2-weeks': 'pending', '3-days': 'pending', after: 'pending' },
        updatedAt: later.toISOString(),
        rev: 2,
      });
      expect((await w.takeovers.takenDates(link.eventShortName)).sort()).toEqual(['2027-01-23', '2027-01-30']);
      expect(await w.partnerships.getLink(link.practiceCode, link.eventShortName)).toMatchObject({ lastContactAt: later.toISOString(), lastContactBy: 'practice', takeoverUntil: '2027-01-30' });

      const again = await spendable(w, 'takeover-change', 'x', now);
      await expect(w.takeovers.move(read, '2027-02-06', later, again, moved('2027-02-06'))).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.takeovers.getTakeover(fixed.id))?.date).toBe('2027-01-30');
      expect((await w.takeovers.takenDates(link.eventShortName)).sort()).toEqual(['2027-01-23', '2027-01-30']);
      expect((await w.tokens.lookup(again.token, now))?.state).toBe('valid');
    });

    it('cancels a fixed takeover: the day released, off the link, prompts due again; a proposal, or one cancelled already, is refused', async () => {
      const w = await make();
      const { link, fixed } = await fixedOne(w);
      const other = await another(w, link.eventShortName);
      await w.takeovers.propose(other.takeover, await spendable(w, 'takeover-propose', 'x', now), now, other.contact('practice'));
      const spend = await spendable(w, 'takeover-change', 'x', now);
      await expect(w.takeovers.cancel((await w.takeovers.getTakeover(other.takeover.id))!, later, spend, nextPrompt, off(other.link))).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');

      await w.takeovers.cancel(fixed, later, spend, nextPrompt, off(link));
      expect(await w.takeovers.getTakeover(fixed.id)).toMatchObject({ status: 'cancelled', date: '2027-01-09', updatedAt: later.toISOString(), rev: 2 });
      expect(await w.takeovers.takenDates(link.eventShortName)).toEqual([]);
      expect(await w.takeovers.getPromptState(link)).toMatchObject({ planned: false, dueAt: nextPrompt.toISOString() });
      const after = await w.partnerships.getLink(link.practiceCode, link.eventShortName);
      expect(after?.dueAt).toBe(offDue.toISOString());
      expect(after).not.toHaveProperty('takeoverUntil');
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('used');

      const again = await spendable(w, 'takeover-change', 'x', now);
      await expect(w.takeovers.cancel((await w.takeovers.getTakeover(fixed.id))!, later, again, nextPrompt, off(link))).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.tokens.lookup(again.token, now))?.state).toBe('valid');
    });

    it('records the roles filled on a fixed takeover over the revision read; a stale read, or a takeover not fixed, is refused', async () => {
      const w = await make();
      const { link, fixed } = await fixedOne(w);
      const spend = await spendable(w, 'takeover-roles', 'x', now);
      await w.takeovers.recordRoles(fixed, 'most', later, spend);
      expect(await w.takeovers.getTakeover(fixed.id)).toMatchObject({ status: 'fixed', rolesFilled: 'most', updatedAt: later.toISOString(), rev: 2 });
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('used');
      const again = await spendable(w, 'takeover-roles', 'x', now);
      await expect(w.takeovers.recordRoles(fixed, 'all', later, again)).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.takeovers.getTakeover(fixed.id))?.rolesFilled).toBe('most');
      const other = await another(w, link.eventShortName);
      await w.takeovers.propose(other.takeover, await spendable(w, 'takeover-propose', 'x', now), now, other.contact('practice'));
      await expect(w.takeovers.recordRoles((await w.takeovers.getTakeover(other.takeover.id))!, 'all', later, again)).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.tokens.lookup(again.token, now))?.state).toBe('valid');
      await w.takeovers.recordRoles((await w.takeovers.getTakeover(fixed.id))!, 'all', later, again);
      expect(await w.takeovers.getTakeover(fixed.id)).toMatchObject({ rolesFilled: 'all', rev: 3 });
    });

    it('records a takeover done: contact with the activity on the link, the day remembered on the prompt; refused once looked back on', async () => {
      const w = await make();
      const { link, contact, fixed } = await fixedOne(w);
      const outcome = { happened: true, staffVolunteered: 6, wouldDoAgain: true, by: 'practice' as const };
      const activities = { 'volunteer-takeover': { status: 'done' as const, updatedAt: later.toISOString(), updatedBy: 'practice' as const } };
      const spend = await spendable(w, 'takeover-outcome', 'x', now);
      await w.takeovers.recordOutcome(fixed, outcome, later, spend, nextPrompt, { contact: { ...contact('practice'), at: later, via: 'takeover-done', takeoverUntil: null, activities } });
      expect(await w.takeovers.getTakeover(fixed.id)).toMatchObject({ status: 'done', outcome, updatedAt: later.toISOString(), rev: 2 });
      expect(await w.takeovers.getPromptState(link)).toMatchObject({ planned: false, dueAt: nextPrompt.toISOString(), lastDoneOn: '2027-01-09' });
      const after = await w.partnerships.getLink(link.practiceCode, link.eventShortName);
      expect(after).toMatchObject({ status: 'active', lastContactAt: later.toISOString(), lastContactBy: 'practice', activities });
      expect(after).not.toHaveProperty('takeoverUntil');
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('used');
      const again = await spendable(w, 'takeover-outcome', 'x', now);
      await expect(w.takeovers.recordOutcome(fixed, { ...outcome, happened: false }, later, again, nextPrompt, { off: off(link) })).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.takeovers.getTakeover(fixed.id))?.status).toBe('done');
      expect((await w.tokens.lookup(again.token, now))?.state).toBe('valid');
    });

    it('records a takeover that did not happen: off the link, and no day remembered', async () => {
      const w = await make();
      const { link, fixed } = await fixedOne(w);
      const outcome = { happened: false, staffVolunteered: 0, wouldDoAgain: true, by: 'event' as const };
      await w.takeovers.recordOutcome(fixed, outcome, later, await spendable(w, 'takeover-outcome', 'x', now), nextPrompt, { off: off(link) });
      expect(await w.takeovers.getTakeover(fixed.id)).toMatchObject({ status: 'did-not-happen', outcome, rev: 2 });
      const prompt = await w.takeovers.getPromptState(link);
      expect(prompt).toMatchObject({ planned: false, dueAt: nextPrompt.toISOString() });
      expect(prompt).not.toHaveProperty('lastDoneOn');
      const after = await w.partnerships.getLink(link.practiceCode, link.eventShortName);
      expect(after).toMatchObject({ dueAt: offDue.toISOString(), lastContactAt: now.toISOString(), lastContactBy: 'event' });
      expect(after).not.toHaveProperty('takeoverUntil');
    });

    it('sets an event’s unavailable days over the days as read; a stale edit, or an event not on record, is refused with the token unspent', async () => {
      const w = await make();
      const shortName = w.id('ev');
      await w.seedEvent(anEvent({ shortName, name: `${shortName} parkrun` }));
      const daysOf = async (name: string) => (await w.events.getEvents([name], { consistent: true })).get(name)?.unavailableDates;
      await w.takeovers.setUnavailableDates(shortName, ['2027-01-09', '2027-01-16'], undefined, await spendable(w, 'event-unavailable', shortName, now));
      expect(await daysOf(shortName)).toEqual(['2027-01-09', '2027-01-16']);
      const spend = await spendable(w, 'event-unavailable', shortName, now);
      await expect(w.takeovers.setUnavailableDates(shortName, ['2027-02-06'], undefined, spend)).rejects.toMatchObject({ name: 'ConflictError' });
      await expect(w.takeovers.setUnavailableDates(shortName, ['2027-02-06'], ['2027-01-09'], spend)).rejects.toMatchObject({ name: 'ConflictError' });
      expect(await daysOf(shortName)).toEqual(['2027-01-09', '2027-01-16']);
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');
      await w.takeovers.setUnavailableDates(shortName, [], ['2027-01-09', '2027-01-16'], spend);
      expect(await daysOf(shortName)).toEqual([]);
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('used');
      await w.takeovers.setUnavailableDates(shortName, ['2027-03-06'], [], await spendable(w, 'event-unavailable', shortName, now));
      expect(await daysOf(shortName)).toEqual(['2027-03-06']);
      const nowhere = w.id('ev');
      const unspent = await spendable(w, 'event-unavailable', nowhere, now);
      await expect(w.takeovers.setUnavailableDates(nowhere, ['2027-01-09'], undefined, unspent)).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.events.getEvents([nowhere], { consistent: true })).size).toBe(0);
      expect((await w.tokens.lookup(unspent.token, now))?.state).toBe('valid');
    });

    it('on a link that has ended: a day is not fixed (NotFoundError, nothing written), but the offer may still be declined', async () => {
      const w = await make();
      const shortName = w.id('ev');
      const { pending, link } = await confirmedLink(w, shortName, now);
      const takeover: Takeover = { id: w.id('t'), ...link, status: 'proposed', proposedDates: ['2027-01-09'], createdAt: now.toISOString(), updatedAt: now.toISOString() };
      const contact = (by: 'practice' | 'event', via: JointContact['via']): JointContact => ({ link, by, via, at: now, dueAt: at('2026-12-21T10:00:00.000Z') });
      await w.takeovers.propose(takeover, await spendable(w, 'takeover-propose', 'x', now), now, contact('practice', 'takeover-offered'));
      await w.registrations.reject((await w.registrations.get(pending.id))!, now, 'analyst@parkrun.example', w.id('req'));
      expect((await w.partnerships.getLink(link.practiceCode, shortName))?.status).toBe('ended');

      const spend = await spendable(w, 'takeover-accept', 'x', now);
      await expect(w.takeovers.fix(takeover, '2027-01-09', later, spend, contact('event', 'takeover-fixed'))).rejects.toMatchObject({ name: 'NotFoundError' });
      expect((await w.takeovers.getTakeover(takeover.id))?.status).toBe('proposed');
      expect(await w.takeovers.takenDates(shortName)).toEqual([]);
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');

      await w.takeovers.decline((await w.takeovers.getTakeover(takeover.id))!, 'The practice has gone', later, spend, nextPrompt, { link });
      expect((await w.takeovers.getTakeover(takeover.id))?.status).toBe('declined');
      const after = await w.partnerships.getLink(link.practiceCode, shortName);
      expect(after?.status).toBe('ended');
      expect(after).not.toHaveProperty('dueAt');
      // No longer planned, but a new offer needs the link: refused, with nothing written.
      const again: Takeover = { ...takeover, id: w.id('t') };
      const propose = await spendable(w, 'takeover-propose', 'x', now);
      await expect(w.takeovers.propose(again, propose, now, contact('practice', 'takeover-offered'))).rejects.toMatchObject({ name: 'NotFoundError' });
      expect(await w.takeovers.getTakeover(again.id)).toBeUndefined();
      expect((await w.takeovers.getPromptState(link))?.planned).toBe(false);
      expect((await w.tokens.lookup(propose.token, now))?.state).toBe('valid');
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
