/** The quiet-link sweep against DynamoDB Local, driven through weeks by a movable clock. */
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { PutCommand, ScanCommand, UpdateCommand } from '../../functions/adapters/dynamo/document-client.js';
import { linkItem } from '../../functions/adapters/dynamo/items.js';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SesMailTransport } from '../../functions/adapters/ses-mail-transport.js';
import type { MailTransport, OutgoingEmail } from '../../functions/core/ports.js';
import { queueForDigest } from '../../functions/core/use-cases/digest-queue.js';
import { anEvent } from '../support/fixtures.js';
import { aLink, aPractice, day, sweepWorld, tuesdayMorning } from '../support/sweep-world.js';

const champion = 'a00001@nhs.example';
const plus = (days: number) => new Date(tuesdayMorning.getTime() + days * day);

/** Every item, for comparing whole states (test tooling only; the product never scans). */
async function snapshot(w: Awaited<ReturnType<typeof sweepWorld>>) {
  const out = await w.t.doc.send(new ScanCommand({ TableName: w.t.tableName }));
  return (out.Items ?? [])
    .filter((i) => i.entityType === 'Link' || i.entityType === 'DigestHead' || i.entityType === 'DigestEntry')
    .map(({ rev: _rev, ...rest }) => rest)
    .sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
}

describe('the escalation ladder', () => {
  it('nudges the champion at 42 days with a digest to each director, again 14 days later, then marks the link at risk', async () => {
    const w = await sweepWorld({ practices: [aPractice('A00001')], links: [aLink('A00001', 'bushy', tuesdayMorning, 42)] });
    const first = await w.sweep();
    expect(first.report).toMatchObject({ nudges: 1 });
    expect(w.sent()[0]).toEqual({ to: champion, subject: 'Practice A00001 and Bushy parkrun: time to say hello' });
    // The first nudge puts the link in each director's next digest.
    expect(first.steps.filter((s) => s.action === 'digest' && s.subject === 'A00001.bushy').map((s) => s.to)).toEqual(['sarah@parkrun.example', 'tom@parkrun.example']);
    expect(await w.link('A00001')).toMatchObject({ status: 'quiet', ladder: { rung: 1 }, dueAt: plus(14).toISOString() });

    // The digests are due at once (a Tuesday): this run or the next sends one to each director, once.
    w.clock.set(plus(0.05));
    await w.sweep();
    w.clock.set(plus(0.1));
    await w.sweep();
    // The sweep sends a few at a time, so the order between people is not fixed.
    const digests = () => w.sent().filter((m) => m.subject.startsWith('Bushy parkrun:')).sort((a, b) => a.to.localeCompare(b.to));
    const oneLink = (to: string) => ({ to, subject: 'Bushy parkrun: 1 practice link could do with a hello' });
    expect(digests()).toEqual([oneLink('sarah@parkrun.example'), oneLink('tom@parkrun.example')]);

    w.clock.set(plus(13));
    expect((await w.sweep()).report.due).toBe(0);

    w.clock.set(plus(14));
    const second = await w.sweep();
    expect(second.report).toMatchObject({ nudges: 1 });
    expect(w.sent().filter((m) => m.to === champion)[1]).toEqual({ to: champion, subject: 'Still there? Practice A00001 and Bushy parkrun: time to say hello' });
    expect(second.steps.filter((s) => s.action === 'digest' && s.subject === 'A00001.bushy').map((s) => s.to)).toEqual(['sarah@parkrun.example', 'tom@parkrun.example']);
    expect(digests()).toHaveLength(2);

    // Each director's next digest waits out the 21 days since their last, and names the link again.
    for (const days of [20.9, 21, 21.05, 21.1]) {
      w.clock.set(plus(days));
      await w.sweep();
    }
    expect(digests()).toEqual([oneLink('sarah@parkrun.example'), oneLink('sarah@parkrun.example'), oneLink('tom@parkrun.example'), oneLink('tom@parkrun.example')]);

    w.clock.set(plus(28));
    expect((await w.sweep()).report).toMatchObject({ atRisk: 1, nudges: 0 });
    expect(await w.link('A00001')).toMatchObject({ status: 'at-risk', ladder: { rung: 3 }, dueAt: plus(28 + 60).toISOString() });
    const count = w.sent().length;
    w.clock.set(plus(28 + 59));
    await w.sweep();
    expect(w.sent().length).toBe(count);
    // The pause over (on a Saturday, outside the practice's hours), the ladder starts again on the Monday.
    w.clock.set(plus(28 + 62));
    expect((await w.sweep()).report).toMatchObject({ nudges: 1 });
  });

  it('leaves alone a link with recent contact, and a paused link until its pause ends', async () => {
    const w = await sweepWorld({
      practices: [aPractice('A00001'), aPractice('A00002')],
      links: [aLink('A00001', 'bushy', tuesdayMorning, 41), aLink('A00002', 'bushy', tuesdayMorning, 60, { pausedUntil: plus(30).toISOString() })],
    });
    expect((await w.sweep()).report.due).toBe(0);
    w.clock.set(plus(30));
    await w.sweep();
    expect(w.sent().filter((m) => m.to.endsWith('@nhs.example')).map((m) => m.to).sort()).toEqual(['a00001@nhs.example', 'a00002@nhs.example']);
  });

  it('does not nudge a link whose contact was lost, and takes it off the due index', async () => {
    const w = await sweepWorld({
      practices: [aPractice('A00001')],
      // Due when its contact was lost: the sweep must drop it, not nudge it.
      links: [aLink('A00001', 'bushy', tuesdayMorning, 50, { status: 'contact-lost', dueAt: tuesdayMorning.toISOString() })],
    });
    expect((await w.sweep()).report).toMatchObject({ due: 1, dropped: 1, nudges: 0 });
    expect((await w.link('A00001'))?.dueAt).toBeUndefined();
    expect((await w.sweep()).report.due).toBe(0);
  });
});

