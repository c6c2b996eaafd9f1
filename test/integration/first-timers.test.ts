/**
 * First-timer contacts and newcomer notices on DynamoDB Local: a director names a
 * volunteer, who confirms by their own link before anything is shared; a champion says
 * two patients are coming; the first-timer watcher (fed from the table's stream) creates
 * the Thursday schedule, whose exact CreateSchedule input is checked; the notice reaches
 * both sides; a cancelled plan sends nothing; an event without a contact gets asked once.
 */
import { CreateScheduleCommand, DeleteScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetCommand } from '../../functions/adapters/dynamo/document-client.js';
import { mockClient } from 'aws-sdk-client-mock';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBridgeReminders } from '../../functions/adapters/eventbridge-reminders.js';
import { keys } from '../../functions/adapters/dynamo/items.js';
import { firstTimerFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { QueryCommand } from '../../functions/adapters/dynamo/document-client.js';
import { runQuietLinkSweep } from '../../functions/core/use-cases/quiet-link-sweep.js';
import { sendNewcomerNotice } from '../../functions/core/use-cases/newcomer-notice.js';
import type { Reminders } from '../../functions/core/ports.js';
import { reminderDispatch } from '../../functions/jobs/reminder-handler.js';
import { createFirstTimerWatcher } from '../../functions/watchers/first-timer-watcher-handler.js';
import { createFreshLinkWatcher } from '../../functions/watchers/fresh-link-watcher-handler.js';
import { newFreshLinkRequestFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { LocalReminders } from '../../local/local-reminders.js';
import { linksIn, magicLinkWorld } from '../support/magic-links.js';
import { readStream } from '../support/stream.js';
import { analystOnly } from '../support/memory-ports.js';

const scheduler = mockClient(SchedulerClient);
afterEach(() => scheduler.reset());

const champion = 'jane.smith@nhs.example';
const director = 'sarah@parkrun.example';
const volunteer = 'sam@runners.example';

async function world(reminders: Reminders = new LocalReminders()) {
  const w = await magicLinkWorld();
  const handled = new Set<string>();
  const watcher = createFirstTimerWatcher({ ...w.deps, reminders });
  /** Delivers what the stream holds that the watcher has not seen, as Lambda would, optionally twice. */
  const watch = async (times = 1) => {
    const records = (await readStream(w.t.streams, w.t.streamArn, firstTimerFilter)).filter((r) => !handled.has(r.dynamodb!.SequenceNumber!));
    for (let i = 0; i < times; i++) {
      const result = await watcher({ Records: records as DynamoDBRecord[] }, {} as never);
      expect(result.batchItemFailures).toEqual([]);
    }
    for (const r of records) handled.add(r.dynamodb!.SequenceNumber!);
    return records.length;
  };
  const latest = (to: string, subject: string | RegExp) => {
    const found = [...w.transport.sent].reverse().find((e) => e.to === to && (typeof subject === 'string' ? e.subject === subject : subject.test(e.subject)));
    if (!found) throw new Error(`no email to ${to} about ${subject}`);
    return found;
  };
  const mailTo = (to: string) => w.transport.sent.filter((e) => e.to === to);
  const event = async () => (await w.t.doc.send(new GetCommand({ TableName: w.t.tableName, Key: keys.event('bushy'), ConsistentRead: true }))).Item!;
  const nameUrl = linksIn(latest(director, 'Riverside Surgery has linked with Bushy parkrun'))['Name a first-timer contact, so practices can tell patients whom to ask for']!;
  const newcomersUrl = linksIn(latest(champion, /^Meet your parkrun team/))['Patients planning to come? Tell the event team']!;
  return { ...w, watch, latest, mailTo, event, nameUrl, newcomersUrl };
}

describe('first-timer contacts on DynamoDB Local', () => {
  it('shares a volunteer’s details only after they confirm, and tells both sides before the Saturday', async () => {
    const reminders = new LocalReminders();
    const w = await world(reminders);
    expect((await w.get(w.nameUrl)).status).toBe(200);
    const named = await w.post(w.nameUrl, { firstName: 'Sam', whereToFind: 'by the start funnel in a pink First Timers vest at 08:50', email: volunteer });
    expect(named.status).toBe(200);
    expect(await named.text()).toContain('We have emailed Sam a link to confirm');
    // Naming is the event working with the practice whose email it came from: contact, in the same write.
    expect(await w.link()).toMatchObject({ lastContactAt: w.clock.now().toISOString(), lastContactBy: 'event', status: 'active', ladder: { rung: 0 } });
    // A redelivered stream record asks once.
    await w.watch(2);
    expect(w.mailTo(volunteer).map((e) => e.subject)).toEqual(["Will you be Bushy parkrun's first-timer contact?"]);

    // Not yet confirmed: the champion's page does not show Sam.
    const before = await (await w.get(w.newcomersUrl)).text();
    expect(before).not.toContain('Sam');
    expect(before).toContain('has not named a first-timer contact yet');

    const confirmUrl = linksIn(w.latest(volunteer, "Will you be Bushy parkrun's first-timer contact?"))['Confirm, or say no']!;
    expect(confirmUrl).toMatch(/\/first-timers\/bushy\//);
    expect(await (await w.get(confirmUrl)).text()).toContain('Ask for Sam, by the start funnel in a pink First Timers vest at 08:50.');
    w.clock.advance(60_000);
    expect((await w.post(confirmUrl, { action: 'confirm' })).status).toBe(200);
    expect((await w.event()).firstTimerContact).toMatchObject({ firstName: 'Sam', email: volunteer });
    // Confirmed: contact from the event again, on the link the naming came from.
    expect(await w.link()).toMatchObject({ lastContactAt: w.clock.now().toISOString(), lastContactBy: 'event' });
    expect((await w.event()).firstTimerCandidate).toBeUndefined();

    // The champion says two patients plan to come on Saturday 5 December.
    const page = await (await w.get(w.newcomersUrl)).text();
    expect(page).toContain('Tell your patients to ask for <strong>Sam</strong>, by the start funnel in a pink First Timers vest at 08:50.');
    w.clock.advance(60_000);
    const planned = await w.post(w.newcomersUrl, { action: 'plan', date: '2026-12-05', count: '2' });
    expect(planned.status).toBe(200);
    // Patients planned: contact from the practice.
    expect(await w.link()).toMatchObject({ lastContactAt: w.clock.now().toISOString(), lastContactBy: 'practice' });
    expect(await planned.text()).toContain('About 2 on Saturday 5 December. Tell them to ask for Sam');
    await w.watch(2);
    expect([...reminders.pending.keys()]).toEqual(['ftn-A81001.bushy-20261205']);

    // Thursday 10:00: both emails, once each, even if the schedule fires twice.
    w.clock.set(new Date('2026-12-03T10:00:00Z'));
    const dispatch = reminderDispatch(w.deps);
    const fired = reminders.pending.get('ftn-A81001.bushy-20261205')!;
    expect(await dispatch(fired.job, fired.payload, fired.name)).toBe('sent');
    expect(await dispatch(fired.job, fired.payload, fired.name)).toBe('sent');
    const toChampion = w.mailTo(champion).filter((e) => e.subject.startsWith('Saturday 5 December at Bushy parkrun'));
    expect(toChampion.map((e) => e.subject)).toEqual(['Saturday 5 December at Bushy parkrun: tell your patients to ask for Sam']);
    expect(toChampion[0]!.text).toContain('Please tell them to ask for Sam, by the start funnel in a pink First Timers vest at 08:50.');
    expect(toChampion[0]!.text).toContain('It starts at 09:00.');
    // The notice carries the page both sides share, which shows the plan's link.
    const shared = await w.app.request(`http://localhost${new URL(linksIn(toChampion[0]!)['See your partnership with Bushy parkrun']!).pathname}`);
    expect(shared.status).toBe(200);
    expect(await shared.text()).toContain('Riverside Surgery');
    const toSam = w.mailTo(volunteer).filter((e) => e.subject.startsWith('Expect'));
    expect(toSam.map((e) => e.subject)).toEqual(['Expect about 2 newcomers from Riverside Surgery this Saturday']);

    // Sam steps down from that email: the details are gone, and the old link does nothing.
    const stepDown = linksIn(toSam[0]!)['No longer first-timer contact? Step down']!;
    expect((await w.post(stepDown, { action: 'step-down' })).status).toBe(200);
    expect((await w.event()).firstTimerContact).toBeUndefined();
    expect((await w.get(stepDown)).status).toBe(403);
    expect(await (await w.get(w.newcomersUrl)).text()).not.toContain('Sam');
  });

  it('creates exactly this one-time schedule for the Thursday before, and deletes it when the plan is cancelled', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:s' });
    scheduler.on(DeleteScheduleCommand).resolves({});
    const targets = {
      targetArn: 'arn:aws:lambda:eu-west-2:123456789012:function:reminders',
      roleArn: 'arn:aws:iam::123456789012:role/reminder-scheduler',
      deadLetterArn: 'arn:aws:sqs:eu-west-2:123456789012:reminder-failures',
      groupName: 'parkrun-practice-nudges',
    };
    const w = await world(new EventBridgeReminders(new SchedulerClient({ region: 'eu-west-2' }), targets));
    expect((await w.post(w.newcomersUrl, { action: 'plan', date: '2026-12-05', count: '2' })).status).toBe(200);
    await w.watch();
    expect(scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input)).toEqual([
      {
        Name: 'ftn-A81001.bushy-20261205',
        GroupName: 'parkrun-practice-nudges',
        ScheduleExpression: 'at(2026-12-03T10:00:00)',
        ScheduleExpressionTimezone: 'Europe/London',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: targets.targetArn,
          RoleArn: targets.roleArn,
          Input: JSON.stringify({ job: 'first-timer-notice', name: 'ftn-A81001.bushy-20261205', payload: { practiceCode: 'A81001', eventShortName: 'bushy', date: '2026-12-05' } }),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21600 },
          DeadLetterConfig: { Arn: targets.deadLetterArn },
        },
      },
    ]);

    const cancelled = await w.post(w.newcomersUrl, { action: 'cancel', date: '2026-12-05' });
    expect(cancelled.status).toBe(200);
    await w.watch();
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([{ Name: 'ftn-A81001.bushy-20261205', GroupName: 'parkrun-practice-nudges' }]);
    // Had the schedule fired anyway, the cancelled plan sends nothing.
    w.clock.set(new Date('2026-12-03T10:00:00Z'));
    const sent = w.transport.sent.length;
    expect(await sendNewcomerNotice(w.deps, { practiceCode: 'A81001', eventShortName: 'bushy', date: '2026-12-05' })).toBe('cancelled');
    expect(w.transport.sent.length).toBe(sent);
  });

  it('with no confirmed contact: the general briefing for the champion, and the directors asked once to name one', async () => {
    const reminders = new LocalReminders();
    const w = await world(reminders);
    // Named but not confirmed: never shared.
    await w.post(w.nameUrl, { firstName: 'Pat', whereToFind: 'at the start', email: 'pat@runners.example' });
    expect((await w.post(w.newcomersUrl, { action: 'plan', date: '2026-12-05', count: '3' })).status).toBe(200);
    expect((await w.post(w.newcomersUrl, { action: 'plan', date: '2026-12-12', count: '1' })).status).toBe(200);
    await w.watch();
    const dispatch = reminderDispatch(w.deps);
    w.clock.set(new Date('2026-12-03T10:00:00Z'));
    await dispatch('first-timer-notice', { practiceCode: 'A81001', eventShortName: 'bushy', date: '2026-12-05' }, 'ftn-A81001.bushy-20261205');
    const notice = w.latest(champion, 'Saturday 5 December at Bushy parkrun: what your patients can expect');
    expect(notice.text).toContain('look for the first timers\' welcome');
    expect(notice.text).not.toContain('Pat');
    expect(w.mailTo('pat@runners.example').filter((e) => e.subject.startsWith('Expect'))).toEqual([]);
    expect((await w.event()).firstTimerContactAskedAt).toBe('2026-12-03T10:00:00.000Z');

    // The directors' next digest asks them to name one.
    w.clock.set(new Date('2026-12-03T11:00:00Z'));
    await runQuietLinkSweep(w.deps);
    const digest = w.latest(director, /name a first-timer contact/);
    expect(digest.text).toContain('Patients from Riverside Surgery plan to come to their first Bushy parkrun.');
    expect(linksIn(digest)['Name a first-timer contact, so practices can tell newcomers whom to ask for']).toMatch(/\/links\/A81001\.bushy\/first-timer-contact\//);

    // A week on, another notice: no second ask.
    w.clock.set(new Date('2026-12-10T10:00:00Z'));
    await dispatch('first-timer-notice', { practiceCode: 'A81001', eventShortName: 'bushy', date: '2026-12-12' }, 'ftn-A81001.bushy-20261212');
    w.clock.set(new Date('2026-12-10T11:00:00Z'));
    const digests = w.mailTo(director).length;
    await runQuietLinkSweep(w.deps);
    expect(w.mailTo(director).slice(digests).filter((e) => /first-timer/.test(e.subject))).toEqual([]);
  });

  it('sends a notice for a Saturday under two days away at once, and none once it is too late', async () => {
    const reminders = new LocalReminders();
    const w = await world(reminders);
    w.clock.set(new Date('2026-12-03T14:00:00Z')); // Thursday afternoon
    expect((await w.post(w.newcomersUrl, { action: 'plan', date: '2026-12-05', count: '2' })).status).toBe(200);
    await w.watch();
    expect(reminders.pending.size).toBe(0);
    expect(w.mailTo(champion).some((e) => e.subject.startsWith('Saturday 5 December at Bushy parkrun'))).toBe(true);

    const late = await world(reminders);
    late.clock.set(new Date('2026-12-04T19:00:00Z')); // Friday evening, for the next morning
    expect((await late.post(late.newcomersUrl, { action: 'plan', date: '2026-12-05', count: '1' })).status).toBe(200);
    await late.watch();
    expect(reminders.pending.size).toBe(0);
    expect(late.mailTo(champion).some((e) => e.subject.startsWith('Saturday 5 December'))).toBe(false);
  });

  it('asks a volunteer once when they are named again with the same details the same day (a second director), and again for a correction', async () => {
    const w = await world();
    const sam = { firstName: 'Sam', whereToFind: 'by the start funnel in a pink First Timers vest at 08:50', email: volunteer };
    expect((await w.post(w.nameUrl, sam)).status).toBe(200);
    await w.watch();
    expect((await w.post(w.nameUrl, sam)).status).toBe(200);
    await w.watch();
    expect(w.mailTo(volunteer)).toHaveLength(1);
    const confirmUrl = linksIn(w.latest(volunteer, "Will you be Bushy parkrun's first-timer contact?"))['Confirm, or say no']!;
    expect(await (await w.get(confirmUrl)).text()).toContain('Ask for Sam');
    // A typo put right is a new naming: a new link, and the old one no longer confirms.
    expect((await w.post(w.nameUrl, { ...sam, whereToFind: 'by the finish funnel in a pink First Timers vest at 08:50' })).status).toBe(200);
    await w.watch();
    expect(w.mailTo(volunteer)).toHaveLength(2);
  });

  it('sends the confirmation link to the director to pass on when the volunteer has no email', async () => {
    const w = await world();
    const named = await w.post(w.nameUrl, { firstName: 'Lee', whereToFind: 'at the finish tokens', email: '' });
    expect(await named.text()).toContain('We are emailing you a link for Lee to confirm');
    await w.watch();
    const passOn = w.latest(director, 'Pass this on to Lee: first-timer contact at Bushy parkrun');
    const url = linksIn(passOn)["Lee's link to confirm"]!;
    expect((await w.post(url, { action: 'confirm' })).status).toBe(200);
    expect((await w.event()).firstTimerContact).toMatchObject({ firstName: 'Lee' });
    expect((await w.event()).firstTimerContact.email).toBeUndefined();
  });

  it.each([
    ['a day in the past', { action: 'plan', date: '2026-11-21', count: '2' }, 'That Saturday has passed'],
    ['a day that is not a Saturday', { action: 'plan', date: '2026-12-03', count: '2' }, 'is a Thursday'],
    ['a negative count', { action: 'plan', date: '2026-12-05', count: '-2' }, 'cannot be negative'],
    ['an absurd count', { action: 'plan', date: '2026-12-05', count: '800' }, 'more than 500'],
    ['a count that is not a number', { action: 'plan', date: '2026-12-05', count: 'a few' }, 'as a number'],
    ['names in an extra field', { action: 'plan', date: '2026-12-05', count: '2', who: 'Ann Smith and Bob Jones' }, 'remove &quot;who&quot;'],
  ])('refuses newcomers on %s, and stores nothing', async (_why, fields, message) => {
    const w = await world();
    const response = await w.post(w.newcomersUrl, fields);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain(message);
    expect(html).not.toContain('Ann Smith');
    expect(await w.store.firstTimers.plansOf({ practiceCode: 'A81001', eventShortName: 'bushy' }, '2026-01-01')).toEqual([]);
  });

  it('refuses a first-timer contact with bad details, or from the champion', async () => {
    const w = await world();
    const bad = await w.post(w.nameUrl, { firstName: 'Sam', whereToFind: 'start', email: 'nope', phone: '07700900000' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('remove &quot;phone&quot;');
    const noEmail = await w.post(w.nameUrl, { firstName: 'Sam', whereToFind: 'by the start', email: 'nope' });
    expect(await noEmail.text()).toContain('Enter a valid email address');
    expect((await w.event()).firstTimerCandidate).toBeUndefined();
    // The champion's newcomers token cannot be used to name the event's contact.
    const forged = w.newcomersUrl.replace('/newcomers/', '/first-timer-contact/');
    expect((await w.post(forged, { firstName: 'Eve', whereToFind: 'anywhere' })).status).toBe(404);
  });

  it('keeps no volunteer details outside the event, and gives a volunteer whose link expired a new one', async () => {
    const w = await world();
    await w.post(w.nameUrl, { firstName: 'Sam', whereToFind: 'by the start funnel', email: volunteer });
    await w.watch();
    // The naming that woke the watcher holds ids only, and expires.
    const namings = await w.t.doc.send(new QueryCommand({ TableName: w.t.tableName, IndexName: undefined, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `FIRST-TIMER-NAMING#${(await w.event()).firstTimerCandidate.id}` } }));
    expect(Object.keys(namings.Items![0]!).sort()).toEqual(['entityType', 'eventShortName', 'expiresAt', 'id', 'pk', 'sk']);
    const url = linksIn(w.latest(volunteer, "Will you be Bushy parkrun's first-timer contact?"))['Confirm, or say no']!;
    w.clock.advance(15 * 86_400_000);
    const expired = await w.get(url);
    expect(expired.status).toBe(410);
    const token = url.split('/').pop()!;
    expect(await expired.text()).toContain(`action="/fresh-links/${token}"`);
    expect((await w.post(`http://localhost/fresh-links/${token}`)).status).toBe(202);
    const requests = await readStream(w.t.streams, w.t.streamArn, newFreshLinkRequestFilter);
    expect((await createFreshLinkWatcher({ ...w.deps, allowlist: analystOnly })({ Records: requests as DynamoDBRecord[] }, {} as never)).batchItemFailures).toEqual([]);
    const fresh = linksIn(w.latest(volunteer, /new link/i))['Confirm or step down as first-timer contact']!;
    expect((await w.post(fresh, { action: 'confirm' })).status).toBe(200);
    expect((await w.event()).firstTimerContact).toMatchObject({ firstName: 'Sam' });
  });

  it.each([
    ['a count sent twice', 'action=plan&date=2026-12-05&count=Jane&count=2', 'Send &quot;count&quot; once'],
    ['an extra field on the volunteer page', null, 'Something is not right'],
  ])('refuses %s', async (_why, body, message) => {
    const w = await world();
    if (body) {
      const response = await w.app.request(`http://localhost${new URL(w.newcomersUrl).pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, body });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(message);
      expect(await w.store.firstTimers.plansOf({ practiceCode: 'A81001', eventShortName: 'bushy' }, '2026-01-01')).toEqual([]);
      return;
    }
    await w.post(w.nameUrl, { firstName: 'Sam', whereToFind: 'by the start funnel', email: volunteer });
    await w.watch();
    const url = linksIn(w.latest(volunteer, "Will you be Bushy parkrun's first-timer contact?"))['Confirm, or say no']!;
    const response = await w.post(url, { action: 'confirm', note: 'patient Jane Doe' });
    expect(response.status).toBe(400);
    expect((await w.event()).firstTimerContact).toBeUndefined();
  });

  it('a file sent as a count is refused, not silently dropped', async () => {
    const w = await world();
    const form = new FormData();
    form.set('action', 'plan');
    form.set('date', '2026-12-05');
    form.set('count', new Blob(['2'], { type: 'text/plain' }), 'count.txt');
    const response = await w.app.request(`http://localhost${new URL(w.newcomersUrl).pathname}`, { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' }, body: form });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('files are not accepted');
  });
});
