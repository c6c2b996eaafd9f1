/** Takeovers on DynamoDB Local: offers, declines, a day already taken, moves and cancels, and reminders that fail to be created. */
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.js';
import { apiDeps } from '../../functions/wiring.js';
import { EventBridgeReminders } from '../../functions/adapters/eventbridge-reminders.js';
import { runQuietLinkSweep, type SweepStep } from '../../functions/core/use-cases/quiet-link-sweep.js';
import { followTakeover, sendTakeoverReminder } from '../../functions/core/use-cases/takeover-countdown.js';
import { runTakeoverPrompts } from '../../functions/core/use-cases/takeover-planning.js';
import type { OutgoingEmail } from '../../functions/core/ports.js';
import type { DocumentClient } from '../../functions/adapters/dynamo/document-client.js';
import { LocalReminders } from '../../local/local-reminders.js';
import { linksIn, pathOf } from '../support/magic-links.js';
import { aLink, aPractice, day, sweepWorld } from '../support/sweep-world.js';

const monday = new Date('2026-11-23T10:00:00Z');

/** Both practices linked with Bushy, each last in touch `quietDays` ago. */
async function world(quietDays = 5) {
  const w = await sweepWorld({
    start: monday,
    practices: [aPractice('A00001'), aPractice('A00002')],
    links: [aLink('A00001', 'bushy', monday, quietDays), aLink('A00002', 'bushy', monday, quietDays)],
  });
  for (const code of ['A00001', 'A00002']) await w.store.takeovers.savePromptState({ practiceCode: code, eventShortName: 'bushy', planned: false, dueAt: monday.toISOString() });
  const reminders = new LocalReminders();
  const app = createApp(apiDeps(w.store, { addresses: ['analyst@parkrun.example'] }));
  const post = (url: string, body: string) =>
    app.request(`http://localhost${pathOf(url)}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, body });
  const follow = async (id: string, deps: Parameters<typeof followTakeover>[0] = { ...w.deps, reminders }) => followTakeover(deps, (await w.store.takeovers.getTakeover(id))!);
  const latest = (to: string, subject: string | RegExp): OutgoingEmail => {
    const found = [...w.recording.sent].reverse().find((e) => e.to === to && (typeof subject === 'string' ? e.subject === subject : subject.test(e.subject)));
    if (!found) throw new Error(`no email to ${to} about ${subject}`);
    return found;
  };
  /** The prompt, an offer of the first two Saturdays, and the director's digest with the offer. */
  async function offer(code: string, waitDays = 0) {
    await runTakeoverPrompts(w.deps);
    const prompt = latest(`${code.toLowerCase()}@nhs.example`, /take over Bushy parkrun one Saturday/);
    const dates = [...prompt.text.matchAll(/^Saturday \d+ \w+: (\S+)$/gm)].map((m) => new URL(m[1]!).searchParams.get('date')!);
    const first = [...prompt.text.matchAll(/^Saturday \d+ \w+: (\S+)$/gm)][0]![1]!;
    expect((await post(first, `dates=${dates[0]}&dates=${dates[1]}`)).status).toBe(200);
    const takeoverId = (await w.store.takeovers.getPromptState({ practiceCode: code, eventShortName: 'bushy' }))!.planned ? await idOf(code) : '';
    await follow(takeoverId);
    // A director gets at most one digest in the digest interval: a second offer waits for the next one.
    w.clock.advance(waitDays * 86_400_000 + 60_000);
    await runQuietLinkSweep(w.deps);
    const digest = latest('sarah@parkrun.example', /would like to take over/);
    return { dates, takeoverId, acceptUrl: linksIn(digest)['Choose a date or say no']! };
  }
  /** The director's next digest: the sweep once their digest interval since the last one has passed. */
  async function nextDigest(to: string, subject: RegExp): Promise<OutgoingEmail> {
    w.clock.advance(w.deps.nudgePolicy.digestIntervalDays * 86_400_000 + 60_000);
    await runQuietLinkSweep(w.deps);
    return latest(to, subject);
  }
  const idOf = (code: string) => idOfTakeover(w, code);
  return { ...w, app, reminders, post, follow, latest, offer, nextDigest };
}

describe('takeovers on DynamoDB Local', () => {
  it('fixes a day, and refuses the same day to another practice', async () => {
    const w = await world();
    const a = await w.offer('A00001');
    expect((await w.post(a.acceptUrl, `date=${a.dates[0]}`)).status).toBe(200);
    await w.follow(a.takeoverId);
    expect([...w.reminders.pending.keys()].sort()).toEqual(
      ['6-weeks', '2-weeks', '3-days', 'after'].map((r) => `tk-${a.takeoverId}-${r}-${a.dates[0]!.replace(/-/g, '')}`).sort(),
    );
    // Practice B's prompt went out in the same Monday run, before A's day was fixed, and still lists it.
    const bPrompt = w.latest('a00002@nhs.example', /take over Bushy parkrun one Saturday/);
    const sameDay = [...bPrompt.text.matchAll(/^Saturday \d+ \w+: (\S+)$/gm)].map((m) => m[1]!).find((u) => new URL(u).searchParams.get('date') === a.dates[0])!;
    const refused = await w.post(sameDay, `dates=${a.dates[0]}`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('already taken');
    // A week later is too close: one takeover at an event every four weeks at most.
    const weekLater = new Date(Date.parse(`${a.dates[0]}T12:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    const nextWeek = [...bPrompt.text.matchAll(/^Saturday \d+ \w+: (\S+)$/gm)].map((m) => m[1]!).find((u) => new URL(u).searchParams.get('date') === weekLater)!;
    const tooClose = await w.post(nextWeek, `dates=${weekLater}`);
    expect(tooClose.status).toBe(400);
    expect(await tooClose.text()).toContain('within four weeks of another practice');
    expect((await w.store.takeovers.getPromptState({ practiceCode: 'A00002', eventShortName: 'bushy' }))?.planned).toBe(false);
  });

  it('holds a day for one practice only, even when two directors fix it at once', async () => {
    const w = await world();
    const a = await w.offer('A00001');
    const b = await w.offer('A00002', 7);
    expect(b.acceptUrl).not.toBe(a.acceptUrl);
    expect(b.dates[0]).toBe(a.dates[0]);
    const results = await Promise.all([w.post(a.acceptUrl, `date=${a.dates[0]}`), w.post(b.acceptUrl, `date=${b.dates[0]}`)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await w.store.takeovers.takenDates('bushy')).toEqual([a.dates[0]]);
  });

  it('sends a decline back to the champion with the reason and fresh Saturdays', async () => {
    const w = await world();
    const a = await w.offer('A00001');
    expect((await w.post(a.acceptUrl, 'action=decline&reason=')).status).toBe(400);
    expect((await w.post(a.acceptUrl, 'action=decline&reason=We+have+a+cross-country+fixture+both+weeks')).status).toBe(200);
    await w.follow(a.takeoverId);
    const back = w.latest('a00001@nhs.example', 'Other Saturdays for your takeover of Bushy parkrun?');
    expect(back.text).toContain('"We have a cross-country fixture both weeks"');
    expect(back.text).toMatch(/^Saturday \d+ \w+: https:\/\/nudges\.test\/links\/A00001\.bushy\/takeover-propose\//m);
    // No longer "planned": if the champion does not offer again, the prompts resume next quarter.
    expect(await w.store.takeovers.getPromptState({ practiceCode: 'A00001', eventShortName: 'bushy' })).toMatchObject({ planned: false, dueAt: '2027-02-22T10:01:00.000Z' });
  });

  it('moves a takeover: the old day is freed, its reminders cancelled, the new day’s created; cancelling clears them all', async () => {
    const w = await world();
    const a = await w.offer('A00001');
    await w.post(a.acceptUrl, `date=${a.dates[0]}`);
    await w.follow(a.takeoverId);
    // A reminder email carries "move or cancel": send the 6-weeks one now to get it.
    await sendTakeoverReminder(w.deps, { takeoverId: a.takeoverId, reminder: '6-weeks', date: a.dates[0]! });
    const change = linksIn(w.latest('a00001@nhs.example', 'Six weeks to your takeover of Bushy parkrun'))['Move or cancel the takeover']!;
    expect((await w.post(change, `action=move&date=${a.dates[1]}`)).status).toBe(200);
    // A move is contact from the side that made it, and the link is held until the new day.
    expect(await w.link('A00001')).toMatchObject({ takeoverUntil: a.dates[1], lastContactBy: 'practice', lastContactAt: w.clock.now().toISOString() });
    await w.follow(a.takeoverId);
    const day = (d: string) => d.replace(/-/g, '');
    expect([...w.reminders.pending.keys()].every((n) => n.endsWith(day(a.dates[1]!)))).toBe(true);
    expect(await w.store.takeovers.takenDates('bushy')).toEqual([a.dates[1]]);
    // A reminder for the old day that fires anyway sends nothing.
    const before = w.recording.sent.length;
    expect(await sendTakeoverReminder(w.deps, { takeoverId: a.takeoverId, reminder: '3-days', date: a.dates[0]! })).toBe('stale');
    expect(w.recording.sent.length).toBe(before);

    await sendTakeoverReminder(w.deps, { takeoverId: a.takeoverId, reminder: '6-weeks', date: a.dates[1]! });
    const again = linksIn(w.latest('a00001@nhs.example', 'Six weeks to your takeover of Bushy parkrun'))['Move or cancel the takeover']!;
    const moved = await w.link('A00001');
    expect((await w.post(again, 'action=cancel')).status).toBe(200);
    // A cancel is not contact: the day comes off the link, the last contact stays the move's.
    const cancelled = await w.link('A00001');
    expect(cancelled?.takeoverUntil).toBeUndefined();
    expect(cancelled?.lastContactAt).toBe(moved?.lastContactAt);
    await w.follow(a.takeoverId);
    expect(w.reminders.pending.size).toBe(0);
    expect(await w.store.takeovers.takenDates('bushy')).toEqual([]);
  });

  it('records how many roles are filled, from the two-weeks reminder', async () => {
    const w = await world();
    const a = await w.offer('A00001');
    await w.post(a.acceptUrl, `date=${a.dates[0]}`);
    await sendTakeoverReminder(w.deps, { takeoverId: a.takeoverId, reminder: '2-weeks', date: a.dates[0]! });
    const most = linksIn(w.latest('a00001@nhs.example', 'Two weeks to your takeover of Bushy parkrun'))['Most are filled']!;
    expect(new URL(most).searchParams.get('filled')).toBe('most');
    expect((await w.post(most, 'filled=most')).status).toBe(200);
    expect((await w.store.takeovers.getTakeover(a.takeoverId))?.rolesFilled).toBe('most');
  });

  it('keeps reminders pending when CreateSchedule fails, and creates them on the retry', async () => {
    const w = await world();
    const a = await w.offer('A00001');
    await w.post(a.acceptUrl, `date=${a.dates[0]}`);
    const scheduler = mockClient(SchedulerClient);
    scheduler
      .on(CreateScheduleCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ ScheduleArn: 'arn:aws:scheduler:eu-west-2:123456789012:schedule/g/x' });
    const reminders = new EventBridgeReminders(new SchedulerClient({ region: 'eu-west-2' }), {
      targetArn: 'arn:aws:lambda:eu-west-2:123456789012:function:reminder',
      roleArn: 'arn:aws:iam::123456789012:role/reminders',
      deadLetterArn: 'arn:aws:sqs:eu-west-2:123456789012:reminder-failures',
      groupName: 'reminders',
    });
    await expect(w.follow(a.takeoverId, { ...w.deps, reminders })).rejects.toThrow('Rate exceeded');
    expect((await w.store.takeovers.getTakeover(a.takeoverId))?.reminders).toEqual({ '6-weeks': 'pending', '2-weeks': 'pending', '3-days': 'pending', after: 'pending' });
    await w.follow(a.takeoverId, { ...w.deps, reminders });
    expect((await w.store.takeovers.getTakeover(a.takeoverId))?.reminders).toEqual({ '6-weeks': 'scheduled', '2-weeks': 'scheduled', '3-days': 'scheduled', after: 'scheduled' });
    const names = scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input.Name);
    expect(names).toEqual([`tk-${a.takeoverId}-6-weeks-${a.dates[0]!.replace(/-/g, '')}`, ...names.slice(1)]);
    expect(new Set(names.slice(1)).size).toBe(4);
    scheduler.restore();
  });
});

