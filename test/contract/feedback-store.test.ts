/** The FeedbackStore contract (functions/core/ports.ts), for the fake and the DynamoDB adapter alike. */
import { describe, expect, it } from 'vitest';
import type { FeedbackReport } from '../../functions/core/model.js';
import { all, at, spendable, worlds, type MakeWorld } from './worlds.js';

const now = at('2026-12-01T10:00:00.000Z');

function contract(name: string, make: MakeWorld) {
  describe(`FeedbackStore: ${name}`, () => {
    it('saves an ask state only over the revision it read: the first only while there is none', async () => {
      const { feedback, id } = await make();
      const link = { practiceCode: id('P'), eventShortName: id('ev') };
      expect(await feedback.getAskState(link)).toBeUndefined();
      expect(await feedback.saveAskState({ ...link, period: '2026-11', dueAt: '2026-12-01T09:00:00.000Z' })).toBe(true);
      const first = (await feedback.getAskState(link))!;
      expect(first).toMatchObject({ ...link, period: '2026-11', rev: 1 });
      expect(await feedback.saveAskState({ ...link, period: '2026-12' })).toBe(false);
      expect(await feedback.saveAskState({ ...first, askedAt: now.toISOString() })).toBe(true);
      expect(await feedback.saveAskState({ ...first, remindedAt: now.toISOString() })).toBe(false);
      expect(await feedback.getAskState(link)).toMatchObject({ askedAt: now.toISOString(), rev: 2 });
    });

    it('gives the asks and summaries due by now, and no others', async () => {
      const { feedback, id } = await make({ freshTable: true });
      const [due, later, event] = [{ practiceCode: id('P'), eventShortName: id('ev') }, { practiceCode: id('P'), eventShortName: id('ev') }, id('ev')];
      await feedback.saveAskState({ ...due, dueAt: now.toISOString() });
      await feedback.saveAskState({ ...later, dueAt: '2026-12-01T10:00:00.001Z' });
      await feedback.saveAskState({ practiceCode: id('P'), eventShortName: id('ev') });
      await feedback.ensureSummary({ eventShortName: event, period: '2026-11', dueAt: '2026-12-01T08:00:00.000Z' });
      await feedback.ensureSummary({ eventShortName: event, period: '2026-12', dueAt: '2027-01-01T08:00:00.000Z' });
      const work = (await all(feedback.feedbackDue(now))).items;
      expect(work.map((w) => (w.kind === 'ask' ? `ask ${w.state.practiceCode}` : `summary ${w.state.period}`)).sort()).toEqual([`ask ${due.practiceCode}`, 'summary 2026-11'].sort());
    });

    it('makes a month’s summary once, and takes it out of the due work when completed', async () => {
      const { feedback, id } = await make({ freshTable: true });
      const event = id('ev');
      await feedback.ensureSummary({ eventShortName: event, period: '2026-11', dueAt: '2026-12-01T08:00:00.000Z' });
      await feedback.ensureSummary({ eventShortName: event, period: '2026-11', dueAt: '2026-12-20T08:00:00.000Z' });
      const [work] = (await all(feedback.feedbackDue(now))).items;
      expect(work).toEqual({ kind: 'summary', state: { eventShortName: event, period: '2026-11', dueAt: '2026-12-01T08:00:00.000Z' } });
      await feedback.completeSummary({ eventShortName: event, period: '2026-11', dueAt: '2026-12-01T08:00:00.000Z' }, now);
      expect((await all(feedback.feedbackDue(at('2027-06-01T00:00:00.000Z')))).items).toEqual([]);
    });

    it('records an answer with its token as contact on the link, replacing an earlier one for the month', async () => {
      const w = await make();
      const [code, event] = [w.id('P'), w.id('ev')];
      const link = { practiceCode: code, eventShortName: event };
      await w.partnerships.recordRegistration({ id: w.id('r'), practice: { code, name: 'Riverside Surgery', postcode: 'TW11 0AA', champion: { name: 'Jane', role: 'GP', email: 'jane@nhs.example' } }, eventShortNames: [event], contactedEventTeam: true, submittedAt: '2026-11-01T10:00:00.000Z' });
      const report = (attended: number, answeredAt: string): FeedbackReport => ({ ...link, period: '2026-11', suggested: 10, attended, staff: { walked: true, ran: false, volunteered: false }, answeredAt });
      const dueAt = at('2026-12-29T10:00:00.000Z');
      await w.feedback.recordReport(report(2, now.toISOString()), await spendable(w, 'feedback', `${code}.${event}`, now), dueAt);
      await w.feedback.recordReport(report(3, '2026-12-02T10:00:00.000Z'), await spendable(w, 'feedback', `${code}.${event}`, now), dueAt);
      expect(await w.feedback.getReport(link, '2026-11')).toEqual(report(3, '2026-12-02T10:00:00.000Z'));
      expect(await w.feedback.reportsOf(event, '2026-11')).toEqual([report(3, '2026-12-02T10:00:00.000Z')]);
      expect(await w.feedback.reportsOf(event, '2026-10')).toEqual([]);
      expect(await w.partnerships.getLink(code, event)).toMatchObject({ status: 'active', lastContactBy: 'practice', lastContactAt: '2026-12-02T10:00:00.000Z', dueAt: dueAt.toISOString() });
    });

    it('refuses an answer for a link that does not exist, storing nothing and leaving the token unspent', async () => {
      const w = await make();
      const link = { practiceCode: w.id('P'), eventShortName: w.id('ev') };
      const spend = await spendable(w, 'feedback', 'x', now);
      const report: FeedbackReport = { ...link, period: '2026-11', suggested: 1, attended: 1, staff: { walked: false, ran: false, volunteered: false }, answeredAt: now.toISOString() };
      await expect(w.feedback.recordReport(report, spend, now)).rejects.toMatchObject({ name: 'NotFoundError' });
      expect(await w.feedback.getReport(link, '2026-11')).toBeUndefined();
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
