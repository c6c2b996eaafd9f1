/**
 * One budget per person for email they did not ask for (core/policies/mail-budget.ts),
 * applied by the mailer and the held-mail job: one unasked email a week, the rest held and
 * sent together in one round-up, most important first; mail answering the person's own
 * action outside the budget, but inside quiet hours.
 */
import { describe, expect, it } from 'vitest';
import type { MailRequest } from '../../functions/core/mailer.js';
import { budgetDays, defaultMailBudget, heldAskStands, isUnasked, repeatedParts, roundUpOrder, spendSlot, unaskedTemplates } from '../../functions/core/policies/mail-budget.js';
import { releaseHeldMail } from '../../functions/core/use-cases/held-mail.js';
import { templatesByName } from '../../templates/all.js';
import { feedbackAsk } from '../../templates/feedback-emails.js';
import { introEventTeam, type IntroEventTeamView } from '../../templates/intro-event-team.js';
import type { NoticeView } from '../../templates/notice.js';
import { renderRoundUp } from '../../templates/render.js';
import { quietLinkNudge } from '../../templates/quiet-link-nudge.js';
import { takeoverNotice } from '../../templates/takeover-emails.js';
import { anEvent, anIntroEventTeamView } from '../support/fixtures.js';
import { memoryDeps } from '../support/memory-ports.js';

const day = 86_400_000;
/** The spacing these tests are about, with no monthly count in the way (that has its own tests below). */
const weekly = { budget: { unaskedEveryDays: 7, unaskedPerMonth: 31 } };
/** A Tuesday at 10:00 in London: inside every window. */
const tuesday = new Date('2026-11-24T10:00:00Z');
const champion = 'sarah@nhs.example';

const notice = (template: typeof feedbackAsk, key: string, subject: string): MailRequest<NoticeView> => ({
  idempotencyKey: key,
  kind: template === feedbackAsk ? 'feedback' : 'takeovers',
  to: champion,
  window: { audience: 'practice', timeZone: 'Europe/London' },
  template,
  links: { answer: { purpose: 'feedback', subject: 'A81001.bushy', role: 'champion', detail: { period: '2026-10' } } },
  view: (urls) => ({ greeting: 'Sarah', subject, paragraphs: [`About ${subject}.`], action: { label: 'Answer', url: urls.answer ?? '' } }),
  reason: 'You get this as the parkrun practice contact for Riverside Surgery.',
  practiceCode: 'A81001',
  eventShortName: 'bushy',
});
const ask = (n: number) => notice(feedbackAsk, `feedback-ask#A81001.bushy#2026-${String(n).padStart(2, '0')}`, `Feedback ${n}`);
const introduction = (key: string): MailRequest<IntroEventTeamView> => ({
  idempotencyKey: key,
  kind: 'introductions',
  to: champion,
  window: { audience: 'event-director', timeZone: 'Europe/London' },
  template: introEventTeam,
  view: anIntroEventTeamView(),
  reason: 'You get this as an event director of Bushy parkrun.',
  practiceCode: 'A81001',
  eventShortName: 'bushy',
});

describe('the budget policy', () => {
  it('counts the jobs’ own emails and nothing that answers a person’s action', () => {
    for (const name of unaskedTemplates) expect(templatesByName.has(name), name).toBe(true);
    expect(isUnasked('quiet-link-nudge')).toBe(true);
    expect(isUnasked('event-director-digest')).toBe(true);
    for (const name of ['registration-confirmation', 'intro-practice', 'takeover-notice', 'fresh-link', 'newcomer-notice', 'head-office-sign-in', 'handover-offer']) expect(isUnasked(name), name).toBe(false);
  });

  it('orders a round-up most important first, then oldest first', () => {
    const parts = [
      { template: 'event-director-digest', idempotencyKey: 'd', heldAt: '2026-11-20' },
      { template: 'feedback-ask', idempotencyKey: 'f2', heldAt: '2026-11-22' },
      { template: 'feedback-ask', idempotencyKey: 'f1', heldAt: '2026-11-21' },
      { template: 'takeover-prompt', idempotencyKey: 't', heldAt: '2026-11-23' },
    ];
    expect(roundUpOrder(parts).map((p) => p.idempotencyKey)).toEqual(['t', 'f1', 'f2', 'd']);
  });
});