describe('a director of two events', () => {
  it('gets one digest naming both events, each link under its own', async () => {
    const both = { name: 'Sarah Okafor', email: 'sarah@parkrun.example' };
    const w = await sweepWorld({
      events: [anEvent({ eventDirectors: [both] }), anEvent({ shortName: 'colwick', name: 'Colwick parkrun', eventDirectors: [both] })],
      practices: [aPractice('A00001'), aPractice('A00002')],
      links: [
        aLink('A00001', 'bushy', tuesdayMorning, 56, { ladder: { rung: 1, rungAt: plus(-14).toISOString() } }),
        aLink('A00002', 'colwick', tuesdayMorning, 56, { ladder: { rung: 1, rungAt: plus(-14).toISOString() } }),
      ],
    });
    await w.sweep();
    w.clock.set(plus(0.05));
    await w.sweep();
    const digests = w.recording.sent.filter((m) => m.to === 'sarah@parkrun.example');
    expect(digests).toHaveLength(1);
    expect(digests[0]!.subject).toMatch(/^(Bushy parkrun and Colwick parkrun|Colwick parkrun and Bushy parkrun): 2 practice links could do with a hello$/);
    expect(digests[0]!.text).toContain('Practice A00001 (Bushy parkrun): quiet for');
    expect(digests[0]!.text).toContain('Practice A00002 (Colwick parkrun): quiet for');
  });
});

describe('a takeover ahead (docs/contact.md)', () => {
  it('keeps a link out of the directors\' digest, even one still marked quiet on rung 2', async () => {
    // Both nudged twice and waiting in the directors' digest. Belt and braces: every write
    // that puts a takeover on a link also records contact, which alone takes it off the
    // list; a takeover ahead on a link still marked quiet (as written here) is left out all the same.
    const nudgedTwice = { status: 'quiet' as const, ladder: { rung: 2 as const, rungAt: plus(-1).toISOString() }, dueAt: plus(13).toISOString() };
    const w = await sweepWorld({
      practices: [aPractice('A00001'), aPractice('A00002')],
      links: [aLink('A00001', 'bushy', tuesdayMorning, 57, { ...nudgedTwice, takeoverUntil: '2027-01-30' }), aLink('A00002', 'bushy', tuesdayMorning, 57, nudgedTwice)],
    });
    const event = anEvent();
    for (const director of event.eventDirectors) {
      for (const practiceCode of ['A00001', 'A00002']) {
        await queueForDigest(w.deps, director, event, { practiceCode, eventShortName: 'bushy', addedAt: plus(-1).toISOString() }, plus(-1));
      }
    }
    await w.sweep();
    const digest = w.recording.sent.find((m) => m.to === 'sarah@parkrun.example')!;
    expect(digest.subject).toBe('Bushy parkrun: 1 practice link could do with a hello');
    expect(digest.text).toContain('Practice A00002: quiet for');
    expect(digest.text).not.toContain('Practice A00001');
  });
});

