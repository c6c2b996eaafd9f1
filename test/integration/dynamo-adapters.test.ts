import { createHmac } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '../../functions/adapters/dynamo/document-client.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventDirectory } from '../../functions/adapters/dynamo/event-directory.js';
import { eventItem, keys } from '../../functions/adapters/dynamo/items.js';
import { DynamoHeldMail } from '../../functions/adapters/dynamo/held-mail.js';
import { DynamoLadderStore } from '../../functions/adapters/dynamo/ladder-store.js';
import { DynamoMetricsStore } from '../../functions/adapters/dynamo/metrics-store.js';
import { DynamoLinkTokens } from '../../functions/adapters/dynamo/link-tokens.js';
import { DynamoOptOutStore } from '../../functions/adapters/dynamo/opt-out-store.js';
import { DynamoOutboxLedger } from '../../functions/adapters/dynamo/outbox-ledger.js';
import { DynamoPartnershipStore } from '../../functions/adapters/dynamo/partnership-store.js';
import { ConflictError, LinkAlreadyExistsError } from '../../functions/core/errors.js';
import type { Registration } from '../../functions/core/model.js';
import type { HeldMessage } from '../../functions/core/ports.js';
import { anEvent } from '../support/fixtures.js';
import { createTestTable } from '../support/dynamo.js';

let t: Awaited<ReturnType<typeof createTestTable>>;
beforeAll(async () => {
  t = await createTestTable();
});

const registration = (id: string, code: string, events: string[]): Registration => ({
  id,
  practice: { code, name: 'Riverside Surgery', postcode: 'TW11 0AA', champion: { name: 'Dr Jane Smith', role: 'GP', email: 'jane@nhs.example' } },
  eventShortNames: events,
  contactedEventTeam: true,
  submittedAt: '2026-11-22T10:00:00.000Z',
});

describe('event directory', () => {
  it('gets known events by name and lists them by name', async () => {
    const directory = new DynamoEventDirectory(t.doc, t.tableName);
    for (const e of [anEvent(), anEvent({ shortName: 'colwick', name: 'Colwick parkrun' })]) {
      await t.doc.send(new PutCommand({ TableName: t.tableName, Item: eventItem(e) }));
    }
    const found = await directory.getEvents(['bushy', 'nowhere', 'bushy']);
    expect([...found.keys()]).toEqual(['bushy']);
    expect(found.get('bushy')).toEqual(anEvent());
    expect((await directory.listEvents()).map((e) => e.shortName)).toEqual(['bushy', 'colwick']);
  });
});