describe('at most two unasked emails a month', () => {
  const december = { id: '2026-12', nextMonthAt: new Date('2027-01-01T00:00:00Z') };
  it('spends a slot a week apart, two in a month, then waits for the next month', () => {
    const first = spendSlot(undefined, 'a', new Date('2026-12-01T10:00:00Z'), december, defaultMailBudget);
    expect(first).toEqual({ granted: true, next: { lastAt: '2026-12-01T10:00:00.000Z', key: 'a', month: '2026-12', inMonth: 1 } });
    const slot = first.granted ? first.next : undefined;
    // Six days on is too soon: a week, less the hour a weekly job may take.
    expect(spendSlot(slot, 'b', new Date('2026-12-07T10:00:00Z'), december, defaultMailBudget)).toEqual({ granted: false, freeAt: new Date('2026-12-08T09:00:00.000Z') });
    const second = spendSlot(slot, 'b', new Date('2026-12-08T10:00:00Z'), december, defaultMailBudget);
    expect(second.granted && second.next?.inMonth).toBe(2);
    // Two this month: the third waits for January, however long after the second.
    expect(spendSlot(second.granted ? second.next : undefined, 'c', new Date('2026-12-28T10:00:00Z'), december, defaultMailBudget)).toEqual({ granted: false, freeAt: december.nextMonthAt });
  });

  it('gives a retried key its slot back without spending another, and starts each month at nought', () => {
    const slot = { lastAt: '2026-12-09T10:00:00.000Z', key: 'b', month: '2026-12', inMonth: 2 };
    expect(spendSlot(slot, 'b', new Date('2026-12-09T10:05:00Z'), december, defaultMailBudget)).toEqual({ granted: true });
    const january = spendSlot(slot, 'c', new Date('2027-01-05T10:00:00Z'), { id: '2027-01', nextMonthAt: new Date('2027-02-01T00:00:00Z') }, defaultMailBudget);
    expect(january.granted && january.next?.inMonth).toBe(1);
  });

  it('holds the third of a month until the next, in the reader’s time zone, and drops a reminder gone stale meanwhile', async () => {
    const deps = memoryDeps([anEvent()], new Date('2026-12-01T10:00:00Z'));
    expect(await deps.mailer.send(ask(1))).toBe('sent');
    deps.clock.at = new Date('2026-12-10T10:00:00Z');
    expect(await deps.mailer.send(ask(2))).toBe('sent');
    deps.clock.at = new Date('2026-12-21T10:00:00Z');
    expect(await deps.mailer.send(introduction('intro-event-team#r9#bushy#sarah'))).toBe('held');
    // A reminder about December's ask is worth nothing once January's is out.
    expect(await deps.mailer.send({ ...ask(3), staleAfter: new Date('2027-01-05T10:00:00Z') })).toBe('held');
    // Midnight on 1 January in London (a director's window is open then; the held-mail job's first run that day sends it).
    expect(deps.held.held.get('intro-event-team#r9#bushy#sarah')?.sendAt).toBe('2027-01-01T00:00:00.000Z');
    deps.clock.at = new Date('2027-01-05T10:30:00Z');
    expect(await releaseHeldMail(deps)).toMatchObject({ due: 2, sent: 1, dropped: 1 });
    expect(deps.transport.sent.map((e) => e.subject)).toEqual(['Feedback 1', 'Feedback 2', expect.stringContaining('linked with')]);
  });
});