describe('a digest due while its director has had their unasked email', () => {
  it('waits for the slot and is written then: a link offered a takeover meanwhile is not listed', async () => {
    const nudged = { status: 'quiet' as const, ladder: { rung: 1 as const, rungAt: plus(-1).toISOString() }, dueAt: plus(13).toISOString() };
    const w = await sweepWorld({
      practices: [aPractice('A00001'), aPractice('A00002')],
      links: [aLink('A00001', 'bushy', tuesdayMorning, 43, nudged), aLink('A00002', 'bushy', tuesdayMorning, 43, nudged)],
    });
    const event = anEvent();
    for (const director of event.eventDirectors) {
      for (const practiceCode of ['A00001', 'A00002']) await queueForDigest(w.deps, director, event, { practiceCode, eventShortName: 'bushy', addedAt: plus(-1).toISOString() }, plus(-1));
    }
    // Sarah had an unasked email two days ago: her next slot is five days on.
    await w.store.slots.write('sarah@parkrun.example', { lastAt: plus(-2).toISOString(), key: 'earlier', month: plus(-2).toISOString().slice(0, 7), inMonth: 1 }, undefined);
    const first = await w.sweep();
    const deferred = first.steps.find((st) => st.subject === 'digest sarah@parkrun.example');
    expect(deferred).toMatchObject({ action: 'defer' });
    // Her slot frees a week after the last (the policy allows an hour's give, to meet the hourly runs).
    expect(new Date(deferred!.at!).getTime()).toBeGreaterThan(plus(4.9).getTime());
    expect(new Date(deferred!.at!).getTime()).toBeLessThanOrEqual(plus(5).getTime());
    expect(w.recording.sent.filter((m) => m.to === 'sarah@parkrun.example')).toHaveLength(0);
    // Nothing of it was held to go out as written today.
    expect(await w.releaseHeld()).toMatchObject({ due: 0 });
    // Meanwhile A00001's champion offers Saturdays: contact, and a takeover ahead.
    const link = (await w.link('A00001'))!;
    // (Written as the offer leaves it: takeovers.test.ts makes the offer itself.)
    await w.t.doc.send(new PutCommand({ TableName: w.t.tableName, Item: linkItem({ ...link, status: 'active', ladder: { rung: 0 }, lastContactAt: plus(1).toISOString(), takeoverUntil: '2027-03-06' }) }));
    w.clock.set(plus(5));
    await w.sweep();
    const digest = w.recording.sent.find((m) => m.to === 'sarah@parkrun.example')!;
    expect(digest.subject).toBe('Bushy parkrun: 1 practice link could do with a hello');
    expect(digest.text).toContain('Practice A00002: quiet for');
    expect(digest.text).not.toContain('Practice A00001');
  });
});

describe('a digest read while the sweep is nudging one of its links', () => {
  it('keeps the link for the next digest rather than dropping it as no longer quiet', async () => {
    // The sweep queues a link for the digest just before it records the climb; the digest
    // is read in between, when A00001 still looks active on rung 0.
    const w = await sweepWorld({
      practices: [aPractice('A00001'), aPractice('A00002')],
      links: [
        aLink('A00001', 'bushy', tuesdayMorning, 43, { dueAt: plus(30).toISOString() }),
        aLink('A00002', 'bushy', tuesdayMorning, 43, { status: 'quiet', ladder: { rung: 1, rungAt: plus(-1).toISOString() }, dueAt: plus(13).toISOString() }),
      ],
    });
    const event = anEvent();
    for (const director of event.eventDirectors) {
      for (const practiceCode of ['A00001', 'A00002']) await queueForDigest(w.deps, director, event, { practiceCode, eventShortName: 'bushy', addedAt: tuesdayMorning.toISOString() }, tuesdayMorning);
    }
    await w.sweep();
    const first = w.recording.sent.filter((m) => m.to === 'sarah@parkrun.example');
    expect(first.map((m) => m.subject)).toEqual(['Bushy parkrun: 1 practice link could do with a hello']);
    expect(first[0]!.text).not.toContain('Practice A00001');
    expect((await w.store.ladder.digestEntries('sarah@parkrun.example')).map((e) => e.practiceCode)).toEqual(['A00001']);

    // The climb is recorded; the next digest, an interval on, lists it.
    await w.t.doc.send(
      new UpdateCommand({
        TableName: w.t.tableName,
        Key: { pk: 'PRACTICE#A00001', sk: 'LINK#bushy' },
        UpdateExpression: 'SET #status = :quiet, ladder = :ladder ADD rev :one',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':quiet': 'quiet', ':ladder': { rung: 1, rungAt: tuesdayMorning.toISOString(), quietSince: tuesdayMorning.toISOString() }, ':one': 1 },
      }),
    );
    w.clock.set(plus(w.deps.nudgePolicy.digestIntervalDays));
    await w.sweep();
    const second = w.recording.sent.filter((m) => m.to === 'sarah@parkrun.example').slice(1);
    expect(second).toHaveLength(1);
    expect(second[0]!.text).toContain('Practice A00001: quiet for');
  });
});