describe('partnership store', () => {
  it('writes registration, practice and links together, and finds the links', async () => {
    const store = new DynamoPartnershipStore(t.doc, t.tableName);
    await store.recordRegistration(registration('r-1', 'B11111', ['bushy', 'colwick']));
    expect(await store.findLinkedEvents('B11111', ['colwick', 'hackney-marshes'])).toEqual(['colwick']);
    expect(await store.getPractice('B11111')).toMatchObject({ code: 'B11111', name: 'Riverside Surgery' });
    expect(await store.getLink('B11111', 'bushy')).toMatchObject({ status: 'registered', initialContact: 'practice', registrationId: 'r-1' });
  });

  it('keeps a link’s place in the by-status lists with every change of status, so the watcher need not', async () => {
    const store = new DynamoPartnershipStore(t.doc, t.tableName);
    const ladder = new DynamoLadderStore(t.doc, t.tableName);
    const ref = { practiceCode: 'S11111', eventShortName: 'bushy' };
    const statusKey = async () => (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: keys.link(ref.practiceCode, ref.eventShortName) }))).Item?.statusKey;
    const at = new Date('2026-11-22T10:00:00Z');
    await store.recordRegistration(registration('r-s', 'S11111', ['bushy']));
    expect(await statusKey()).toBe('STATUS#registered');
    await store.markIntroduced({ ...ref, registrationId: 'r-s', initialContact: 'practice' }, at, at);
    expect(await statusKey()).toBe('STATUS#introduced');
    await ladder.stepLink((await store.getLink(ref.practiceCode, ref.eventShortName))!, { status: 'at-risk', atRiskAt: at.toISOString(), dueAt: undefined });
    expect(await statusKey()).toBe('STATUS#at-risk');
    await store.markContactLost(ref, at);
    expect(await statusKey()).toBe('STATUS#contact-lost');
    await store.restoreContact(ref, at);
    expect(await statusKey()).toBe('STATUS#active');
  });

  it('reads a link with its practice and event in one go, and says which are missing', async () => {
    const store = new DynamoPartnershipStore(t.doc, t.tableName);
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: eventItem(anEvent({ shortName: 'hilly', name: 'Hilly parkrun' })) }));
    await store.recordRegistration(registration('r-h', 'H11111', ['hilly']));
    const context = await store.getLinkContext('H11111', 'hilly');
    expect(context).toEqual({ link: await store.getLink('H11111', 'hilly'), practice: await store.getPractice('H11111'), event: anEvent({ shortName: 'hilly', name: 'Hilly parkrun' }) });
    expect(context.link).toMatchObject({ status: 'registered' });
    expect(await store.getLinkContext('H11111', 'nowhere')).toEqual({ practice: await store.getPractice('H11111') });
  });

  it('keeps the practice name and champion on record when the practice registers again', async () => {
    const store = new DynamoPartnershipStore(t.doc, t.tableName);
    await store.recordRegistration(registration('r-k1', 'K11111', ['bushy']));
    const again = registration('r-k2', 'K11111', ['colwick']);
    again.practice = { ...again.practice, name: 'Other', champion: { name: 'Mallory', role: 'GP', email: 'mallory@evil.example' } };
    await store.recordRegistration(again);
    expect(await store.getPractice('K11111')).toMatchObject({ name: 'Riverside Surgery', champion: { email: 'jane@nhs.example' } });
    expect(await store.findLinkedEvents('K11111', ['bushy', 'colwick'])).toEqual(['bushy', 'colwick']);
  });

  it('lets exactly one of two racing registrations of the same link through, and writes nothing for the other', async () => {
    const store = new DynamoPartnershipStore(t.doc, t.tableName);
    const results = await Promise.allSettled([
      store.recordRegistration(registration('r-a', 'C22222', ['bushy'])),
      store.recordRegistration(registration('r-b', 'C22222', ['bushy', 'colwick'])),
    ]);
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    // At most one lands; the other is refused as a repeat (409), or as a clash to retry (409).
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    for (const r of rejected) expect(r.reason instanceof LinkAlreadyExistsError || r.reason instanceof ConflictError).toBe(true);
    if (rejected.length === 1 && rejected[0]!.reason instanceof LinkAlreadyExistsError) expect(rejected[0]!.reason.eventShortNames).toEqual(['bushy']);
    const loser = results[0]!.status === 'rejected' ? 'r-a' : 'r-b';
    const loserItem = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: keys.registration(loser) }));
    expect(loserItem.Item).toBeUndefined();
  });

  it('moves a link to introduced once, and creates one that is missing', async () => {
    const store = new DynamoPartnershipStore(t.doc, t.tableName);
    await store.recordRegistration(registration('r-2', 'D33333', ['bushy']));
    const at = new Date('2026-11-22T10:05:00Z');
    const due = new Date('2027-01-03T10:05:00Z');
    await store.markIntroduced({ practiceCode: 'D33333', eventShortName: 'bushy', registrationId: 'r-2', initialContact: 'practice' }, at, due);
    await store.markIntroduced(
      { practiceCode: 'D33333', eventShortName: 'bushy', registrationId: 'r-2', initialContact: 'practice' },
      new Date('2026-11-23T00:00:00Z'),
      new Date('2027-01-04T00:00:00Z'),
    );
    expect(await store.getLink('D33333', 'bushy')).toMatchObject({
      status: 'introduced',
      introducedAt: at.toISOString(),
      createdAt: '2026-11-22T10:00:00.000Z',
      dueAt: due.toISOString(),
      ladder: { rung: 0 },
      rev: 1,
    });
    await store.markIntroduced({ practiceCode: 'D33333', eventShortName: 'colwick', initialContact: 'introduction' }, at, due);
    expect(await store.getLink('D33333', 'colwick')).toMatchObject({ status: 'introduced', createdBy: 'registration' });
    const byEvent = await t.doc.send(
      new QueryCommand({ TableName: t.tableName, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': 'EVENT#colwick' } }),
    );
    expect(byEvent.Items?.map((i) => i.practiceCode)).toContain('D33333');
  });
});