describe('a round-up that fails part-way', () => {
  it('gives back every part it claimed when a reader’s preferences cannot be read, and the next run sends them', async () => {
    const deps = memoryDeps([anEvent()], tuesday, weekly);
    await deps.mailer.send(ask(1));
    await deps.mailer.send(ask(2));
    await deps.mailer.send(introduction('intro-event-team#r9#bushy#sarah'));
    deps.clock.at = new Date(tuesday.getTime() + 7 * day);
    const read = deps.optOuts.isOptedOut.bind(deps.optOuts);
    let reads = 0;
    deps.optOuts.isOptedOut = async (email, kind) => {
      // The second part's read fails, after its ledger claim.
      if (++reads === 2) throw new Error('preferences unavailable');
      return read(email, kind);
    };
    expect(await releaseHeldMail(deps)).toMatchObject({ due: 2, sent: 0, failed: 1 });
    for (const key of [ask(2).idempotencyKey, 'intro-event-team#r9#bushy#sarah']) expect(deps.ledger.records.get(key)?.status, key).toBe('failed');
    // Not after the 5-minute lease: at once, on the next run.
    expect(await releaseHeldMail(deps)).toMatchObject({ due: 2, sent: 1, failed: 0 });
    expect(deps.transport.sent).toHaveLength(2);
  });
});

describe('a round-up never asks the same thing twice', () => {
  it('keeps the first held of each kind of ask about a link, and drops the rest', () => {
    const parts = [
      { template: 'feedback-ask', idempotencyKey: 'feedback-reminder#A.bushy#2026-10', heldAt: '2026-11-10', practiceCode: 'A', eventShortName: 'bushy' },
      { template: 'feedback-ask', idempotencyKey: 'feedback-ask#A.bushy#2026-10', heldAt: '2026-11-03', practiceCode: 'A', eventShortName: 'bushy' },
      { template: 'feedback-ask', idempotencyKey: 'feedback-ask#A.richmond#2026-10', heldAt: '2026-11-04', practiceCode: 'A', eventShortName: 'richmond' },
      { template: 'quiet-link-nudge', idempotencyKey: 'nudge#A.bushy#rung1', heldAt: '2026-11-05', practiceCode: 'A', eventShortName: 'bushy' },
      { template: 'quiet-link-nudge', idempotencyKey: 'nudge#A.bushy#rung2', heldAt: '2026-11-19', practiceCode: 'A', eventShortName: 'bushy' },
      { template: 'event-director-digest', idempotencyKey: 'digest#1', heldAt: '2026-11-01' },
      { template: 'event-director-digest', idempotencyKey: 'digest#2', heldAt: '2026-11-08' },
    ];
    expect(repeatedParts(parts).sort()).toEqual(['feedback-reminder#A.bushy#2026-10', 'nudge#A.bushy#rung2']);
  });

  it('sends the ask and not its reminder when both waited for the same round-up', async () => {
    const deps = memoryDeps([anEvent()], tuesday, weekly);
    await deps.mailer.send(introduction('intro-event-team#r9#bushy#sarah'));
    deps.clock.at = new Date(tuesday.getTime() + 1 * day);
    await deps.mailer.send(ask(1));
    deps.clock.at = new Date(tuesday.getTime() + 2 * day);
    await deps.mailer.send({ ...ask(1), idempotencyKey: 'feedback-reminder#A81001.bushy#2026-01', view: (urls) => ({ greeting: 'Sarah', subject: 'Reminder 1', paragraphs: ['A week ago we asked.'], action: { label: 'Answer', url: urls.answer ?? '' } }) });
    await deps.mailer.send(introduction('intro-event-team#r10#bushy#sarah'));
    deps.clock.at = new Date(tuesday.getTime() + 7 * day);
    expect(await releaseHeldMail(deps)).toMatchObject({ due: 3, sent: 1, dropped: 1 });
    const roundUp = deps.transport.sent.at(-1)!;
    expect(roundUp.text).toContain('About Feedback 1.');
    expect(roundUp.text).not.toContain('A week ago we asked.');
    expect(deps.ledger.records.has('feedback-reminder#A81001.bushy#2026-01')).toBe(false);
    expect(deps.held.held.size).toBe(0);
  });
});