describe('days an event cannot host', () => {
  it('are marked by a director from the digest, and no longer offered to practices', async () => {
    const w = await world();
    const a = await w.offer('A00001');
    const digest = w.latest('sarah@parkrun.example', /would like to take over/);
    const url = linksIn(digest)['Mark Saturdays your event cannot host']!;
    const page = await (await w.app.request(`http://localhost${pathOf(url)}`)).text();
    expect(page).toContain(`value="${a.dates[1]}"`);
    expect((await w.post(url, 'dates=2099-01-03')).status).toBe(400);
    expect((await w.post(url, `dates=${a.dates[1]}`)).status).toBe(200);
    const event = (await w.store.events.getEvents(['bushy'])).get('bushy')!;
    expect(event.unavailableDates).toEqual([a.dates[1]]);
    // Practice B is prompted on a later Monday: the marked day is not among its choices.
    w.clock.set(new Date('2027-03-01T10:00:00Z'));
    await w.store.takeovers.savePromptState({ ...(await w.store.takeovers.getPromptState({ practiceCode: 'A00002', eventShortName: 'bushy' }))!, dueAt: '2027-03-01T10:00:00.000Z' });
    await runTakeoverPrompts(w.deps);
    const prompt = w.latest('a00002@nhs.example', /take over Bushy parkrun one Saturday/);
    expect(prompt.text).not.toContain(`date=${a.dates[1]}`);
  });

  it('does not let one director overwrite another’s save unseen', async () => {
    const w = await world();
    const spendFor = async (token: string) => ({ ref: (await w.store.tokens.lookup(token, w.clock.now()))!.ref, purpose: 'event-unavailable' as const, now: w.clock.now() });
    const issue = () => w.store.tokens.issue({ purpose: 'event-unavailable', subject: 'A00001.bushy', recipient: 'sarah@parkrun.example', role: 'event-director', expiresAt: new Date('2027-12-01T00:00:00Z') }, w.clock.now());
    await w.store.takeovers.setUnavailableDates('bushy', ['2027-02-06'], undefined, await spendFor(await issue()));
    // A save based on the days as they were before that one is refused, and changes nothing.
    await expect(w.store.takeovers.setUnavailableDates('bushy', ['2027-02-13'], undefined, await spendFor(await issue()))).rejects.toThrow(/changed these days/);
    await w.store.takeovers.setUnavailableDates('bushy', ['2027-02-06', '2027-02-13'], ['2027-02-06'], await spendFor(await issue()));
    expect((await w.store.events.getEvents(['bushy'])).get('bushy')!.unavailableDates).toEqual(['2027-02-06', '2027-02-13']);
  });
});