describe('outbox ledger', () => {
  const entry = { kind: 'introductions' as const, template: 'intro-practice', to: 'jane@nhs.example', practiceCode: 'A81001' };
  const now = new Date('2026-11-22T10:00:00Z');

  it('lets one of many concurrent claims win', async () => {
    const ledger = new DynamoOutboxLedger(t.doc, t.tableName);
    const results = await Promise.all(Array.from({ length: 8 }, () => ledger.claim('k-race', entry, now, 60_000)));
    expect(results.filter((r) => r.outcome === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'in-flight')).toHaveLength(7);
  });

  it('says already-done once sent, and keeps the record as the message log', async () => {
    const ledger = new DynamoOutboxLedger(t.doc, t.tableName);
    const claim = await ledger.claim('k-sent', entry, now, 60_000);
    if (claim.outcome !== 'claimed') throw new Error('expected a claim');
    await ledger.markSent('k-sent', claim.claimId, { messageId: 'ses-1', subject: 'Hello' }, now);
    expect(await ledger.claim('k-sent', entry, new Date(now.getTime() + 3_600_000), 60_000)).toEqual({ outcome: 'already-done' });
    const log = await t.doc.send(
      new QueryCommand({
        TableName: t.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :m)',
        ExpressionAttributeValues: { ':p': 'PRACTICE#A81001', ':m': 'MESSAGE#' },
      }),
    );
    expect(log.Items?.find((i) => i.idempotencyKey === 'k-sent')).toMatchObject({ status: 'sent', providerMessageId: 'ses-1', subject: 'Hello', to: 'jane@nhs.example' });
  });

  it('can be claimed again after a failure or an expired lease, not before', async () => {
    const ledger = new DynamoOutboxLedger(t.doc, t.tableName);
    const first = await ledger.claim('k-fail', entry, now, 60_000);
    if (first.outcome !== 'claimed') throw new Error('expected a claim');
    await ledger.markFailed('k-fail', first.claimId, 'SES 503', now);
    expect((await ledger.claim('k-fail', entry, now, 60_000)).outcome).toBe('claimed');
    expect((await ledger.claim('k-fail', entry, new Date(now.getTime() + 59_000), 60_000)).outcome).toBe('in-flight');
    expect((await ledger.claim('k-fail', entry, new Date(now.getTime() + 61_000), 60_000)).outcome).toBe('claimed');
  });

  it('lets only the claim holder finish: a worker whose lease ran out cannot overwrite the result', async () => {
    const ledger = new DynamoOutboxLedger(t.doc, t.tableName);
    const slow = await ledger.claim('k-slow', entry, now, 60_000);
    const later = await ledger.claim('k-slow', entry, new Date(now.getTime() + 61_000), 60_000);
    if (slow.outcome !== 'claimed' || later.outcome !== 'claimed') throw new Error('expected two claims');
    await ledger.markSent('k-slow', later.claimId, { messageId: 'ses-2', subject: 'Hi' }, now);
    await expect(ledger.markFailed('k-slow', slow.claimId, 'timed out', now)).rejects.toThrow();
    expect((await ledger.claim('k-slow', entry, new Date(now.getTime() + 999_000), 60_000)).outcome).toBe('already-done');
  });
});