describe('a held ask, when the budget frees', () => {
  const heldAt = '2026-11-24T10:00:00.000Z';
  const now = new Date('2026-12-01T09:00:00Z');
  const nudge = { template: 'quiet-link-nudge', heldAt };
  it('stands while the link is still quiet', () => {
    expect(heldAskStands(nudge, { status: 'quiet', lastContactAt: '2026-10-01T10:00:00.000Z' }, now)).toBe(true);
  });
  it('falls when the sides have been in touch since, a takeover is ahead, or the link has ended', () => {
    expect(heldAskStands(nudge, { status: 'active', lastContactAt: '2026-11-25T10:00:00.000Z' }, now)).toBe(false);
    expect(heldAskStands(nudge, { status: 'quiet', takeoverUntil: '2027-01-16' }, now)).toBe(false);
    expect(heldAskStands({ template: 'takeover-prompt', heldAt }, { status: 'active', takeoverUntil: '2026-12-05' }, now)).toBe(false);
    expect(heldAskStands(nudge, { status: 'ended' }, now)).toBe(false);
    expect(heldAskStands(nudge, undefined, now)).toBe(false);
  });
  it('leaves other held email alone, and a takeover day passed holds nothing', () => {
    expect(heldAskStands({ template: 'feedback-ask', heldAt }, { status: 'ended' }, now)).toBe(true);
    expect(heldAskStands(nudge, { status: 'quiet', takeoverUntil: '2026-11-28' }, now)).toBe(true);
  });
});

