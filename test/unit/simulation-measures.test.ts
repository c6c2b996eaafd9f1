import { describe, expect, it } from 'vitest';
import type { MailboxMessage } from '../../local/mailbox.js';
import {
  busiestPersonMonths,
  checkTargets,
  contactByReply,
  contradictoryNudges,
  duplicateEmails,
  emailsPerPersonMonth,
  helloAsks,
  ledgerEntriesOf,
  quantile,
  quietHourEmails,
  roundUpSections,
  takeoverHeldAt,
  templateTotals,
  unaskedEmailsPerPersonMonth,
  type Target,
  type TakeoverRecord,
} from '../../simulation/measures.js';
import { reportHtml, summarise } from '../../simulation/report.js';
import type { SimulationResult } from '../../simulation/simulate.js';
import { eventDirectorDigest, type EventDirectorDigestView } from '../../templates/event-director-digest.js';
import { quietLinkNudge, type QuietLinkNudgeView } from '../../templates/quiet-link-nudge.js';
import { renderEmail, renderRoundUp } from '../../templates/render.js';
import { takeoverPrompt } from '../../templates/takeover-emails.js';
import { OptionError, parseOptions } from '../../simulation/options.js';
import { buildWorld } from '../../simulation/world.js';
import { defaultBehaviour, defaultOptions } from '../../simulation/options.js';

const defaultOptionsForTest = () => structuredClone(defaultOptions);