describe('held mail', () => {
  const message = (key: string, sendAt: string): HeldMessage => ({
    idempotencyKey: key,
    kind: 'takeovers',
    to: 'jane@nhs.example',
    template: 'takeover-notice',
    links: { answer: { purpose: 'takeover-outcome', subject: 'A81001.bushy', role: 'champion' } },
    view: { greeting: 'Jane', subject: 'Your takeover', paragraphs: ['Please tell us how it went'], action: { label: 'Tell us', url: '' }, note: undefined },
    slots: [{ path: ['action', 'url'], link: 'answer' }],
    reason: 'You get this as the parkrun practice contact.',
    window: { audience: 'practice', timeZone: 'Europe/London' },
    sendAt,
  });

  it('holds a message once, finds it only once its window opens, and lets it go', async () => {
    const held = new DynamoHeldMail(t.doc, t.tableName);
    expect(await held.hold(message('held-1', '2026-11-30T08:00:00.000Z'))).toBe(true);
    expect(await held.hold(message('held-1', '2026-11-30T09:00:00.000Z'))).toBe(false);
    const due = async (at: string) => {
      const found: HeldMessage[] = [];
      for await (const page of held.due(new Date(at))) found.push(...page);
      return found.filter((m) => m.idempotencyKey === 'held-1');
    };
    expect(await due('2026-11-30T07:59:59.000Z')).toEqual([]);
    const { view: _view, ...rest } = message('held-1', '2026-11-30T08:00:00.000Z');
    expect(await due('2026-11-30T08:00:00.000Z')).toEqual([{ ...rest, view: { greeting: 'Jane', subject: 'Your takeover', paragraphs: ['Please tell us how it went'], action: { label: 'Tell us', url: '' } } }]);
    await held.release('held-1');
    expect(await due('2026-12-30T08:00:00.000Z')).toEqual([]);
  });

  it('moves a held message on when its reader’s budget is spent, and leaves a released one released', async () => {
    const held = new DynamoHeldMail(t.doc, t.tableName);
    await held.hold({ ...message('held-2', '2026-11-30T08:00:00.000Z'), unasked: true, heldAt: '2026-11-27T10:00:00.000Z' });
    await held.postpone('held-2', new Date('2026-12-07T08:00:00.000Z'));
    const due = async (at: string) => {
      const found: HeldMessage[] = [];
      for await (const page of held.due(new Date(at))) found.push(...page);
      return found.filter((m) => m.idempotencyKey === 'held-2');
    };
    expect(await due('2026-12-07T07:59:59.000Z')).toEqual([]);
    expect(await due('2026-12-07T08:00:00.000Z')).toMatchObject([{ sendAt: '2026-12-07T08:00:00.000Z', unasked: true, heldAt: '2026-11-27T10:00:00.000Z' }]);
    await held.release('held-2');
    // A run that lost the race to send it must not bring it back.
    await held.postpone('held-2', new Date('2026-12-14T08:00:00.000Z'));
    expect(await due('2027-01-30T08:00:00.000Z')).toEqual([]);
  });
});

describe('link tokens', () => {
  const secret = 's'.repeat(48);
  const grant = { purpose: 'unsubscribe' as const, subject: 'introductions', recipient: 'sarah@parkrun.example', expiresAt: new Date('2026-12-01T00:00:00Z') };
  const now = new Date('2026-11-22T10:00:00Z');

  it('stores only a keyed hash of the token, and finds the grant by the token', async () => {
    const tokens = new DynamoLinkTokens(t.doc, t.tableName, secret);
    const token = await tokens.issue(grant, now);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const hash = createHmac('sha256', secret).update(token).digest('base64url');
    const stored = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: keys.token(hash) }));
    expect(JSON.stringify(stored.Item)).not.toContain(token);
    expect(stored.Item?.expiresAt).toBe(Math.floor(grant.expiresAt.getTime() / 1000));
    expect(await tokens.lookup(token, now)).toEqual({ ref: hash, grant, state: 'valid' });
  });

  it('refuses an expired token even before TTL removes it, and a token hashed with another key', async () => {
    const tokens = new DynamoLinkTokens(t.doc, t.tableName, secret);
    const token = await tokens.issue(grant, now);
    expect((await tokens.lookup(token, new Date('2026-12-01T00:00:00Z')))?.state).toBe('expired');
    expect(await new DynamoLinkTokens(t.doc, t.tableName, 'x'.repeat(48)).lookup(token, now)).toBeUndefined();
    expect(await tokens.lookup('../../etc/passwd', now)).toBeUndefined();
  });
});