describe('the mailer’s budget', () => {
  it('sends the first unasked email of the week and holds the next until the budget frees', async () => {
    const deps = memoryDeps([anEvent()], tuesday, weekly);
    expect(await deps.mailer.send(ask(1))).toBe('sent');
    deps.clock.at = new Date(tuesday.getTime() + 2 * day);
    expect(await deps.mailer.send(ask(2))).toBe('held');
    expect(deps.transport.sent).toHaveLength(1);
    const held = deps.held.held.get(ask(2).idempotencyKey);
    expect(held?.unasked).toBe(true);
    // A week after the first (less the hour a weekly job may take), inside practice hours.
    expect(held?.sendAt).toBe(new Date(tuesday.getTime() + budgetDays(weekly.budget) * day).toISOString());
    expect(held?.sendAt).toBe('2026-12-01T09:00:00.000Z');
  });

  it('lets a weekly job at the same hour through, though last week’s run took a moment', async () => {
    const deps = memoryDeps([anEvent()], new Date(tuesday.getTime() + 20), weekly);
    expect(await deps.mailer.send(ask(1))).toBe('sent');
    deps.clock.at = new Date(tuesday.getTime() + 7 * day);
    expect(await deps.mailer.send(ask(2))).toBe('sent');
  });

  it('keeps mail answering the person’s own action outside the budget, but inside quiet hours', async () => {
    const deps = memoryDeps([anEvent()], tuesday, weekly);
    await deps.mailer.send(ask(1));
    expect(await deps.mailer.send(notice(takeoverNotice, 'takeover-fixed#t1', 'Your takeover is fixed'))).toBe('sent');
    expect(deps.transport.sent.map((e) => e.tags.find((t) => t.name === 'budget')?.value)).toEqual(['unasked', 'outside']);
    // Saturday: outside practice hours, so it waits for Monday 08:00 even though it is outside the budget.
    deps.clock.at = new Date('2026-11-28T10:00:00Z');
    expect(await deps.mailer.send(notice(takeoverNotice, 'takeover-countdown#t1', 'Three days to go'))).toBe('held');
    expect(deps.held.held.get('takeover-countdown#t1')?.sendAt).toBe('2026-11-30T08:00:00.000Z');
    expect(deps.held.held.get('takeover-countdown#t1')?.unasked).toBeUndefined();
  });

  it('sends what fell due in the week as one round-up, most important first, each part once, with working links', async () => {
    const deps = memoryDeps([anEvent()], tuesday, weekly);
    await deps.mailer.send(ask(1));
    deps.clock.at = new Date(tuesday.getTime() + 1 * day);
    await deps.mailer.send(ask(2));
    deps.clock.at = new Date(tuesday.getTime() + 2 * day);
    await deps.mailer.send(introduction('intro-event-team#r9#bushy#sarah'));
    expect(deps.held.held.size).toBe(2);

    // Not yet: the budget is spent until a week after the first.
    deps.clock.at = new Date(tuesday.getTime() + 6 * day);
    expect(await releaseHeldMail(deps)).toMatchObject({ due: 0, sent: 0 });
    deps.clock.at = new Date(tuesday.getTime() + 7 * day);
    expect(await releaseHeldMail(deps)).toMatchObject({ due: 2, sent: 1, failed: 0 });
    expect(await releaseHeldMail(deps)).toMatchObject({ due: 0, sent: 0 });
    expect(deps.held.held.size).toBe(0);
    expect(deps.transport.sent).toHaveLength(2);

    const roundUp = deps.transport.sent[1]!;
    // The introduction ranks above a feedback ask: it comes first, and names the email.
    expect(roundUp.subject).toBe('Riverside Surgery has linked with Bushy parkrun, and 1 more this week');
    expect(roundUp.text.indexOf('1. Riverside Surgery has linked')).toBeGreaterThan(-1);
    expect(roundUp.text.indexOf('2. Feedback 2')).toBeGreaterThan(roundUp.text.indexOf('1. Riverside Surgery has linked'));
    expect(roundUp.html).toContain('About Feedback 2.');
    // One greeting and one footer, however many parts.
    expect(roundUp.text.match(/^Hello /gm)).toHaveLength(1);
    expect(roundUp.html.match(/<p>Hello /g)).toHaveLength(1);
    expect(roundUp.text.match(/Choose which emails you get/g)).toHaveLength(1);
    expect(roundUp.tags).toEqual([
      { name: 'kind', value: 'introductions' },
      { name: 'template', value: 'round-up' },
      { name: 'parts', value: 'intro-event-team_feedback-ask' },
      { name: 'budget', value: 'unasked' },
    ]);
    // Each part is recorded as sent under its own key.
    expect(deps.ledger.records.get(ask(2).idempotencyKey)?.status).toBe('sent');
    expect(deps.ledger.records.get('intro-event-team#r9#bushy#sarah')?.status).toBe('sent');
    // The feedback part's link was issued when the round-up went, for its own purpose.
    const token = /\/links\/A81001\.bushy\/feedback\/([A-Za-z0-9_-]{43})/.exec(roundUp.text)?.[1];
    const found = await deps.tokens.lookup(token ?? '', deps.clock.now());
    expect(found?.grant).toMatchObject({ purpose: 'feedback', recipient: champion, role: 'champion' });

    // The round-up spent the new week's budget: the next unasked email waits a week again.
    expect(await deps.mailer.send(ask(3))).toBe('held');
    expect(deps.held.held.get(ask(3).idempotencyKey)?.sendAt).toBe(new Date(tuesday.getTime() + (7 + budgetDays(weekly.budget)) * day).toISOString());
  });

  it('drops a held nudge to say hello once the sides have planned a takeover meanwhile', async () => {
    const deps = memoryDeps([anEvent()], tuesday, weekly);
    deps.partnerships.links.set('A81001#bushy', { practiceCode: 'A81001', eventShortName: 'bushy', status: 'quiet', createdAt: '2026-09-01T10:00:00.000Z', createdBy: 'registration', initialContact: 'introduction' });
    await deps.mailer.send(ask(1));
    const nudge = {
      championName: 'Sarah',
      practiceName: 'Riverside Surgery',
      eventName: 'Bushy parkrun',
      weeksQuiet: 8,
      secondNudge: false,
      directors: [],
      nextEventDate: 'Saturday 5 December',
      answers: { inTouchUrl: '', activitiesUrl: '', pause1Url: '', pause3Url: '' },
    };
    expect(await deps.mailer.send({ ...notice(feedbackAsk, 'nudge#A81001.bushy#q#rung1', ''), kind: 'nudges', template: quietLinkNudge, links: {}, view: nudge })).toBe('held');
    // The champion offers Saturdays from another email: the link holds a takeover ahead.
    deps.partnerships.links.set('A81001#bushy', { ...deps.partnerships.links.get('A81001#bushy')!, status: 'active', lastContactAt: new Date(tuesday.getTime() + day).toISOString(), takeoverUntil: '2027-01-16' });
    deps.clock.at = new Date(tuesday.getTime() + 7 * day);
    expect(await releaseHeldMail(deps)).toMatchObject({ due: 1, sent: 0, dropped: 1 });
    expect(deps.transport.sent.map((e) => e.subject)).toEqual(['Feedback 1']);
    expect(deps.held.held.size).toBe(0);
  });

  it('leaves out a part whose kind the reader has stopped, and a part sent already', async () => {
    const deps = memoryDeps([anEvent()], tuesday, weekly);
    await deps.mailer.send(ask(1));
    await deps.mailer.send(ask(2));
    // About another link: not a repeat of the ask about this one (repeatedParts).
    await deps.mailer.send({ ...ask(3), eventShortName: 'richmond' });
    await deps.mailer.send(introduction('intro-event-team#r9#bushy#sarah'));
    deps.optOuts.stopped.set(champion, ['introductions']);
    // Sent meanwhile by a run that crashed before releasing it.
    const claim = await deps.ledger.claim(ask(3).idempotencyKey, { kind: 'feedback', template: 'feedback-ask', to: champion }, deps.clock.now(), 1000);
    if (claim.outcome === 'claimed') await deps.ledger.markSent(ask(3).idempotencyKey, claim.claimId, { messageId: 'm', subject: 's' }, deps.clock.now());

    deps.clock.at = new Date(tuesday.getTime() + 7 * day);
    expect(await releaseHeldMail(deps)).toMatchObject({ due: 3, sent: 1 });
    const roundUp = deps.transport.sent.at(-1)!;
    expect(roundUp.subject).toBe('Feedback 2');
    // On the list of what it is, not of the part left out.
    expect(roundUp.tags[0]).toEqual({ name: 'kind', value: 'feedback' });
    expect(roundUp.text).not.toContain('linked with Bushy');
    expect(deps.ledger.records.get('intro-event-team#r9#bushy#sarah')?.status).toBe('suppressed');
    expect(deps.held.held.size).toBe(0);
  });
});

describe('a round-up’s rendering', () => {
  it('escapes what people typed, and never runs it as a template', () => {
    const typed = '<hstl>{{unsubscribeUrl}} {{> footer}}';
    const part = (subject: string) => ({ template: feedbackAsk, view: { greeting: typed, subject, paragraphs: [typed], action: { label: 'Answer', url: 'https://nudges.test/a' } } });
    const email = renderRoundUp([part('One'), part(`Two ${typed}`)], { unsubscribeUrl: 'https://nudges.test/u', preferencesUrl: 'https://nudges.test/p', reason: 'Why.' });
    expect(email.html).not.toContain('<hstl>');
    expect(email.html).toContain('&lt;hstl&gt;');
    expect(email.html).not.toContain('https://nudges.test/u');
    expect(email.text).toContain(typed);
    expect(email.subject).toBe('One, and 1 more this week');
    expect(email.text).toContain(`2. Two ${typed}`);
  });
});