describe('takeover changes under pressure', () => {
  it('allows one plan per practice and event: a second Saturday link from the same prompt is refused', async () => {
    const w = await world();
    await runTakeoverPrompts(w.deps);
    const links = [...w.latest('a00001@nhs.example', /take over Bushy parkrun one Saturday/).text.matchAll(/^Saturday \d+ \w+: (\S+)$/gm)].map((m) => m[1]!);
    const date = (u: string) => new URL(u).searchParams.get('date')!;
    expect((await w.post(links[0]!, `dates=${date(links[0]!)}`)).status).toBe(200);
    const second = await w.post(links[1]!, `dates=${date(links[1]!)}`);
    expect(second.status).toBe(409);
    expect(await second.text()).toContain('already has a takeover offered or planned');
  });

  it('refuses an offer from a link that ended after the prompt, and writes nothing of it', async () => {
    const w = await world();
    await runTakeoverPrompts(w.deps);
    const first = [...w.latest('a00001@nhs.example', /take over Bushy parkrun one Saturday/).text.matchAll(/^Saturday \d+ \w+: (\S+)$/gm)][0]![1]!;
    const { UpdateCommand } = await import('../../functions/adapters/dynamo/document-client.js');
    await w.t.doc.send(
      new UpdateCommand({ TableName: w.t.tableName, Key: { pk: 'PRACTICE#A00001', sk: 'LINK#bushy' }, UpdateExpression: 'SET #s = :ended', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':ended': 'ended' } }),
    );
    const refused = await w.post(first, `dates=${new URL(first).searchParams.get('date')}`);
    expect(refused.status).toBe(404);
    expect(await refused.text()).toContain('This link has ended since the email was sent.');
    // All or nothing: no plan, no takeover, no contact.
    expect((await w.store.takeovers.getPromptState({ practiceCode: 'A00001', eventShortName: 'bushy' }))?.planned).toBe(false);
    expect(await w.link('A00001')).toMatchObject({ status: 'ended', lastContactAt: aLink('A00001', 'bushy', monday, 5).lastContactAt });
  });

  it('tells the champion when a day is fixed, and both sides when it is cancelled', async () => {
    const w = await world();
    const a = await w.offer('A00001');
    await w.post(a.acceptUrl, `date=${a.dates[0]}`);
    await w.follow(a.takeoverId);
    await w.follow(a.takeoverId);
    const fixedNews = w.recording.sent.filter((e) => e.subject.startsWith('Your takeover of Bushy parkrun is on'));
    expect(fixedNews.map((e) => e.to)).toEqual(['a00001@nhs.example']);
    await sendTakeoverReminder(w.deps, { takeoverId: a.takeoverId, reminder: '6-weeks', date: a.dates[0]! });
    // The directors' heads-up waits for their next digest; the champion's is an email of its own.
    expect(w.recording.sent.filter((e) => e.to === 'tom@parkrun.example' && /takes? over/.test(e.subject) && !/would like/.test(e.subject))).toEqual([]);
    // Each side's countdown and news carry the page both share, named for the other side
    // (the champion's first: the directors' digest comes after those links' 14 days).
    const sharedPage = async (email: OutgoingEmail, label: string) => {
      const shared = await w.app.request(`http://localhost${pathOf(linksIn(email)[label]!)}`);
      expect(shared.status, label).toBe(200);
      const html = await shared.text();
      expect(html).toContain('Practice A00001');
      expect(html).toContain('Bushy parkrun');
    };
    for (const email of [w.latest('a00001@nhs.example', 'Six weeks to your takeover of Bushy parkrun'), fixedNews[0]!, w.latest('a00001@nhs.example', /take over Bushy parkrun one Saturday/)]) {
      await sharedPage(email, 'See your partnership with Bushy parkrun');
    }
    const headsUp = await w.nextDigest('tom@parkrun.example', /takes over soon/);
    expect(headsUp.text).toContain(`Coming up: Practice A00001's team takes over on`);
    await sharedPage(headsUp, 'See your partnership with Practice A00001');
    const change = linksIn(headsUp)['Move or cancel the takeover']!;
    expect((await w.post(change, 'action=cancel')).status).toBe(200);
    await w.follow(a.takeoverId);
    const cancelled = w.recording.sent.filter((e) => e.subject.endsWith('is cancelled')).map((e) => e.to).sort();
    expect(cancelled).toEqual(['a00001@nhs.example', 'sarah@parkrun.example', 'tom@parkrun.example']);
  });

  it('asks the directors how it went in their next digest, not in an email, and leaves it out once someone has said', async () => {
    const w = await world();
    const a = await w.offer('A00001');
    await w.post(a.acceptUrl, `date=${a.dates[0]}`);
    w.clock.set(new Date(`${a.dates[0]}T12:00:00Z`));
    w.clock.advance(2 * 86_400_000); // two days after, as the reminder fires
    await sendTakeoverReminder(w.deps, { takeoverId: a.takeoverId, reminder: 'after', date: a.dates[0]! });
    expect(w.recording.sent.filter((e) => /^How did/.test(e.subject)).map((e) => e.to)).toEqual(['a00001@nhs.example']);
    const digest = await w.nextDigest('tom@parkrun.example', /how did the takeover go\?/);
    expect(digest.text).toMatch(/How did Practice A00001's takeover on Saturday \d+ \w+ go\?/);
    const form = await w.app.request(`http://localhost${pathOf(linksIn(digest)['Tell us how it went']!)}`);
    expect(form.status).toBe(200);
    // Tom answers from it, and the directors' next digests have nothing to ask.
    expect((await w.post(linksIn(digest)['Tell us how it went']!, 'happened=yes&staffVolunteered=8&again=yes')).status).toBe(200);
    await sendTakeoverReminder(w.deps, { takeoverId: a.takeoverId, reminder: 'after', date: a.dates[0]! });
    const before = w.recording.sent.length;
    w.clock.advance(w.deps.nudgePolicy.digestIntervalDays * 86_400_000 + 60_000);
    await runQuietLinkSweep(w.deps);
    expect(w.recording.sent.slice(before).filter((e) => /how did/i.test(e.subject))).toEqual([]);
  });

  it('lets only one of a move and a cancel racing each other through, and leaves no stray day held', async () => {
    const w = await world();
    const a = await w.offer('A00001');
    await w.post(a.acceptUrl, `date=${a.dates[0]}`);
    await sendTakeoverReminder(w.deps, { takeoverId: a.takeoverId, reminder: '6-weeks', date: a.dates[0]! });
    const byDirector = linksIn(await w.nextDigest('sarah@parkrun.example', /takes over soon/))['Move or cancel the takeover']!;
    // The champion's from the two-weeks reminder: the six-weeks one's link has lapsed by the directors' digest.
    await sendTakeoverReminder(w.deps, { takeoverId: a.takeoverId, reminder: '2-weeks', date: a.dates[0]! });
    const byChampion = linksIn(w.latest('a00001@nhs.example', /^Two weeks/))['Move or cancel the takeover']!;
    const results = await Promise.all([w.post(byChampion, `action=move&date=${a.dates[1]}`), w.post(byDirector, 'action=cancel')]);
    // Interleaved, one is refused; one after the other, both apply in turn. Either way the
    // day held always matches the takeover, and nothing else is held.
    expect(results.map((r) => r.status).sort()).toEqual(expect.arrayContaining([200]));
    for (const r of results) expect([200, 409]).toContain(r.status);
    const takeover = (await w.store.takeovers.getTakeover(a.takeoverId))!;
    expect(await w.store.takeovers.takenDates('bushy')).toEqual(takeover.status === 'cancelled' ? [] : [takeover.date]);
  });

  it('cannot be moved or cancelled once the day has come', async () => {
    const w = await world();
    const a = await w.offer('A00001');
    await w.post(a.acceptUrl, `date=${a.dates[0]}`);
    // The final-check email, three days before, still carries "move or cancel", valid on the day itself.
    w.clock.set(new Date(new Date(`${a.dates[0]}T10:00:00Z`).getTime() - 3 * 86_400_000));
    await sendTakeoverReminder(w.deps, { takeoverId: a.takeoverId, reminder: '3-days', date: a.dates[0]! });
    const change = linksIn(w.latest('a00001@nhs.example', /^This Saturday/))['Move or cancel the takeover']!;
    w.clock.set(new Date(`${a.dates[0]}T12:00:00Z`));
    const res = await w.post(change, 'action=cancel');
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('can no longer be moved or cancelled');
    expect(await w.store.takeovers.takenDates('bushy')).toEqual([a.dates[0]]);
  });
});