describe('email preferences', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  async function unsubscribeToken(email: string) {
    const tokens = new DynamoLinkTokens(t.doc, t.tableName, 's'.repeat(48));
    const token = await tokens.issue({ purpose: 'unsubscribe', subject: email, recipient: email, expiresAt: new Date('2027-12-01T00:00:00Z') }, now);
    return (await tokens.lookup(token, now))!;
  }

  it('honours stopping all mail for every kind, whatever the case of the address', async () => {
    const optOuts = new DynamoOptOutStore(t.doc, t.tableName);
    const { ref } = await unsubscribeToken('amy@parkrun.example');
    expect(await optOuts.isOptedOut('amy@parkrun.example', 'introductions')).toBe(false);
    await optOuts.setPreferences('Amy@Parkrun.example', ['all'], now, 'test', { ref, purpose: 'unsubscribe', now });
    expect(await optOuts.isOptedOut('amy@parkrun.example', 'introductions')).toBe(true);
    expect(await optOuts.getPreferences('AMY@parkrun.example')).toEqual({ stopped: ['all'], updatedAt: now.toISOString() });
  });

  it('lets the same unsubscribe token change preferences again, counting its uses', async () => {
    const optOuts = new DynamoOptOutStore(t.doc, t.tableName);
    const { ref } = await unsubscribeToken('bea@parkrun.example');
    const spend = { ref, purpose: 'unsubscribe' as const, now };
    await optOuts.setPreferences('bea@parkrun.example', ['nudges'], now, 'test', spend);
    await optOuts.setPreferences('bea@parkrun.example', ['digests'], now, 'test', spend);
    expect(await optOuts.isOptedOut('bea@parkrun.example', 'nudges')).toBe(false);
    expect(await optOuts.isOptedOut('bea@parkrun.example', 'digests')).toBe(true);
    const item = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: keys.token(ref) }));
    expect(item.Item?.uses).toBe(2);
  });

  it('writes nothing when the token is for another purpose', async () => {
    const optOuts = new DynamoOptOutStore(t.doc, t.tableName);
    const { ref } = await unsubscribeToken('cal@parkrun.example');
    const attempt = optOuts.setPreferences('cal@parkrun.example', ['all'], now, 'test', { ref, purpose: 'in-touch', now });
    await expect(attempt).rejects.toMatchObject({ problem: 'used' });
    expect(await optOuts.isOptedOut('cal@parkrun.example', 'introductions')).toBe(false);
  });
});

describe('digest entries', () => {
  it('keeps an entry written again while a digest was being sent, for the next digest', async () => {
    const { DynamoLadderStore } = await import('../../functions/adapters/dynamo/ladder-store.js');
    const ladder = new DynamoLadderStore(t.doc, t.tableName);
    const head = { email: 'dee@parkrun.example', name: 'Dee', eventShortName: 'bushy', timeZone: 'Europe/London' };
    const entry = { kind: 'takeover-proposal' as const, practiceCode: 'Z00001', eventShortName: 'bushy', takeoverId: 't1', addedAt: '2026-11-24T10:00:00.000Z' };
    await ladder.addToDigest(head, entry, new Date('2026-11-24T10:00:00Z'));
    const read = await ladder.digestEntries(head.email);
    // A new offer for the same link lands before the digest is completed.
    await ladder.addToDigest(head, { ...entry, takeoverId: 't2', addedAt: '2026-11-24T10:05:00.000Z' }, new Date('2026-11-24T10:05:00Z'));
    const current = (await ladder.getDigest(head.email))!;
    await ladder.completeDigest({ ...current, rev: (current.rev ?? 0) - 1 }, read, new Date('2026-11-24T10:06:00Z'), new Date('2026-12-01T10:06:00Z'));
    expect((await ladder.digestEntries(head.email)).map((e) => e.takeoverId)).toEqual(['t2']);
    expect((await ladder.getDigest(head.email))?.dueAt).toBe('2026-12-01T10:06:00.000Z');
  });

  it('keeps a person’s budget slot, written only over the slot its writer read', async () => {
    const { DynamoLadderStore } = await import('../../functions/adapters/dynamo/ladder-store.js');
    const slots = new DynamoLadderStore(t.doc, t.tableName);
    const email = 'Fay@nhs.example';
    expect(await slots.read(email)).toBeUndefined();
    const first = { lastAt: '2026-12-01T10:00:00.000Z', key: 'feedback-ask#A.bushy#2026-11', month: '2026-12', inMonth: 1 };
    expect(await slots.write(email, first, undefined)).toBe(true);
    // A second writer that read nothing loses: the first wrote meanwhile.
    expect(await slots.write(email, { ...first, key: 'other' }, undefined)).toBe(false);
    expect(await slots.read('fay@nhs.example')).toEqual(first);
    const second = { lastAt: '2026-12-08T10:00:00.000Z', key: 'nudge#A.bushy#rung1', month: '2026-12', inMonth: 2 };
    expect(await slots.write(email, second, first)).toBe(true);
    // Over a slot that has changed since it was read: refused, and nothing written.
    expect(await slots.write(email, { ...second, key: 'late' }, first)).toBe(false);
    expect(await slots.read(email)).toEqual(second);
  });

  it('brings a digest forward for an entry due sooner, and never puts one back', async () => {
    const { DynamoLadderStore } = await import('../../functions/adapters/dynamo/ladder-store.js');
    const ladder = new DynamoLadderStore(t.doc, t.tableName);
    const head = { email: 'eve@parkrun.example', name: 'Eve', eventShortName: 'bushy', timeZone: 'Europe/London' };
    const entry = (kind: 'quiet-link' | 'takeover-proposal', code: string) => ({ kind, practiceCode: code, eventShortName: 'bushy', takeoverId: 't1', addedAt: '2026-11-24T10:00:00.000Z' });
    await ladder.addToDigest(head, entry('quiet-link', 'Z00001'), new Date('2026-12-10T08:00:00Z'));
    // A takeover offer may go a week after the last digest, sooner than the digest interval.
    await ladder.addToDigest(head, entry('takeover-proposal', 'Z00002'), new Date('2026-12-01T08:00:00Z'));
    expect((await ladder.getDigest(head.email))?.dueAt).toBe('2026-12-01T08:00:00.000Z');
    await ladder.addToDigest(head, entry('quiet-link', 'Z00003'), new Date('2026-12-12T08:00:00Z'));
    expect((await ladder.getDigest(head.email))?.dueAt).toBe('2026-12-01T08:00:00.000Z');
    expect((await ladder.digestEntries(head.email)).map((e) => e.practiceCode).sort()).toEqual(['Z00001', 'Z00002', 'Z00003']);
  });
});