describe('caps and quiet hours', () => {
  it('sends one nudge per person in 7 days, whatever number of links they hold: the next waits for their budget', async () => {
    const shared = 'busy.champion@nhs.example';
    const w = await sweepWorld({
      events: [anEvent(), anEvent({ shortName: 'colwick', name: 'Colwick parkrun' })],
      practices: [aPractice('A00001', shared)],
      links: [aLink('A00001', 'bushy', tuesdayMorning, 45), aLink('A00001', 'colwick', tuesdayMorning, 45)],
    });
    const toChampion = () => w.sent().filter((m) => m.to === shared);
    const first = await w.sweep();
    // Both links climb the ladder; the person's budget lets one email go, and holds the other.
    expect(first.report).toMatchObject({ nudges: 2, deferred: 0 });
    expect(toChampion()).toHaveLength(1);
    w.clock.set(plus(6.9));
    await w.sweep();
    expect(await w.releaseHeld()).toMatchObject({ due: 0, sent: 0 });
    expect(toChampion()).toHaveLength(1);
    w.clock.set(plus(7));
    await w.sweep();
    expect(await w.releaseHeld()).toMatchObject({ due: 1, sent: 1 });
    expect(toChampion()).toHaveLength(2);
    expect(new Set(toChampion().map((e) => e.subject)).size).toBe(2);
  });

  it('holds a practice nudge due at the weekend until Monday 08:00', async () => {
    const saturday = new Date('2026-11-28T11:00:00Z');
    const w = await sweepWorld({ start: saturday, practices: [aPractice('A00001')], links: [aLink('A00001', 'bushy', saturday, 42)] });
    const run = await w.sweep();
    expect(run.report).toMatchObject({ deferred: 1, nudges: 0 });
    expect(run.steps[0]?.at).toBe('2026-11-30T08:00:00.000Z');
    w.clock.set(new Date('2026-11-30T08:00:00Z'));
    await w.sweep();
    expect(w.sent().filter((m) => m.to === champion)).toHaveLength(1);
  });

  it('holds an event-director digest due on Saturday morning until 13:00', async () => {
    // The first nudge goes out at 17:59 on a Friday, so its digests fall due as the directors' quiet hours begin.
    const fridayEvening = new Date('2026-12-11T17:59:00Z');
    const w = await sweepWorld({ start: fridayEvening, practices: [aPractice('A00001')], links: [aLink('A00001', 'bushy', fridayEvening, 42)] });
    const friday = await w.sweep();
    const sentFriday = friday.report.digests;
    for (const at of ['2026-12-11T18:30:00Z', '2026-12-12T09:00:00Z', '2026-12-12T12:59:00Z']) {
      w.clock.set(new Date(at));
      const quiet = await w.sweep();
      expect(quiet.report.digests).toBe(0);
      for (const s of quiet.steps.filter((x) => x.subject.startsWith('digest'))) expect(s.at).toBe('2026-12-12T13:00:00.000Z');
    }
    w.clock.set(new Date('2026-12-12T13:00:00Z'));
    expect(sentFriday + (await w.sweep()).report.digests).toBe(2);
  });
});

