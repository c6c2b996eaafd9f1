/**
 * The TakeoverStore contract (functions/core/ports.ts), for the fake and the DynamoDB adapter
 * alike: the prompt states and their due index, proposals, fixed days and offers.
 */
import { describe, expect, it } from 'vitest';
import type { Takeover } from '../../functions/core/model.js';
import type { JointContact } from '../../functions/core/policies/joint-contact.js';
import { all, at, spendable, worlds, type MakeWorld, type World } from './worlds.js';

const now = at('2026-11-23T10:00:00.000Z');

async function linked(w: World) {
  const [code, event] = [w.id('P'), w.id('ev')];
  await w.partnerships.recordRegistration({ id: w.id('r'), practice: { code, name: 'Riverside Surgery', postcode: 'TW11 0AA', champion: { name: 'Jane', role: 'GP', email: 'jane@nhs.example' } }, eventShortNames: [event], contactedEventTeam: true, submittedAt: '2026-11-01T10:00:00.000Z' });
  const link = { practiceCode: code, eventShortName: event };
  const takeover: Takeover = { id: w.id('t'), ...link, status: 'proposed', proposedDates: ['2027-01-09', '2027-01-16'], createdAt: now.toISOString(), updatedAt: now.toISOString() };
  const contact = (by: 'practice' | 'event'): JointContact => ({ link, by, via: 'takeover-offered', at: now, dueAt: at('2026-12-21T10:00:00.000Z') });
  return { link, takeover, contact };
}

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
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