describe('head-office figures', () => {
  it('applies a batch of changes in few writes, summed per counter, each change once however often it comes', async () => {
    const metrics = new DynamoMetricsStore(t.doc, t.tableName);
    const change = (id: string, event: string, day = '2026-11-22') => ({ id, day, scopes: ['ALL', `EVENT#${event}`], deltas: { links: 1 } });
    expect(await metrics.apply('early', '2026-11-22', ['ALL'], { links: 1 })).toBe('applied');
    // 60 changes over 30 events: 60 markers and 62 counter items, more than one transaction holds.
    const batch = [change('early', 'bushy'), ...Array.from({ length: 60 }, (_, i) => change(`c${i}`, `event${i % 30}`, i % 2 ? '2026-11-23' : '2026-11-22')), change('c7', 'event7')];
    const outcomes = await metrics.applyAll(batch);
    expect(outcomes.filter((o) => o === 'duplicate').length).toBe(2);
    expect([outcomes[0], outcomes.at(-1)]).toEqual(['duplicate', 'duplicate']);
    expect((await metrics.read('ALL', '2026-11-22', '2026-11-23')).current.links).toBe(61);
    expect((await metrics.read('EVENT#event7', '2026-11-22', '2026-11-23')).days).toEqual([{ day: '2026-11-23', values: { links: 2 } }]);
    // Per-event counters stand apart from the totals every change rewrites, and not by day.
    await metrics.apply('with-event', '2026-11-23', ['REGION#Wales'], { links: 1, ev_cardiff: 1 });
    const raw = async (sk: string) => (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: 'METRIC#REGION#Wales', sk } }))).Item;
    expect(await raw('CURRENT')).toMatchObject({ links: 1 });
    expect((await raw('CURRENT'))?.ev_cardiff).toBeUndefined();
    expect(await raw('CURRENT#EVENTS')).toMatchObject({ ev_cardiff: 1 });
    expect((await raw('DAY#2026-11-23'))?.ev_cardiff).toBeUndefined();
    expect(await metrics.read('REGION#Wales', '2026-11-23', '2026-11-23')).toEqual({ current: { links: 1, ev_cardiff: 1 }, days: [{ day: '2026-11-23', values: { links: 1 } }], itemsRead: 3 });
    // Again, as a redelivered batch: nothing counted twice.
    expect(new Set(await metrics.applyAll(batch))).toEqual(new Set(['duplicate']));
    expect((await metrics.read('ALL', '2026-11-22', '2026-11-23')).current.links).toBe(61);
  });
});