describe('exactly once, under faults', () => {
  const world = () =>
    sweepWorld({
      practices: Array.from({ length: 6 }, (_, i) => aPractice(`A0000${i}`)),
      links: Array.from({ length: 6 }, (_, i) => aLink(`A0000${i}`, 'bushy', tuesdayMorning, 43 + i)),
    });

  it('sends each email once when two sweeps run at the same moment', async () => {
    const w = await world();
    const [a, b] = await Promise.all([w.sweep(), w.sweep()]);
    expect(a.report.failed + b.report.failed).toBe(0);
    // Whatever one left to the other (a digest queued after its part of the index was read), a third run sends, and a fourth finds everything moved on.
    await w.sweep();
    // Each champion's nudge, and one digest to each director.
    expect(w.sent()).toHaveLength(8);
    expect(new Set(w.sent().map((m) => m.to)).size).toBe(8);
    expect((await w.sweep()).report.due).toBe(0);
  });

  it('resumes after a crash half way: each email once, and the links in the same state as a clean run', async () => {
    const clean = await world();
    await clean.sweep();
    await clean.sweep();

    const w = await world();
    const stepLink = w.deps.ladder.stepLink.bind(w.deps.ladder);
    let steps = 0;
    w.deps.ladder.stepLink = async (link, next) => {
      if (++steps === 4) throw new Error('Lambda timed out');
      return stepLink(link, next);
    };
    const crashed = await w.sweep();
    expect(crashed.report.failed).toBe(1);
    w.deps.ladder.stepLink = stepLink;
    await w.sweep();
    await w.sweep();
    expect(w.sent().map((m) => m.to).sort()).toEqual(clean.sent().map((m) => m.to).sort());
    // A link nudged again after a director's digest went waits in their next one, so only the links are compared.
    const links = async (x: typeof w) => (await snapshot(x)).filter((i) => i.entityType === 'Link');
    expect(await links(w)).toEqual(await links(clean));
  });

  it('records a message that still fails as failed, keeps the link due, and sends it on the next run', async () => {
    let failing = true;
    const flaky: MailTransport = {
      async send(email: OutgoingEmail) {
        if (failing && email.to === 'a00002@nhs.example') throw Object.assign(new Error('Mail from domain not verified'), { name: 'MessageRejected' });
        return { messageId: `m-${email.to}` };
      },
    };
    const w = await sweepWorld({
      practices: Array.from({ length: 3 }, (_, i) => aPractice(`A0000${i}`)),
      links: Array.from({ length: 3 }, (_, i) => aLink(`A0000${i}`, 'bushy', tuesdayMorning, 43)),
      transport: flaky,
    });
    const run = await w.sweep();
    expect(run.report).toMatchObject({ failed: 1 });
    expect((await w.link('A00002'))?.ladder?.rung).toBe(0);
    failing = false;
    w.clock.set(plus(0.05));
    const next = await w.sweep();
    expect(next.report).toMatchObject({ nudges: 1, failed: 0 });
    expect((await w.link('A00002'))?.ladder?.rung).toBe(1);
  });

  it('treats an address SES refuses outright as a permanent bounce: contact lost, directors told, never tried again', async () => {
    const ses = mockClient(SESv2Client);
    const refused = 'a00001@nhs';
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    ses
      .on(SendEmailCommand, { Destination: { ToAddresses: [refused] } })
      .rejects(Object.assign(new Error("Missing final '@domain'"), { name: 'BadRequestException', $metadata: { httpStatusCode: 400 } }));
    const w = await sweepWorld({
      practices: [aPractice('A00001', refused)],
      links: [aLink('A00001', 'bushy', tuesdayMorning, 43)],
      transport: new SesMailTransport(new SESv2Client({ region: 'eu-west-2' })),
    });
    expect((await w.sweep()).report).toMatchObject({ failed: 0 });
    const to = () => ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input.Destination?.ToAddresses?.[0]);
    // One try at the nudge, not four: no retry helps an address refused as malformed.
    expect(to().filter((a) => a === refused)).toHaveLength(1);
    expect(await w.store.optOuts.isSuppressed(refused)).toBe(true);
    expect(await w.link('A00001')).toMatchObject({ status: 'contact-lost' });
    const subjects = ses.commandCalls(SendEmailCommand).map((c) => [c.args[0].input.Destination?.ToAddresses?.[0], c.args[0].input.Content?.Simple?.Subject?.Data]);
    expect(subjects.filter(([a, s]) => a === 'sarah@parkrun.example' && /Practice A00001/.test(s ?? ''))).not.toHaveLength(0);
    // The next day's sweeps send the champion nothing.
    w.clock.set(new Date(tuesdayMorning.getTime() + day));
    await w.sweep();
    expect(to().filter((a) => a === refused)).toHaveLength(1);
    ses.restore();
  });

  it('retries SES throttling with backoff through the real SES adapter', async () => {
    const ses = mockClient(SESv2Client);
    ses
      .on(SendEmailCommand)
      .rejectsOnce(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' }))
      .rejectsOnce(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }))
      .resolves({ MessageId: 'ses-1' });
    const w = await sweepWorld({
      practices: [aPractice('A00001')],
      links: [aLink('A00001', 'bushy', tuesdayMorning, 43)],
      transport: new SesMailTransport(new SESv2Client({ region: 'eu-west-2' })),
    });
    expect((await w.sweep()).report).toMatchObject({ nudges: 1, failed: 0 });
    // Three tries for the nudge; the digest it queued for a director goes in the next run,
    // whose reads begin after it was queued.
    expect(ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input.Destination)).toEqual([{ ToAddresses: [champion] }, { ToAddresses: [champion] }, { ToAddresses: [champion] }]);
    expect((await w.link('A00001'))?.ladder?.rung).toBe(1);
    w.clock.set(new Date(tuesdayMorning.getTime() + 3_600_000));
    expect((await w.sweep()).report).toMatchObject({ failed: 0 });
    expect(ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input.Destination).at(-1)).toEqual({ ToAddresses: ['sarah@parkrun.example'] });
    ses.restore();
  });
});

