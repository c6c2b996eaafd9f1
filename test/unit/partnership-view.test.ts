/**
 * The page both sides of a link share: its view model from the in-memory ports (contacts,
 * each activity with who recorded it and when, the last contact, takeovers planned and
 * past, this year's feedback as counts, and what will be sent next, from the same
 * policies the jobs run), that it is the same for the champion and a director, that
 * opening it changes nothing, and the page over HTTP: a GET that shows, a POST refused.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.js';
import { InvalidTokenError } from '../../functions/core/errors.js';
import type { FeedbackReport, Link, Takeover } from '../../functions/core/model.js';
import type { TokenPurpose } from '../../functions/core/ports.js';
import { askTimeOf, reminderDueAt } from '../../functions/core/policies/feedback-calendar.js';
import { openPartnership } from '../../functions/core/use-cases/partnership-view.js';
import { anEvent } from '../support/fixtures.js';
import { memoryDeps, type MemoryFeedbackStore, type MemoryTakeoverStore } from '../support/memory-ports.js';

const monday = new Date('2026-11-23T10:00:00Z');
const champion = 'jane.smith@nhs.example';
const director = 'sarah@parkrun.example';
const linkId = 'A81001.bushy';

function aLink(extra: Partial<Link> = {}): Link {
  return {
    practiceCode: 'A81001',
    eventShortName: 'bushy',
    status: 'active',
    createdAt: '2026-06-01T09:00:00Z',
    createdBy: 'registration',
    initialContact: 'introduction',
    introducedAt: '2026-06-01T09:00:00Z',
    lastContactAt: '2026-11-02T12:00:00Z',
    lastContactBy: 'event',
    lastContactHow: 'in-person',
    ladder: { rung: 0 },
    activities: {
      'flyers-posters': { status: 'done', updatedAt: '2026-09-14T08:30:00Z', updatedBy: 'event' },
      'staff-presentation': { status: 'planned', updatedAt: '2026-10-05T13:00:00Z', updatedBy: 'practice' },
    },
    ...extra,
  };
}

const aTakeover = (extra: Partial<Takeover> & Pick<Takeover, 'id' | 'status' | 'createdAt'>): Takeover => ({
  practiceCode: 'A81001',
  eventShortName: 'bushy',
  proposedDates: [],
  updatedAt: extra.createdAt,
  ...extra,
});

const aReport = (period: string, suggested: number, attended: number, staff = { walked: false, ran: false, volunteered: false }): FeedbackReport => ({
  practiceCode: 'A81001',
  eventShortName: 'bushy',
  period,
  suggested,
  attended,
  staff,
  answeredAt: `${period}-28T10:00:00Z`,
});

function world(link: Link = aLink(), now = monday) {
  const deps = memoryDeps([anEvent({ firstTimerContact: { id: 'ftc-1', firstName: 'Sam', whereToFind: 'by the start funnel in a pink vest', email: 'sam@runners.example', confirmedAt: '2026-10-01T10:00:00Z' } })], now);
  deps.partnerships.practices.set('A81001', {
    code: 'A81001',
    name: 'Riverside Surgery',
    postcode: 'TW11 0AA',
    champion: { name: 'Dr Jane Smith', role: 'GP', email: champion, phone: '020 7946 0000' },
  });
  deps.partnerships.links.set('A81001#bushy', link);
  const takeovers = (deps.takeovers as MemoryTakeoverStore).takeovers;
  const feedback = deps.feedback as MemoryFeedbackStore;
  const issue = (role: 'champion' | 'event-director', options: { purpose?: TokenPurpose; expiresAt?: Date; recipient?: string } = {}) =>
    deps.tokens.issue(
      {
        purpose: options.purpose ?? 'partnership',
        subject: linkId,
        recipient: options.recipient ?? (role === 'champion' ? champion : director),
        role,
        expiresAt: options.expiresAt ?? new Date(deps.clock.now().getTime() + 14 * 86_400_000),
      },
      deps.clock.now(),
    );
  const open = async (role: 'champion' | 'event-director') => openPartnership(deps, { linkId, token: await issue(role) });
  return { deps, takeovers, feedback, issue, open };
}

/** A link with a takeover fixed for 9 January, two past ones, feedback in two months of 2026 (and one of 2025), and October asked and answered. */
function aBusyWorld() {
  const w = world(aLink({ takeoverUntil: '2027-01-09' }));
  w.takeovers.set('t-done', aTakeover({ id: 't-done', status: 'done', createdAt: '2025-03-01T10:00:00Z', proposedDates: ['2025-06-07'], date: '2025-06-07', rolesFilled: 'all', outcome: { happened: true, staffVolunteered: 6, wouldDoAgain: true, by: 'practice' } }));
  w.takeovers.set('t-declined', aTakeover({ id: 't-declined', status: 'declined', createdAt: '2026-05-01T10:00:00Z', proposedDates: ['2026-07-04', '2026-07-11'], declineReason: 'Summer festival in the park' }));
  w.takeovers.set('t-fixed', aTakeover({ id: 't-fixed', status: 'fixed', createdAt: '2026-10-01T10:00:00Z', proposedDates: ['2027-01-02', '2027-01-09'], date: '2027-01-09' }));
  // Another practice's takeover at the same event, and this practice's at another: not this link's.
  w.takeovers.set('t-other', aTakeover({ id: 't-other', status: 'fixed', createdAt: '2026-10-02T10:00:00Z', practiceCode: 'A81002', date: '2027-01-16' }));
  w.takeovers.set('t-elsewhere', aTakeover({ id: 't-elsewhere', status: 'proposed', createdAt: '2026-10-03T10:00:00Z', eventShortName: 'bushy-junior', proposedDates: ['2027-02-07'] }));
  for (const r of [aReport('2026-03', 3, 1), aReport('2026-10', 5, 2, { walked: true, ran: false, volunteered: false }), aReport('2025-12', 10, 10, { walked: true, ran: true, volunteered: true })]) {
    w.feedback.reports.set(`A81001.bushy#${r.period}`, r);
  }
  w.feedback.asks.set('A81001.bushy', { practiceCode: 'A81001', eventShortName: 'bushy', period: '2026-10', askedAt: askTimeOf(2026, 11).toISOString(), dueAt: '2026-12-01T10:00:00.000Z', rev: 3 });
  return w;
}