const message = (to: string, sentAt: string, text = 'Hello https://x.test/links/a/in-touch/abc', subject = 'Hi'): MailboxMessage => ({
  id: `${to}-${sentAt}`,
  to: [to],
  from: 'n@x.test',
  replyTo: [],
  subject,
  text,
  html: '',
  headers: {},
  tags: {},
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

/** A message as the mailbox keeps it, with the tags the mailer gives. */
const tagged = (to: string, sentAt: string, tags: Record<string, string>, text = 'Hello'): MailboxMessage => ({ ...message(to, sentAt, text), id: `${to}-${sentAt}-${tags.template}`, tags });
const nudgeTags = { kind: 'nudges', template: 'quiet-link-nudge', budget: 'unasked' };

const base = 'https://nudges.test';
const answersFor = (link: string) => ({
  inTouchUrl: `${base}/links/${link}/in-touch/t1`,
  activitiesUrl: `${base}/links/${link}/activities/t2`,
  pause1Url: `${base}/links/${link}/pause/t3?months=1`,
  pause3Url: `${base}/links/${link}/pause/t4?months=3`,
});
const layout = { unsubscribeUrl: `${base}/unsubscribe/u`, preferencesUrl: `${base}/preferences/u`, reason: 'You get this because.' };
const nudgeView = (link: string, practiceName = 'Riverside Surgery'): QuietLinkNudgeView => ({
  championName: 'Alex',
  practiceName,
  eventName: 'Bushy parkrun',
  weeksQuiet: 7,
  secondNudge: false,
  directors: [{ name: 'Sam', email: 'sam@parkrun.example' }],
  nextEventDate: 'Saturday 6 March',
  answers: answersFor(link),
});
const promptView = (link: string) => ({
  championName: 'Alex',
  practiceName: 'Riverside Surgery',
  eventName: 'Bushy parkrun',
  dates: [{ label: 'Saturday 3 April', url: `${base}/links/${link}/takeover-propose/p1?date=2027-04-03` }],
  notThisYearUrl: `${base}/links/${link}/takeover-not-this-year/p2`,
});
/** A digest offering a takeover on one link, introducing another, and listing two as still quiet. */
const digestView = (): EventDirectorDigestView => ({
  directorName: 'Sam',
  eventName: 'Bushy parkrun',
  summary: '2 practice links could do with a hello',
  newPractices: [{ practiceName: 'New Surgery', practicePostcode: 'TW11 0AA', championName: 'Jo', championRole: 'GP', championEmail: 'jo@nhs.example', answers: answersFor('N00001.bushy') }],
  links: [
    { practiceName: 'Quiet One', championName: 'Kim', championRole: 'Nurse', championEmail: 'kim@nhs.example', weeksQuiet: 9, answers: answersFor('Q00001.bushy') },
    { practiceName: 'Quiet Two', championName: 'Lee', championRole: 'GP', championEmail: 'lee@nhs.example', weeksQuiet: 10, answers: answersFor('Q00002.bushy') },
  ],
  hasLinks: true,
  proposals: [{ practiceName: 'Keen Surgery', championName: 'Max', championEmail: 'max@nhs.example', dates: 'Saturday 3 April', acceptUrl: `${base}/links/K00001.bushy/takeover-accept/a1` }],
  hasProposals: true,
  unavailableUrl: `${base}/links/K00001.bushy/event-unavailable/a2`,
  summaries: [],
  contactNeeded: [],
  coming: [],
  outcomes: [],
});

describe('simulation measures of issue 19', () => {
  const from = new Date('2027-01-04T00:00:00Z');
  const to = new Date('2027-04-01T00:00:00Z');

  it('spreads unasked email per champion per month, leaving out email outside the budget', () => {
    const messages = [
      tagged('a@x', '2027-02-03T10:00:00Z', nudgeTags),
      tagged('a@x', '2027-02-04T10:00:00Z', { kind: 'requested', template: 'fresh-link', budget: 'outside' }),
      tagged('a@x', '2027-02-05T10:00:00Z', { kind: 'takeovers', template: 'takeover-notice', budget: 'outside' }),
      tagged('a@x', '2027-02-12T10:00:00Z', { kind: 'nudges', template: 'round-up', parts: 'takeover-prompt_quiet-link-nudge', budget: 'unasked' }),
      tagged('b@x', '2027-03-03T10:00:00Z', { kind: 'feedback', template: 'feedback-ask', budget: 'unasked' }),
    ];
    // a: February 2 unasked (of 4), March 0; b: February 0, March 1.
    expect(unaskedEmailsPerPersonMonth(messages, ['a@x', 'b@x'], from, to)).toEqual({ median: 0, p95: 2, max: 2 });
    expect(emailsPerPersonMonth(messages, ['a@x', 'b@x'], from, to).max).toBe(4);
  });

  it('counts the year’s emails by template, a round-up once as such and its parts apart', () => {
    const messages = [
      tagged('a@x', '2027-02-03T10:00:00Z', nudgeTags),
      tagged('a@x', '2027-02-10T10:00:00Z', nudgeTags),
      tagged('b@x', '2027-02-03T10:00:00Z', { kind: 'nudges', template: 'round-up', parts: 'takeover-prompt_quiet-link-nudge', budget: 'unasked' }),
      tagged('c@x', '2027-02-03T10:00:00Z', { kind: 'requested', template: 'fresh-link', budget: 'outside' }),
    ];
    const totals = templateTotals(messages);
    expect(totals.byTemplate).toEqual({ 'quiet-link-nudge': 2, 'fresh-link': 1, 'round-up': 1 });
    expect(totals.roundUpParts).toEqual({ 'quiet-link-nudge': 1, 'takeover-prompt': 1 });
    // The ledger has an entry for each email, and for each part of a round-up.
    expect(ledgerEntriesOf(messages)).toBe(5);
  });

  it('lists the busiest people-months, most first, a round-up one email counted by its parts', () => {
    const roundUp = { kind: 'takeovers', template: 'round-up', parts: 'takeover-prompt_quiet-link-nudge_feedback-ask', budget: 'unasked' };
    const rows = busiestPersonMonths(
      [
        tagged('a@x', '2027-02-03T10:00:00Z', nudgeTags),
        tagged('a@x', '2027-02-10T10:00:00Z', roundUp),
        tagged('b@x', '2027-02-03T10:00:00Z', nudgeTags),
        tagged('b@x', '2027-03-03T10:00:00Z', nudgeTags),
        tagged('b@x', '2027-03-10T10:00:00Z', nudgeTags),
        tagged('b@x', '2027-03-17T10:00:00Z', nudgeTags),
        // January is not wholly inside the run; d is nobody asked about.
        tagged('a@x', '2027-01-05T10:00:00Z', nudgeTags),
        tagged('a@x', '2027-01-06T10:00:00Z', nudgeTags),
        tagged('a@x', '2027-01-07T10:00:00Z', nudgeTags),
        tagged('a@x', '2027-01-08T10:00:00Z', nudgeTags),
        tagged('d@x', '2027-02-03T10:00:00Z', nudgeTags),
        tagged('d@x', '2027-02-04T10:00:00Z', nudgeTags),
        tagged('d@x', '2027-02-05T10:00:00Z', nudgeTags),
        tagged('d@x', '2027-02-06T10:00:00Z', nudgeTags),
      ],
      ['a@x', 'b@x'],
      from,
      to,
      2,
    );
    expect(rows).toEqual([
      { address: 'b@x', month: '2027-03', emails: 3, roundUps: 0, roundUpParts: 0, byTemplate: { 'quiet-link-nudge': 3 } },
      { address: 'a@x', month: '2027-02', emails: 2, roundUps: 1, roundUpParts: 3, byTemplate: { 'quiet-link-nudge': 2, 'takeover-prompt': 1, 'feedback-ask': 1 } },
    ]);
  });

  it('finds the link a nudge asks a hello for, alone or in a round-up, and only the digest’s still-quiet links', () => {
    const nudge = renderEmail(quietLinkNudge, nudgeView('A81001.bushy'), layout);
    expect(helloAsks(tagged('a@x', '2027-02-03T10:00:00Z', nudgeTags, nudge.text))).toEqual([{ template: 'quiet-link-nudge', link: 'A81001.bushy', roundUp: false }]);

    const bundle = renderRoundUp(
      [
        { template: takeoverPrompt, view: promptView('P00001.bushy') },
        { template: quietLinkNudge, view: nudgeView('A81001.bushy') },
      ],
      layout,
    );
    const parts = { kind: 'takeovers', template: 'round-up', parts: 'takeover-prompt_quiet-link-nudge', budget: 'unasked' };
    expect(roundUpSections(bundle.text, 2)).toHaveLength(2);
    expect(helloAsks(tagged('a@x', '2027-02-03T10:00:00Z', parts, bundle.text))).toEqual([{ template: 'quiet-link-nudge', link: 'A81001.bushy', roundUp: true }]);

    const digest = renderEmail(eventDirectorDigest, digestView(), layout);
    const asks = helloAsks(tagged('sam@parkrun.example', '2027-02-03T19:00:00Z', { kind: 'digests', template: 'event-director-digest', budget: 'unasked' }, digest.text));
    expect(asks.map((a) => a.link)).toEqual(['Q00001.bushy', 'Q00002.bushy']);

    // The same email's words with another template's tag ask for nothing.
    expect(helloAsks(tagged('a@x', '2027-02-03T10:00:00Z', { kind: 'takeovers', template: 'takeover-prompt', budget: 'unasked' }, nudge.text))).toEqual([]);
  });

  it('reads what a takeover was at a moment from its record as read a little later', () => {
    const at = '2027-03-01T10:00:00.000Z';
    const record = (over: Partial<TakeoverRecord>): TakeoverRecord => ({ status: 'proposed', createdAt: '2027-02-01T11:00:00.000Z', updatedAt: '2027-02-01T11:00:00.000Z', ...over });
    expect(takeoverHeldAt(record({}), at)).toBe('offered');
    expect(takeoverHeldAt(record({ createdAt: '2027-03-01T11:00:00.000Z', updatedAt: '2027-03-01T11:00:00.000Z' }), at)).toBeUndefined();
    expect(takeoverHeldAt(record({ status: 'fixed', date: '2027-04-03', updatedAt: '2027-02-10T20:00:00.000Z' }), at)).toBe('planned');
    // Its day is the day of the email: not yet passed. The day before: passed.
    expect(takeoverHeldAt(record({ status: 'fixed', date: '2027-03-01' }), at)).toBe('planned');
    expect(takeoverHeldAt(record({ status: 'fixed', date: '2027-02-27' }), at)).toBeUndefined();
    expect(takeoverHeldAt(record({ status: 'declined', updatedAt: '2027-02-20T20:00:00.000Z' }), at)).toBeUndefined();
    // Changed after the email: an offer expired since was still offered; a plan reported on since was still planned.
    expect(takeoverHeldAt(record({ status: 'declined', updatedAt: '2027-03-01T11:00:00.000Z' }), at)).toBe('offered');
    expect(takeoverHeldAt(record({ status: 'done', date: '2027-03-06', updatedAt: '2027-03-01T11:00:00.000Z' }), at)).toBe('planned');
    expect(takeoverHeldAt(record({ status: 'done', date: '2027-02-27', updatedAt: '2027-03-01T11:00:00.000Z' }), at)).toBeUndefined();
    expect(takeoverHeldAt(record({ status: 'cancelled', date: '2027-03-06', updatedAt: '2027-02-20T20:00:00.000Z' }), at)).toBeUndefined();
    expect(takeoverHeldAt(record({ status: 'fixed', date: '2027-02-27', previousDate: '2027-03-06', updatedAt: '2027-03-01T11:00:00.000Z' }), at)).toBe('planned');
  });

  it('counts nudges and digest entries about a link with a takeover offered or planned then, once per email and link', () => {
    const takeovers: Record<string, TakeoverRecord[]> = {
      'A81001.bushy': [{ status: 'fixed', date: '2027-04-03', createdAt: '2027-02-15T11:00:00.000Z', updatedAt: '2027-02-20T20:00:00.000Z' }],
      'Q00002.bushy': [{ status: 'proposed', createdAt: '2027-02-01T11:00:00.000Z', updatedAt: '2027-02-01T11:00:00.000Z' }],
    };
    const nudge = (sentAt: string, link: string) => tagged('a@x', sentAt, nudgeTags, renderEmail(quietLinkNudge, nudgeView(link), layout).text);
    const digest = tagged('sam@parkrun.example', '2027-03-01T19:00:00.000Z', { kind: 'digests', template: 'event-director-digest', budget: 'unasked' }, renderEmail(eventDirectorDigest, digestView(), layout).text);
    const found = contradictoryNudges(
      [
        nudge('2027-02-10T10:00:00.000Z', 'A81001.bushy'), // before the offer: fine
        nudge('2027-03-01T10:00:00.000Z', 'A81001.bushy'), // planned for 3 April
        nudge('2027-04-05T10:00:00.000Z', 'A81001.bushy'), // the day has passed: fine
        nudge('2027-03-01T10:00:00.000Z', 'B00001.bushy'), // no takeover
        digest, // lists Q00002 (offered) as still quiet; K00001's offer to answer is no ask for a hello
      ],
      (link) => takeovers[link] ?? [],
    );
    expect(found.map((c) => [c.sentAt, c.link, c.template, c.takeover])).toEqual([
      ['2027-03-01T10:00:00.000Z', 'A81001.bushy', 'quiet-link-nudge', 'planned'],
      ['2027-03-01T19:00:00.000Z', 'Q00002.bushy', 'event-director-digest', 'offered'],
    ]);

    // Two nudges for one link held for the same round-up (a first and a second): one contradiction, in a round-up.
    const twice = renderRoundUp(
      [
        { template: quietLinkNudge, view: nudgeView('A81001.bushy') },
        { template: quietLinkNudge, view: { ...nudgeView('A81001.bushy'), secondNudge: true } },
      ],
      layout,
    );
    const bundled = tagged('a@x', '2027-03-01T10:00:00.000Z', { kind: 'nudges', template: 'round-up', parts: 'quiet-link-nudge_quiet-link-nudge', budget: 'unasked' }, twice.text);
    expect(contradictoryNudges([bundled], (link) => takeovers[link] ?? []).map((c) => [c.link, c.roundUp])).toEqual([['A81001.bushy', true]]);
  });

  it('checks each target against its figure, at most or at least', () => {
    const figures = {
      edEmailsPerMonth: { median: 1, p95: 3, max: 4 },
      championUnaskedEmailsPerMonth: { median: 1, p95: 2, max: 2 },
      championEmailsPerMonthMax: 5,
      contradictoryNudges: 0,
      contactShare90d: 0.7,
      takeoversDone: 300,
      feedbackResponseRate: 0.6,
    };
    const targets: Target[] = [
      { label: 'ed p95', figure: (f) => f.edEmailsPerMonth.p95, atMost: 2 },
      { label: 'ed max', figure: (f) => f.edEmailsPerMonth.max, atMost: 4 },
      { label: 'contact', figure: (f) => f.contactShare90d, atLeast: 0.75, share: true },
      { label: 'done', figure: (f) => f.takeoversDone, atLeast: 300 },
    ];
    expect(checkTargets(figures, targets)).toEqual([
      { label: 'ed p95', figure: 3, goal: '≤ 2', met: false, share: false },
      { label: 'ed max', figure: 4, goal: '≤ 4', met: true, share: false },
      { label: 'contact', figure: 0.7, goal: '≥ 75.0%', met: false, share: true },
      { label: 'done', figure: 300, goal: '≥ 300', met: true, share: false },
    ]);
  });

  it('puts the new figures in the summary and the report: unasked email, contradictions, templates, the busiest months and the targets', () => {
    const nudgeText = renderEmail(quietLinkNudge, nudgeView('A81001.bushy'), layout).text;
    const result: SimulationResult = {
      options: { ...defaultOptionsForTest(), events: 1, practices: 2, weeks: 13 },
      startedAt: from,
      endedAt: to,
      weeks: [],
      messages: [
        tagged('champion.a@nhs.example', '2027-02-03T10:00:00.000Z', nudgeTags, nudgeText),
        tagged('champion.a@nhs.example', '2027-02-04T10:00:00.000Z', { kind: 'requested', template: 'fresh-link', budget: 'outside' }),
        tagged('ed@parkrun.example', '2027-02-06T19:00:00.000Z', { kind: 'digests', template: 'event-director-digest', budget: 'unasked' }),
      ],
      people: new Map(),
      directors: ['ed@parkrun.example'],
      champions: ['champion.a@nhs.example', 'champion.b@nhs.example'],
      answers: {},
      refusedWith: {},
      replyOutcomes: {},
      errors: [],
      helloAsksChecked: 1,
      contradictions: [{ messageId: 'm', sentAt: '2027-02-03T10:00:00.000Z', to: 'champion.a@nhs.example', link: 'A81001.bushy', template: 'quiet-link-nudge', roundUp: false, takeover: 'planned' }],
      ledgerSent: 3,
      takeovers: { done: 1 },
      feedbackReports: 0,
      feedbackAsked: 0,
      registrations: { accepted: 2, refused: 0 },
      wallSeconds: 1,
    };
    const summary = summarise(result);
    expect(summary.championUnaskedEmailsPerMonth).toEqual({ median: 0, p95: 1, max: 1 });
    expect(summary.championUnaskedEmailsPerMonthMax).toBe(1);
    expect(summary.championEmailsPerMonthMax).toBe(2);
    expect(summary.contradictoryNudges).toBe(1);
    expect(summary.contradictoryNudgesBy).toEqual({ nudges: 1, digests: 0 });
    expect(summary.byTemplate).toEqual({ 'event-director-digest': 1, 'fresh-link': 1, 'quiet-link-nudge': 1 });
    // One contradiction fewer, one target fewer missed.
    const without = summarise({ ...result, contradictions: [] });
    expect(summary.targetsMissed.filter((t) => !without.targetsMissed.includes(t))).toHaveLength(1);
    expect(without.targetsMissed.every((t) => summary.targetsMissed.includes(t))).toBe(true);
    expect(JSON.stringify(summary)).not.toContain('champion.a@nhs.example');
    const html = reportHtml(summary, result);
    expect(html).toContain('Targets (issue 19)');
    expect(html).toContain('champion.a@nhs.example');
    expect(html).toContain('A81001.bushy');
  });

  it('counts our emails per person per month apart from replies relayed from the other side, and gives both', () => {
    const relayed = (at: string) => tagged('ed@parkrun.example', at, { kind: 'replies', template: 'reply-relay', budget: 'outside' });
    const digest = tagged('ed@parkrun.example', '2027-02-06T19:00:00.000Z', { kind: 'digests', template: 'event-director-digest', budget: 'unasked' });
    const result = {
      options: { ...defaultOptionsForTest(), events: 1, practices: 1, weeks: 13 },
      startedAt: from,
      endedAt: to,
      weeks: [],
      messages: [digest, relayed('2027-02-08T19:00:00.000Z'), relayed('2027-02-09T19:00:00.000Z')],
      people: new Map(),
      directors: ['ed@parkrun.example'],
      champions: [],
      answers: {},
      refusedWith: {},
      replyOutcomes: {},
      errors: [],
      helloAsksChecked: 0,
      contradictions: [],
      ledgerSent: 3,
      takeovers: {},
      feedbackReports: 0,
      feedbackAsked: 0,
      registrations: { accepted: 1, refused: 0 },
      wallSeconds: 1,
    } satisfies SimulationResult;
    const summary = summarise(result);
    expect(summary.edEmailsPerMonthMax).toBe(1);
    expect(summary.edEmailsPerMonthWithRelayedReplies.max).toBe(3);
    expect(reportHtml(summary, result)).toContain('Event directors, with the replies relayed to them');
  });
});

describe('contact by reply', () => {
  it('is the share of contact people recorded that came by replying, counting only replies that recorded contact', () => {
    const answers = { 'in-touch': { answered: 30, left: 0, refused: 2, error: 0 }, reply: { answered: 14, left: 0, refused: 0, error: 0 } };
    expect(contactByReply(answers, { contact: 10, relayed: 3, 'ignored rate-limited': 1 })).toEqual({ replies: 14, repliesRecordingContact: 10, inTouchPresses: 30, share: 0.25 });
    expect(contactByReply({}, {})).toEqual({ replies: 0, repliesRecordingContact: 0, inTouchPresses: 0, share: 0 });
  });
});