describe('a person answering while the sweep runs', () => {
  it('is not nudged: the sweep re-reads the link before acting on what the due index said', async () => {
    const w = await sweepWorld({ practices: [aPractice('A00001')], links: [aLink('A00001', 'bushy', tuesdayMorning, 43)] });
    const dueWork = w.deps.ladder.dueWork.bind(w.deps.ladder);
    w.deps.ladder.dueWork = async function* (now: Date) {
      for await (const page of dueWork(now)) {
        // "We're in touch" lands between reading the index and acting on it.
        await w.t.doc.send(
          new UpdateCommand({
            TableName: w.t.tableName,
            Key: { pk: 'PRACTICE#A00001', sk: 'LINK#bushy' },
            UpdateExpression: 'SET lastContactAt = :now ADD rev :one',
            ExpressionAttributeValues: { ':now': now.toISOString(), ':one': 1 },
          }),
        );
        yield page;
      }
    };
    const run = await w.sweep();
    expect(run.report).toMatchObject({ nudges: 0, conflicts: 1 });
    expect(w.sent()).toEqual([]);
  });
});

describe('reading only what is due', () => {
  it('reads the due links from the sparse index, not the rest', async () => {
    const links = Array.from({ length: 200 }, (_, i) => aLink(`B${String(i).padStart(5, '0')}`, 'bushy', tuesdayMorning, i < 5 ? 50 : 10));
    const w = await sweepWorld({ practices: links.map((l) => aPractice(l.practiceCode)), links });
    const ladder = w.deps.ladder as unknown as { itemsRead: number };
    const { report } = await w.sweep({ dryRun: true });
    expect(report.due).toBe(5);
    expect(ladder.itemsRead).toBe(5);
  });

  it('writes nothing and sends nothing in a dry run', async () => {
    const w = await sweepWorld({ practices: [aPractice('A00001')], links: [aLink('A00001', 'bushy', tuesdayMorning, 56, { ladder: { rung: 1, rungAt: plus(-14).toISOString() } })] });
    const before = await snapshot(w);
    const { steps } = await w.sweep({ dryRun: true });
    expect(steps.map((s) => [s.action, s.to])).toEqual([
      ['nudge', champion],
      ['digest', 'sarah@parkrun.example'],
      ['digest', 'tom@parkrun.example'],
    ]);
    expect(w.sent()).toEqual([]);
    expect(await snapshot(w)).toEqual(before);
  });
});

afterEach(() => undefined);