describe('the partnership view', () => {
  it('shows both sides’ contacts, every activity with who recorded it and when, the last contact, takeovers, this year’s feedback as counts, and what goes next', async () => {
    const w = aBusyWorld();
    const view = await w.open('champion');

    expect(view).toMatchObject({ linkId, practiceName: 'Riverside Surgery', eventName: 'Bushy parkrun', ended: false, today: '2026-11-23' });
    expect(view.contacts).toEqual({
      champion: { name: 'Dr Jane Smith', role: 'GP', email: champion, phone: '020 7946 0000' },
      eventContacts: [
        { name: 'Sarah Okafor', email: director, team: false },
        { name: 'Tom Whitley', email: 'tom@parkrun.example', team: false },
      ],
      firstTimerContact: { firstName: 'Sam', whereToFind: 'by the start funnel in a pink vest', email: 'sam@runners.example' },
    });
    expect(view.activities.map((a) => a.key)).toEqual(['event-comms', 'flyers-posters', 'pre-event-briefing', 'staff-presentation', 'volunteer-takeover', 'media-article', 'information-stand']);
    expect(view.activities.find((a) => a.key === 'flyers-posters')).toEqual({ key: 'flyers-posters', label: 'Give the practice parkrun flyers and posters', status: 'done', by: 'event', at: '2026-09-14T08:30:00Z' });
    expect(view.activities.find((a) => a.key === 'staff-presentation')).toMatchObject({ status: 'planned', by: 'practice', at: '2026-10-05T13:00:00Z' });
    expect(view.activities.find((a) => a.key === 'media-article')).toEqual({ key: 'media-article', label: 'Media or press articles' });
    expect(view.lastContact).toEqual({ at: '2026-11-02T12:00:00Z', by: 'event', how: 'in-person' });

    expect(view.takeovers.planned.map((t) => [t.id, t.status, t.date])).toEqual([['t-fixed', 'fixed', '2027-01-09']]);
    // Newest first.
    expect(view.takeovers.past.map((t) => t.id)).toEqual(['t-declined', 't-done']);
    expect(view.takeovers.past[0]).toMatchObject({ declineReason: 'Summer festival in the park', proposedDates: ['2026-07-04', '2026-07-11'] });
    expect(view.takeovers.past[1]).toMatchObject({ rolesFilled: 'all', outcome: { happened: true, staffVolunteered: 6, wouldDoAgain: true, by: 'practice' } });

    // 2026 only, and nothing but counts.
    expect(view.feedback).toEqual({ year: 2026, monthsReported: 2, suggested: 8, attended: 3, monthsStaffTookPart: 1 });

    expect(view.nextSends).toEqual([
      // The takeover's first countdown reminder: the Monday of the week six weeks before, 10:00.
      {
        kind: 'takeover-reminder',
        at: '2026-11-30T10:00:00.000Z',
        reminder: '6-weeks',
        takeoverDate: '2027-01-09',
        // The directors hear of it in their next digest (takeover-dates.ts directorsHear).
        to: [{ name: 'Dr Jane Smith', as: 'champion' }],
      },
      // October was answered, so no reminder; the next ask is November's, on the first Tuesday of December.
      { kind: 'feedback-ask', at: '2026-12-01T10:00:00.000Z', period: '2026-11', to: [{ name: 'Dr Jane Smith', as: 'champion' }] },
      // The takeover holds the ladder: quiet 42 days after its day (Saturday 20 February), a nudge when practice hours open.
      // The first nudge puts the link in the directors' next summary too.
      {
        kind: 'quiet-nudge',
        at: '2027-02-22T08:00:00.000Z',
        to: [{ name: 'Dr Jane Smith', as: 'champion' }],
        second: false,
        alsoDigest: [
          { name: 'Sarah Okafor', as: 'event-director' },
          { name: 'Tom Whitley', as: 'event-director' },
        ],
      },
    ]);
  });

  it('is the same for the champion and for an event director', async () => {
    const w = aBusyWorld();
    const [asChampion, asDirector] = [await w.open('champion'), await w.open('event-director')];
    expect(asDirector).toEqual(asChampion);
    expect(asChampion.activities.filter((a) => a.status).map((a) => a.by)).toEqual(['event', 'practice']);
  });

  it('changes nothing when opened: not the link, not the token, not the stores', async () => {
    const w = aBusyWorld();
    const token = await w.issue('event-director');
    const before = JSON.stringify([[...w.deps.partnerships.links], [...w.takeovers], [...w.feedback.asks], [...w.feedback.reports], [...w.deps.tokens.grants], w.deps.partnerships.history]);
    await openPartnership(w.deps, { linkId, token });
    await openPartnership(w.deps, { linkId, token });
    expect(JSON.stringify([[...w.deps.partnerships.links], [...w.takeovers], [...w.feedback.asks], [...w.feedback.reports], [...w.deps.tokens.grants], w.deps.partnerships.history])).toBe(before);
    expect(w.deps.transport.sent).toEqual([]);
  });

  it('lists the feedback reminder while it is still due and the month unanswered, and the next ask after it', async () => {
    // Tuesday 1 December asked about November; by Wednesday no answer.
    const w = world(aLink(), new Date('2026-12-02T12:00:00Z'));
    w.feedback.asks.set('A81001.bushy', { practiceCode: 'A81001', eventShortName: 'bushy', period: '2026-11', askedAt: askTimeOf(2026, 12).toISOString(), dueAt: reminderDueAt('2026-11').toISOString(), rev: 4 });
    const sends = (await w.open('champion')).nextSends.filter((s) => s.kind.startsWith('feedback'));
    expect(sends).toEqual([
      { kind: 'feedback-reminder', at: reminderDueAt('2026-11').toISOString(), period: '2026-11', to: [{ name: 'Dr Jane Smith', as: 'champion' }] },
      { kind: 'feedback-ask', at: askTimeOf(2027, 1).toISOString(), period: '2026-12', to: [{ name: 'Dr Jane Smith', as: 'champion' }] },
    ]);

    // Not in a month when the countdown of the link's takeover (19 December) mails the champion anyway.
    const busy = world(aLink({ takeoverUntil: '2026-12-19' }), new Date('2026-12-02T12:00:00Z'));
    busy.feedback.asks.set('A81001.bushy', w.feedback.asks.get('A81001.bushy')!);
    expect((await busy.open('champion')).nextSends.filter((s) => s.kind === 'feedback-reminder')).toEqual([]);

    // Answered: no reminder.
    w.feedback.reports.set('A81001.bushy#2026-11', aReport('2026-11', 2, 1));
    expect((await w.open('champion')).nextSends.filter((s) => s.kind === 'feedback-reminder')).toEqual([]);
  });

  it('follows the ladder: a second nudge with a mention in the directors’ summary, then at risk for head office', async () => {
    const rungAt = '2026-11-16T09:00:00Z';
    const second = await world(aLink({ status: 'quiet', lastContactAt: '2026-09-01T12:00:00Z', ladder: { rung: 1, rungAt, quietSince: rungAt } })).open('champion');
    expect(second.nextSends).toEqual([
      {
        kind: 'quiet-nudge',
        at: '2026-11-30T09:00:00.000Z',
        to: [{ name: 'Dr Jane Smith', as: 'champion' }],
        second: true,
        alsoDigest: [
          { name: 'Sarah Okafor', as: 'event-director' },
          { name: 'Tom Whitley', as: 'event-director' },
        ],
      },
    ]);
    const atRisk = await world(aLink({ status: 'quiet', lastContactAt: '2026-09-01T12:00:00Z', ladder: { rung: 2, rungAt, quietSince: rungAt } })).open('champion');
    expect(atRisk.nextSends).toEqual([{ kind: 'at-risk', at: '2026-11-30T09:00:00.000Z', to: [{ name: "parkrun's health team", as: 'head-office' }] }]);
  });

  it('a paused link: the ladder waits for the pause, and no ask is listed before it ends', async () => {
    const w = world(aLink({ pausedUntil: '2027-02-15T10:00:00Z' }));
    w.feedback.asks.set('A81001.bushy', { practiceCode: 'A81001', eventShortName: 'bushy', period: '2026-10', askedAt: askTimeOf(2026, 11).toISOString(), dueAt: '2026-12-01T10:00:00.000Z', rev: 3 });
    w.feedback.reports.set('A81001.bushy#2026-10', aReport('2026-10', 1, 1));
    const view = await w.open('champion');
    expect(view.pausedUntil).toBe('2027-02-15T10:00:00Z');
    expect(view.nextSends.map((s) => [s.kind, s.at])).toEqual([
      ['quiet-nudge', '2027-02-15T10:00:00.000Z'],
      ['feedback-ask', askTimeOf(2027, 3).toISOString()],
    ]);
  });

  it('an ended link says so, and nothing is listed to come', async () => {
    const w = world(aLink({ status: 'ended' }));
    w.feedback.asks.set('A81001.bushy', { practiceCode: 'A81001', eventShortName: 'bushy', period: '2026-10', dueAt: '2026-12-01T10:00:00.000Z', rev: 1 });
    const view = await w.open('event-director');
    expect(view.ended).toBe(true);
    expect(view.nextSends).toEqual([]);
  });

  it('a link at risk is not asked for feedback, as the job would not ask it', async () => {
    const rungAt = '2026-11-16T09:00:00Z';
    const w = world(aLink({ status: 'at-risk', lastContactAt: '2026-08-01T12:00:00Z', ladder: { rung: 3, rungAt, quietSince: rungAt } }));
    w.feedback.asks.set('A81001.bushy', { practiceCode: 'A81001', eventShortName: 'bushy', period: '2026-10', askedAt: askTimeOf(2026, 11).toISOString(), dueAt: '2026-12-01T10:00:00.000Z', rev: 3 });
    const view = await w.open('champion');
    expect(view.ended).toBe(false);
    // The ladder starts again after the at-risk pause; no ask until the link is alive again.
    expect(view.nextSends.map((s) => s.kind)).toEqual(['quiet-nudge']);
  });

  it('refuses a token that is expired (in words true to this page), for another purpose or link, or held by someone who handed over', async () => {
    const w = world();
    const expired = await w.issue('champion', { expiresAt: new Date(monday.getTime() - 1000) });
    const error = await openPartnership(w.deps, { linkId, token: expired }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error).toMatchObject({ problem: 'expired', message: 'Links to this page work for 14 days, so an old or forwarded email cannot show the partnership to someone else.' });
    // The refusal still knows the holder, so the page can offer a fresh link.
    expect((error as InvalidTokenError).detail.lookup?.grant.recipient).toBe(champion);

    await expect(openPartnership(w.deps, { linkId, token: await w.issue('champion', { purpose: 'in-touch' }) })).rejects.toMatchObject({ problem: 'wrong-link' });
    await expect(openPartnership(w.deps, { linkId: 'A81001.cardiff', token: await w.issue('champion') })).rejects.toMatchObject({ problem: 'wrong-link' });
    await expect(openPartnership(w.deps, { linkId, token: 'x'.repeat(43) })).rejects.toMatchObject({ problem: 'unknown' });
    await expect(openPartnership(w.deps, { linkId, token: await w.issue('event-director', { recipient: 'gone@parkrun.example' }) })).rejects.toMatchObject({ problem: 'not-contact' });
  });
});

