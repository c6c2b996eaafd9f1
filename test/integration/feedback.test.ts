/**
 * Attendance feedback on DynamoDB Local: the monthly asks to live links only, one
 * reminder, answers that count as contact, the directors' monthly summary in their
 * digest (and nothing when nobody answered), and every bad answer refused with nothing stored.
 */
import { QueryCommand, UpdateCommand } from '../../functions/adapters/dynamo/document-client.js';
import { keys } from '../../functions/adapters/dynamo/items.js';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.js';
import { apiDeps } from '../../functions/wiring.js';
import { runFeedbackAsks } from '../../functions/core/use-cases/attendance-feedback.js';
import { runQuietLinkSweep } from '../../functions/core/use-cases/quiet-link-sweep.js';
import { linksIn, pathOf } from '../support/magic-links.js';
import { aLink, aPractice, day, sweepWorld } from '../support/sweep-world.js';

const firstTuesday = new Date('2026-12-01T10:00:00Z');
const codes = { active: 'A00001', paused: 'A00002', atRisk: 'A00003', introduced: 'A00004', quiet: 'A00005' };
const championOf = (code: string) => `${code.toLowerCase()}@nhs.example`;

async function world() {
  const w = await sweepWorld({
    start: new Date('2026-11-30T09:00:00Z'),
    practices: Object.values(codes).map((c) => aPractice(c)),
    links: [
      aLink(codes.active, 'bushy', firstTuesday, 10),
      aLink(codes.paused, 'bushy', firstTuesday, 10, { pausedUntil: '2027-01-20T00:00:00.000Z' }),
      aLink(codes.atRisk, 'bushy', firstTuesday, 120, { status: 'at-risk', ladder: { rung: 3 } }),
      // Introduced five days before, with no contact recorded since.
      aLink(codes.introduced, 'bushy', firstTuesday, 5, { status: 'introduced', lastContactAt: undefined, lastContactBy: undefined, introducedAt: new Date(firstTuesday.getTime() - 5 * day).toISOString() }),
      aLink(codes.quiet, 'bushy', firstTuesday, 50, { status: 'quiet', ladder: { rung: 1 } }),
    ],
  });
  for (const code of Object.values(codes)) {
    expect(await w.store.feedback.saveAskState({ practiceCode: code, eventShortName: 'bushy', dueAt: firstTuesday.toISOString() })).toBe(true);
  }
  const app = createApp(apiDeps(w.store, { addresses: ['analyst@parkrun.example'] }));
  const post = (url: string, body: string) =>
    app.request(`http://localhost${pathOf(url)}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, body });
  const mailTo = (to: string) => w.recording.sent.filter((e) => e.to === to);
  const askUrl = (code: string) => {
    const ask = mailTo(championOf(code)).at(-1);
    if (!ask) throw new Error(`no ask to ${code}`);
    return linksIn(ask)['Tell us about November 2026']!;
  };
  const job = () => runFeedbackAsks(w.deps);
  /** A takeover fixed for `day` holds the link's ladder: its next quiet check is 42 days after it, whatever else happens. */
  const holdLadder = (code: string, takeoverDay: string) =>
    w.t.doc.send(
      new UpdateCommand({
        TableName: w.t.tableName,
        Key: keys.link(code, 'bushy'),
        UpdateExpression: 'SET takeoverUntil = :day, dueAt = :due',
        ExpressionAttributeValues: { ':day': takeoverDay, ':due': new Date(Date.parse(`${takeoverDay}T12:00:00Z`) + 42 * day).toISOString() },
      }),
    );
  return { ...w, app, post, mailTo, askUrl, job, holdLadder };
}

describe('attendance feedback on DynamoDB Local', () => {
  it('asks live links in the first week, reminds once, counts the answer as contact, and summarises the month to the directors', async () => {
    const w = await world();
    w.at(firstTuesday.toISOString());
    expect(await w.job()).toMatchObject({ due: 5, asked: 2, deferred: 3, failed: 0 });
    expect(w.sent().map((e) => e.to).sort()).toEqual([championOf(codes.active), championOf(codes.introduced)]);
    expect(w.sent()[0]!.subject).toMatch(/^November 2026 at Practice A0000\d: how many patients did you point to Bushy parkrun\?$/);
    // The paused and at-risk links are not asked, nor is the quiet one (its champion is nudged to say hello instead); they are looked at again next month.
    expect((await w.store.feedback.getAskState({ practiceCode: codes.paused, eventShortName: 'bushy' }))?.dueAt).toBe('2027-01-05T10:00:00.000Z');
    expect((await w.store.feedback.getAskState({ practiceCode: codes.atRisk, eventShortName: 'bushy' }))?.dueAt).toBe('2027-01-05T10:00:00.000Z');
    expect((await w.store.feedback.getAskState({ practiceCode: codes.quiet, eventShortName: 'bushy' }))?.dueAt).toBe('2027-01-05T10:00:00.000Z');
    expect(w.mailTo(championOf(codes.quiet))).toEqual([]);

    // A run again the same morning sends nothing more.
    expect(await w.job()).toMatchObject({ due: 0, asked: 0 });

    // The active link's champion answers: stored, and contact on the link.
    const page = await w.app.request(`http://localhost${pathOf(w.askUrl(codes.active))}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('do not enter names or anything else that could identify a patient');
    w.clock.advance(2 * day);
    const answered = await w.post(w.askUrl(codes.active), 'suggested=12&attended=4&staff=walked&staff=volunteered');
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain('suggested parkrun to 12 patients, 4 known to have come; staff walked and volunteered');
    expect(await w.store.feedback.getReport({ practiceCode: codes.active, eventShortName: 'bushy' }, '2026-11')).toMatchObject({
      suggested: 12,
      attended: 4,
      staff: { walked: true, ran: false, volunteered: true },
    });
    const link = await w.link(codes.active);
    expect(link).toMatchObject({ status: 'active', lastContactAt: w.clock.now().toISOString(), lastContactBy: 'practice', ladder: { rung: 0 } });
    const history = await w.t.doc.send(
      new QueryCommand({ TableName: w.t.tableName, KeyConditionExpression: 'pk = :p AND begins_with(sk, :h)', ExpressionAttributeValues: { ':p': `PRACTICE#${codes.active}`, ':h': 'HISTORY#bushy#' } }),
    );
    expect(history.Items?.map((i) => i.via)).toEqual(['feedback']);

    // A week on: one reminder, to the link that has not answered.
    w.at('2026-12-08T10:00:00Z');
    const before = w.recording.sent.length;
    expect(await w.job()).toMatchObject({ reminded: 1 });
    expect(w.recording.sent.slice(before).map((e) => [e.to, e.subject])).toEqual([[championOf(codes.introduced), `Reminder: November 2026 at Practice ${codes.introduced} and Bushy parkrun`]]);
    expect(await w.job()).toMatchObject({ due: 0 });

    // Two weeks on: the summary goes into each director's digest, and the sweep sends it.
    w.at('2026-12-15T10:00:00Z');
    expect(await w.job()).toMatchObject({ summaries: 1 });
    w.clock.advance(60_000);
    await runQuietLinkSweep(w.deps);
    const digest = w.mailTo('sarah@parkrun.example').find((e) => e.subject.includes('what practices told us about November 2026'));
    expect(digest?.text).toContain(`What practices told us about November 2026:\nPractice ${codes.active}: suggested parkrun to 12 patients, 4 known to have come; staff walked and volunteered`);
    expect(digest?.text).toContain('In all: 12 patients suggested parkrun, 4 known to have come.');
    expect(digest?.text).not.toContain(`Practice ${codes.introduced}: suggested`);
    expect(linksIn(digest!)['Name a first-timer contact, so practices can tell patients whom to ask for']).toMatch(/\/links\/A00001\.bushy\/first-timer-contact\//);
    expect(w.mailTo('tom@parkrun.example').some((e) => e.subject.includes('what practices told us about November 2026'))).toBe(true);

    // Next month: asked again (a new month starts clean), and never a second reminder for the old one.
    // The introduced link, quiet from 7 January, would be nudged then rather than asked now:
    // a takeover ahead holds its ladder here.
    await w.holdLadder(codes.introduced, '2027-02-27');
    w.at('2027-01-05T10:00:00Z');
    const report = await w.job();
    expect(report.asked).toBe(2);
    expect((await w.store.feedback.getAskState({ practiceCode: codes.introduced, eventShortName: 'bushy' }))).toMatchObject({ period: '2026-12', dueAt: '2027-01-12T10:00:00.000Z' });
    expect((await w.store.feedback.getAskState({ practiceCode: codes.introduced, eventShortName: 'bushy' }))?.remindedAt).toBeUndefined();
  });

  it('sends the directors nothing for a month nobody answered', async () => {
    const w = await world();
    w.at(firstTuesday.toISOString());
    await w.job();
    w.at('2026-12-15T10:00:00Z');
    expect(await w.job()).toMatchObject({ summaries: 0, failed: 0 });
    const sentBefore = w.recording.sent.length;
    w.clock.advance(60_000);
    await runQuietLinkSweep(w.deps);
    expect(w.recording.sent.slice(sentBefore).filter((e) => e.subject.includes('what practices told us'))).toEqual([]);
    // The summary is done with: it does not come due again.
    w.at('2026-12-22T10:00:00Z');
    expect(await w.job()).toMatchObject({ due: 0 });
  });

  it.each([
    ['a negative count', 'suggested=-1&attended=0', 'cannot be negative'],
    ['an absurd count', 'suggested=5000&attended=0', '5000 is more than 500'],
    ['a count that is not a number', 'suggested=lots&attended=0', 'as a number, like 12'],
    ['a field beyond those named', 'suggested=3&attended=1&patient=Jane+Doe+born+1950', 'remove &quot;patient&quot;'],
    ['a file sent in place of a count', null, 'files are not accepted'],
  ])('refuses %s with a clear message, and stores nothing', async (_why, body, message) => {
    const w = await world();
    w.at(firstTuesday.toISOString());
    await w.job();
    const url = w.askUrl(codes.active);
    let response: Response;
    if (body === null) {
      const form = new FormData();
      form.set('suggested', '3');
      form.set('attended', '1');
      form.set('notes', new Blob(['Jane Doe, 01/02/1950'], { type: 'text/plain' }), 'notes.txt');
      response = await w.app.request(`http://localhost${pathOf(url)}`, { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' }, body: form });
    } else {
      response = await w.post(url, body);
    }
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain(message);
    expect(html).not.toContain('Jane Doe');
    expect(await w.store.feedback.getReport({ practiceCode: codes.active, eventShortName: 'bushy' }, '2026-11')).toBeUndefined();
    expect((await w.link(codes.active))?.lastContactBy).toBe('practice');
    expect((await w.link(codes.active))?.lastContactAt).toBe(new Date(firstTuesday.getTime() - 10 * day).toISOString());
  });

  it('refuses a feedback link for another link or question', async () => {
    const w = await world();
    w.at(firstTuesday.toISOString());
    await w.job();
    const url = new URL(w.askUrl(codes.active));
    const elsewhere = url.pathname.replace('A00001.bushy', 'A00004.bushy');
    expect((await w.app.request(`http://localhost${elsewhere}`)).status).toBe(404);
    const otherPurpose = url.pathname.replace('/feedback/', '/newcomers/');
    expect((await w.app.request(`http://localhost${otherPurpose}`)).status).toBe(404);
  });

  it('reminds on the second Tuesday even when the ask run started late', async () => {
    const w = await world();
    w.at('2026-12-01T10:07:00Z'); // a retry, minutes after the schedule
    expect(await w.job()).toMatchObject({ asked: 2 });
    w.at('2026-12-08T10:00:00Z');
    expect(await w.job()).toMatchObject({ reminded: 2 });
  });
  it('sends no reminder in a month when the champion hears of their takeover anyway', async () => {
    const w = await world();
    // A takeover on Saturday 19 December: its countdown mails the champion on 7, 16 and 21 December.
    await w.holdLadder(codes.introduced, '2026-12-19');
    w.at(firstTuesday.toISOString());
    expect(await w.job()).toMatchObject({ asked: 2 });
    w.at('2026-12-08T10:00:00Z');
    const before = w.recording.sent.length;
    expect(await w.job()).toMatchObject({ reminded: 1, failed: 0 });
    expect(w.recording.sent.slice(before).map((e) => e.to)).toEqual([championOf(codes.active)]);
    expect((await w.store.feedback.getAskState({ practiceCode: codes.introduced, eventShortName: 'bushy' }))).toMatchObject({ period: '2026-11', dueAt: '2027-01-05T10:00:00.000Z' });
  });

  it('asks every month; reminds a practice in its first month or one that answered the month before, and no other', async () => {
    const w = await world();
    const asksTo = (code: string) => w.mailTo(championOf(code)).filter((e) => /how many patients|^Reminder:/.test(e.subject));
    // Months from its quiet date throughout: a takeover in August holds its ladder.
    await w.holdLadder(codes.introduced, '2027-08-28');
    // Every Tuesday at 10:00 from December to July (each run does what is due).
    for (let at = firstTuesday.getTime(); at < Date.parse('2027-07-31T00:00:00Z'); at += 7 * day) {
      w.at(new Date(at).toISOString());
      await w.job();
      await w.releaseHeld();
      // The practice answers the ask about February, and only that one.
      const february = asksTo(codes.introduced).find((e) => e.subject.startsWith('February 2027'));
      if (february && !(await w.store.feedback.getReport({ practiceCode: codes.introduced, eventShortName: 'bushy' }, '2027-02'))) {
        expect((await w.post(linksIn(february)['Tell us about February 2027']!, 'suggested=2&attended=1')).status).toBe(200);
      }
    }
    expect(asksTo(codes.introduced).map((e) => e.subject.replace(/ at Practice.*$/, ''))).toEqual([
      'November 2026', // its first month: reminded
      'Reminder: November 2026',
      'December 2026', // November unanswered: asked, not reminded
      'January 2027',
      'February 2027', // answered: no reminder
      'March 2027', // February answered: reminded
      'Reminder: March 2027',
      'April 2027', // March unanswered: asked, not reminded
      'May 2027',
      'June 2027',
    ]);
  });
});