describe('plans nobody finishes', () => {
  it('expires an offer no director answers once its last Saturday has passed, and gives the choice back to the champion', async () => {
    const w = await world();
    const a = await w.offer('A00001');
    // On the last Saturday offered it still stands: a director may yet take it up.
    w.clock.set(new Date(`${a.dates[1]}T09:00:00Z`));
    await runTakeoverPrompts(w.deps);
    expect((await w.store.takeovers.getTakeover(a.takeoverId))!.status).toBe('proposed');
    // The Monday after, the weekly job finds it lapsed.
    w.clock.set(new Date(new Date(`${a.dates[1]}T10:00:00Z`).getTime() + 2 * day));
    await runTakeoverPrompts(w.deps);
    const takeover = (await w.store.takeovers.getTakeover(a.takeoverId))!;
    expect(takeover).toMatchObject({ status: 'declined', declineReason: 'No answer from the event team before the Saturdays offered' });
    // Its Saturdays no longer hold the link's ladder: quiet since the offer, it is due a look 42 days after it.
    const link = await w.link('A00001');
    expect(link?.takeoverUntil).toBeUndefined();
    expect(link?.dueAt).toBe(new Date(new Date(link!.lastContactAt!).getTime() + 42 * day).toISOString());
    await w.follow(a.takeoverId);
    expect(w.latest('a00001@nhs.example', 'Other Saturdays for your takeover of Bushy parkrun?').text).toContain('"No answer from the event team before the Saturdays offered"');
    expect(await w.store.takeovers.getPromptState({ practiceCode: 'A00001', eventShortName: 'bushy' })).toMatchObject({ planned: false });
  });

  it('stops a fixed day long past, with no "how did it go", from blocking prompts for ever', async () => {
    const w = await world();
    const a = await w.offer('A00001');
    await w.post(a.acceptUrl, `date=${a.dates[0]}`);
    const day = new Date(`${a.dates[0]}T12:00:00Z`);
    // Looked at while the day is still ahead: looked at again a month after it.
    w.clock.set(new Date(day.getTime() - 10 * 86_400_000));
    const state = (await w.store.takeovers.getPromptState({ practiceCode: 'A00001', eventShortName: 'bushy' }))!;
    await w.store.takeovers.savePromptState({ ...state, dueAt: w.clock.now().toISOString() });
    await runTakeoverPrompts(w.deps);
    expect(await w.store.takeovers.getPromptState({ practiceCode: 'A00001', eventShortName: 'bushy' })).toMatchObject({
      planned: true,
      dueAt: new Date(day.getTime() + 30 * 86_400_000).toISOString(),
    });
    w.clock.set(new Date(day.getTime() + 31 * 86_400_000));
    await runTakeoverPrompts(w.deps);
    expect(await w.store.takeovers.getPromptState({ practiceCode: 'A00001', eventShortName: 'bushy' })).toMatchObject({ planned: false, lastDoneOn: a.dates[0] });
  });
});