describe('the partnership page over HTTP', () => {
  const sameOrigin = { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' };

  it('a GET shows the page, with no form and nothing to press; the same words for either side', async () => {
    const w = aBusyWorld();
    const app = createApp(w.deps);
    const page = async (role: 'champion' | 'event-director') => {
      const res = await app.request(`http://localhost/links/${linkId}/partnership/${await w.issue(role)}`);
      expect(res.status).toBe(200);
      return res.text();
    };
    const html = await page('champion');
    expect(html).toContain('<h1>Your partnership</h1>');
    expect(html).not.toMatch(/<form|<button/);
    for (const words of [
      'Dr Jane Smith, GP: ',
      'href="mailto:jane.smith@nhs.example"',
      '020 7946 0000',
      'Event director Sarah Okafor: ',
      'First-timer contact Sam, by the start funnel in a pink vest',
      'Monday 2 November, recorded by the event team (in person at parkrun).',
      'Done, recorded by the event team on Monday 14 September',
      'Planned, recorded by the practice on Monday 5 October',
      'Fixed for Saturday 9 January 2027.',
      'the event team could not do those days: &quot;Summer festival in the park&quot;.',
      'Done on Saturday 7 June 2025. All roles are filled. 6 members of staff volunteered',
      'Riverside Surgery told us about 2 months: 8 patients suggested parkrun, 3 known to have come.',
      'From Monday 30 November: </strong>six weeks to go: a reminder about the takeover on Saturday 9 January 2027, to Dr Jane Smith, if the takeover still stands.',
      'From Tuesday 1 December: </strong>the monthly question about November 2026',
      'a reminder to say hello, to Dr Jane Smith, and a mention in the next summary to Sarah Okafor and Tom Whitley, if there has been no contact by then.',
      'Use the buttons in your latest email to answer.',
    ]) {
      expect(html).toContain(words);
    }
    expect(await page('event-director')).toBe(html);
  });

  it('a POST is refused and changes nothing; an ended link says so', async () => {
    const w = world(aLink({ status: 'ended' }));
    const app = createApp(w.deps);
    const token = await w.issue('champion');
    const before = JSON.stringify([[...w.deps.partnerships.links], [...w.deps.tokens.grants]]);
    const res = await app.request(`http://localhost/links/${linkId}/partnership/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin }, body: 'how=email' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(await res.text()).toContain('Use the buttons in your latest email to answer.');
    expect(JSON.stringify([[...w.deps.partnerships.links], [...w.deps.tokens.grants]])).toBe(before);

    const page = await (await app.request(`http://localhost/links/${linkId}/partnership/${token}`)).text();
    expect(page).toContain('This partnership has ended.');
    expect(page).toContain('Nothing is planned.');
  });

  it('an expired link gets the refusal page with a fresh link offered, and a link answers no other purpose', async () => {
    const w = world();
    const app = createApp(w.deps);
    const expired = await w.issue('champion', { expiresAt: new Date(monday.getTime() - 1000) });
    const res = await app.request(`http://localhost/links/${linkId}/partnership/${expired}`);
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toContain('This link has expired');
    expect(html).toContain(`action="/fresh-links/${expired}"`);
    // A partnership token cannot answer anything: the answers' router refuses it.
    const live = await w.issue('champion');
    const answer = await app.request(`http://localhost/links/${linkId}/in-touch/${live}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin }, body: 'how=email' });
    expect(answer.status).toBe(404);
    expect(w.deps.partnerships.links.get('A81001#bushy')?.lastContactHow).toBe('in-person');
  });
});