describe('a takeover ahead is a sign of life (docs/contact.md)', () => {
  it('asks nobody to say hello about a link quiet for 60 days whose takeover is fixed 10 weeks ahead, until 42 days after the day', async () => {
    // Both links quiet for 60 days; only A00001's champion plans a takeover, A00002 is the control.
    const w = await world(60);
    await runTakeoverPrompts(w.deps);
    const prompt = w.latest('a00001@nhs.example', /take over Bushy parkrun one Saturday/);
    const offered = [...prompt.text.matchAll(/^Saturday \d+ \w+: (\S+)$/gm)].map((m) => m[1]!);
    const dayOf = (url: string) => new URL(url).searchParams.get('date')!;
    const tenWeeksOn = offered.map(dayOf).find((d) => new Date(`${d}T12:00:00Z`).getTime() - monday.getTime() >= 70 * day)!;
    expect(tenWeeksOn).toBe('2027-02-06');
    expect((await w.post(offered[0]!, `dates=${tenWeeksOn}`)).status).toBe(200);
    const takeoverId = await idOfTakeover(w, 'A00001');
    await w.follow(takeoverId);
    w.clock.advance(60_000);
    await runQuietLinkSweep(w.deps);
    const accept = linksIn(w.latest('sarah@parkrun.example', /would like to take over/))['Choose a date or say no']!;
    expect((await w.post(accept, `date=${tenWeeksOn}`)).status).toBe(200);
    await w.follow(takeoverId);
    expect(await w.link('A00001')).toMatchObject({ takeoverUntil: tenWeeksOn, lastContactBy: 'event', ladder: { rung: 0 }, dueAt: '2027-03-20T12:00:00.000Z' });

    // Weekly sweeps up to 41 days after the takeover day: the fix's own contact is long
    // past 42 days by the end, so only the takeover day holds the link.
    const steps: SweepStep[] = [];
    for (let at = new Date('2026-11-24T10:00:00Z'); at <= new Date('2027-03-19T10:00:00Z'); at = new Date(at.getTime() + 7 * day)) {
      w.clock.set(at);
      steps.push(...(await w.sweep()).steps);
    }
    const about = (id: string, action: string) => steps.filter((s) => s.subject === id && s.action === action);
    expect(about('A00001.bushy', 'nudge')).toEqual([]);
    expect(about('A00001.bushy', 'digest')).toEqual([]);
    expect(w.recording.sent.filter((e) => e.to === 'a00001@nhs.example' && /say hello/.test(e.subject))).toEqual([]);
    expect(w.recording.sent.filter((e) => /Practice A00001: quiet for/.test(e.text))).toEqual([]);
    // The control, quiet as long with no takeover, went on up the ladder (its first nudge
    // came in the sweep that sent the offer), into the digest, to at risk, and 60 days
    // later, its pause over, up the ladder again.
    expect(about('A00002.bushy', 'nudge').map((s) => s.rung)).toEqual([2, 1, 2]);
    expect(about('A00002.bushy', 'digest').length).toBeGreaterThanOrEqual(1);
    expect(about('A00002.bushy', 'at-risk')).toHaveLength(1);

    // Nobody answered "how did it go?": 42 days after the day, the link is quiet again.
    w.clock.set(new Date('2027-03-22T10:00:00Z'));
    const after = await w.sweep();
    expect(after.steps.find((s) => s.subject === 'A00001.bushy' && s.action === 'nudge')).toMatchObject({ to: 'a00001@nhs.example', rung: 1, why: 'no contact for 43 days since the takeover day' });
  });
});

/** The practice's latest takeover's id, read from the table. */
async function idOfTakeover(w: { t: { doc: DocumentClient; tableName: string } }, code: string) {
  const { QueryCommand } = await import('../../functions/adapters/dynamo/document-client.js');
  const out = await w.t.doc.send(
    new QueryCommand({
      TableName: w.t.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :t)',
      ExpressionAttributeValues: { ':p': `PRACTICE#${code}`, ':t': 'TAKEOVER#' },
    }),
  );
  return String(out.Items!.at(-1)!.id);
}
