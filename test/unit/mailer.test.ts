import { describe, expect, it } from 'vitest';
import { MessageInFlightError } from '../../functions/core/errors.js';
import type { MailRequest } from '../../functions/core/mailer.js';
import { releaseHeldMail } from '../../functions/core/use-cases/held-mail.js';
import { introEventTeam, type IntroEventTeamView } from '../../templates/intro-event-team.js';
import { anIntroEventTeamView } from '../support/fixtures.js';
import { anEvent } from '../support/fixtures.js';
import { memoryDeps } from '../support/memory-ports.js';

function request(overrides: Partial<MailRequest<IntroEventTeamView>> = {}): MailRequest<IntroEventTeamView> {
  return {
    idempotencyKey: 'intro-event-team#r1#bushy#sarah@parkrun.example',
    kind: 'introductions',
    to: 'Sarah@Parkrun.example',
    template: introEventTeam,
    view: anIntroEventTeamView(),
    reason: 'You get this as an event director of Bushy parkrun.',
    practiceCode: 'A81001',
    eventShortName: 'bushy',
    ...overrides,
  };
}

describe('mailer', () => {
  it('sends with sender, reply-to and both unsubscribe headers, to a lower-cased address', async () => {
    const deps = memoryDeps([anEvent()]);
    expect(await deps.mailer.send(request())).toBe('sent');
    expect(deps.transport.sent).toHaveLength(1);
    const email = deps.transport.sent[0]!;
    expect(email.to).toBe('sarah@parkrun.example');
    expect(email.from).toBe('parkrun practice nudges <nudges@parkrun-practice.example>');
    expect(email.replyTo).toBe('health@parkrun-practice.example');
    const unsubscribe = email.headers.find((h) => h.name === 'List-Unsubscribe')?.value ?? '';
    expect(unsubscribe).toMatch(/^<https:\/\/nudges\.test\/unsubscribe\/[A-Za-z0-9_-]{43}>$/);
    expect(email.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
    const token = unsubscribe.slice(unsubscribe.lastIndexOf('/') + 1, -1);
    const found = await deps.tokens.lookup(token, deps.clock.now());
    expect(found?.grant).toMatchObject({ purpose: 'unsubscribe', recipient: 'sarah@parkrun.example', subject: 'sarah@parkrun.example' });
    expect(found?.grant.expiresAt).toEqual(new Date(deps.clock.now().getTime() + 400 * 86_400_000));
    expect(email.text).toContain(`https://nudges.test/preferences/${token}`);
  });

  it('sends a message with the same idempotency key once', async () => {
    const deps = memoryDeps([anEvent()]);
    await deps.mailer.send(request());
    expect(await deps.mailer.send(request())).toBe('already-sent');
    expect(deps.transport.sent).toHaveLength(1);
    expect(deps.ledger.records.get(request().idempotencyKey)?.status).toBe('sent');
  });

  it('refuses to send while another worker holds the lease, so the caller retries', async () => {
    const deps = memoryDeps([anEvent()]);
    await deps.ledger.claim(request().idempotencyKey, { kind: 'introductions', template: 'x', to: 'x' }, deps.clock.now(), 60_000);
    await expect(deps.mailer.send(request())).rejects.toBeInstanceOf(MessageInFlightError);
    expect(deps.transport.sent).toHaveLength(0);
  });

  it('takes over a lease left by a worker that died', async () => {
    const deps = memoryDeps([anEvent()]);
    await deps.ledger.claim(request().idempotencyKey, { kind: 'introductions', template: 'x', to: 'x' }, deps.clock.now(), 60_000);
    deps.clock.at = new Date(deps.clock.at.getTime() + 61_000);
    expect(await deps.mailer.send(request())).toBe('sent');
  });

  it('does not send to an address that has opted out of all mail, and records it', async () => {
    const deps = memoryDeps([anEvent()]);
    deps.optOuts.stop('sarah@parkrun.example', 'all');
    expect(await deps.mailer.send(request())).toBe('opted-out');
    expect(deps.transport.sent).toHaveLength(0);
    expect(deps.ledger.records.get(request().idempotencyKey)?.status).toBe('suppressed');
  });

  it('honours an opt-out of one kind for that kind only', async () => {
    const deps = memoryDeps([anEvent()]);
    deps.optOuts.stop('sarah@parkrun.example', 'nudges');
    expect(await deps.mailer.send(request())).toBe('sent');
    deps.optOuts.stop('sarah@parkrun.example', 'introductions');
    expect(await deps.mailer.send(request({ idempotencyKey: 'another' }))).toBe('opted-out');
  });

  it('sends mail a person asked for even after they stopped everything', async () => {
    const deps = memoryDeps([anEvent()]);
    deps.optOuts.stop('sarah@parkrun.example', 'all');
    expect(await deps.mailer.send(request({ kind: 'requested' }))).toBe('sent');
  });

  it('never sends to an address that bounced or complained, not even mail they asked for', async () => {
    const deps = memoryDeps([anEvent()]);
    await deps.optOuts.suppress('sarah@parkrun.example', 'bounce', deps.clock.now());
    expect(await deps.mailer.send(request({ kind: 'requested' }))).toBe('opted-out');
    expect(deps.transport.sent).toHaveLength(0);
  });

  it('issues each answer link for its own purpose and link, valid for 14 days, only when it sends', async () => {
    const deps = memoryDeps([anEvent()]);
    const links = {
      inTouch: { purpose: 'in-touch' as const, subject: 'A81001.bushy', role: 'event-director' as const },
      pause3: { purpose: 'pause' as const, subject: 'A81001.bushy', role: 'event-director' as const, query: { months: '3' } },
    };
    let seen: Record<string, string> = {};
    const send = () => deps.mailer.send(request({ links, view: (urls) => ((seen = urls), request().view as IntroEventTeamView) }));
    await send();
    expect(seen.inTouch).toMatch(/^https:\/\/nudges\.test\/links\/A81001\.bushy\/in-touch\/[A-Za-z0-9_-]{43}$/);
    expect(seen.pause3).toMatch(/\/links\/A81001\.bushy\/pause\/[A-Za-z0-9_-]{43}\?months=3$/);
    const token = seen.inTouch!.split('/').pop()!;
    const found = await deps.tokens.lookup(token, deps.clock.now());
    expect(found?.grant).toMatchObject({ purpose: 'in-touch', subject: 'A81001.bushy', role: 'event-director', recipient: 'sarah@parkrun.example' });
    expect(found?.grant.expiresAt).toEqual(new Date(deps.clock.now().getTime() + 14 * 86_400_000));
    const issuedBefore = deps.tokens.issued.length;
    expect(await send()).toBe('already-sent');
    expect(deps.tokens.issued.length).toBe(issuedBefore);
  });

  it('never marks a message failed once the provider accepted it, even if recording it fails', async () => {
    const deps = memoryDeps([anEvent()]);
    const markSent = deps.ledger.markSent.bind(deps.ledger);
    deps.ledger.markSent = async () => {
      throw new Error('DynamoDB unavailable');
    };
    await expect(deps.mailer.send(request())).rejects.toThrow('DynamoDB unavailable');
    expect(deps.ledger.records.get(request().idempotencyKey)?.status).toBe('sending');
    deps.ledger.markSent = markSent;
    // Within the lease, a retry does not send again.
    await expect(deps.mailer.send(request())).rejects.toBeInstanceOf(MessageInFlightError);
    expect(deps.transport.sent).toHaveLength(1);
  });

  it('gives the claim back when the send fails, and the retry sends it', async () => {
    const deps = memoryDeps([anEvent()]);
    deps.transport.failNext = 1;
    await expect(deps.mailer.send(request())).rejects.toThrow(/Throttling/);
    expect(deps.ledger.records.get(request().idempotencyKey)?.status).toBe('failed');
    expect(await deps.mailer.send(request())).toBe('sent');
    expect(deps.transport.sent).toHaveLength(1);
  });
});

describe('mail held for its reader’s window', () => {
  // Friday 19:30 in London: inside the directors' event-eve quiet hours.
  const fridayEvening = new Date('2026-11-27T19:30:00Z');
  const window = { audience: 'event-director' as const, timeZone: 'Europe/London' };
  const withLink = (): MailRequest<IntroEventTeamView> =>
    request({
      window,
      links: { inTouch: { purpose: 'in-touch', subject: 'A81001.bushy', role: 'event-director' } },
      view: (urls) => ({ ...(request().view as IntroEventTeamView), answers: { inTouchUrl: urls.inTouch ?? '', activitiesUrl: 'x', pause1Url: 'x', pause3Url: 'x' } }),
    });

  it('holds mail that arrives in quiet hours, whole, and issues no link until it goes', async () => {
    const deps = memoryDeps([anEvent()], fridayEvening);
    expect(await deps.mailer.send(withLink())).toBe('held');
    expect(deps.transport.sent).toHaveLength(0);
    expect(deps.ledger.records.size).toBe(0);
    const held = deps.held.held.get(request().idempotencyKey);
    // Saturday 13:00 in London, when the directors' window opens.
    expect(held?.sendAt).toBe('2026-11-28T13:00:00.000Z');
    expect(held?.to).toBe('sarah@parkrun.example');
    expect(JSON.stringify(held?.view)).not.toContain('https://');
  });

  it('sends it once its window opens, with a working link, however often the job runs', async () => {
    const deps = memoryDeps([anEvent()], fridayEvening);
    await deps.mailer.send(withLink());
    await deps.mailer.send(withLink());
    expect(deps.held.held.size).toBe(1);

    expect(await releaseHeldMail(deps)).toMatchObject({ due: 0, sent: 0 });
    deps.clock.at = new Date('2026-11-28T13:00:00Z');
    expect(await releaseHeldMail(deps)).toMatchObject({ due: 1, sent: 1, failed: 0 });
    expect(await releaseHeldMail(deps)).toMatchObject({ due: 0, sent: 0 });
    expect(deps.transport.sent).toHaveLength(1);
    expect(deps.held.held.size).toBe(0);

    const url = deps.transport.sent[0]!.text.match(/https:\/\/nudges\.test\/links\/A81001\.bushy\/in-touch\/([A-Za-z0-9_-]{43})/);
    const found = await deps.tokens.lookup(url?.[1] ?? '', deps.clock.now());
    expect(found?.grant).toMatchObject({ purpose: 'in-touch', recipient: 'sarah@parkrun.example', role: 'event-director' });
    // A link issued when the email goes lasts its full 14 days from then.
    expect(found?.grant.expiresAt).toEqual(new Date(deps.clock.now().getTime() + 14 * 86_400_000));
  });

  it('puts links only in their slots: a marker typed into a name stays text, and no token reaches a subject or the ledger', async () => {
    const deps = memoryDeps([anEvent()], fridayEvening);
    const typed = 'Riverside [held-link:inTouch] urn:held-link:guess';
    const hostile = (): MailRequest<IntroEventTeamView> => {
      const base = withLink();
      return { ...base, view: (urls) => ({ ...(base.view as (u: Record<string, string>) => IntroEventTeamView)(urls), practiceName: typed }) };
    };
    await deps.mailer.send(hostile());
    const held = deps.held.held.get(request().idempotencyKey)!;
    expect(held.slots).toEqual([{ path: ['answers', 'inTouchUrl'], link: 'inTouch' }]);
    expect(JSON.stringify(held.view)).toContain(typed);
    deps.clock.at = new Date('2026-11-28T13:00:00Z');
    expect(await releaseHeldMail(deps)).toMatchObject({ sent: 1 });
    const sent = deps.transport.sent[0]!;
    expect(sent.subject).toBe(`${typed} has linked with Bushy parkrun`);
    expect(sent.text).toContain(typed);
    expect(sent.text.match(/\/links\/A81001\.bushy\/in-touch\/[A-Za-z0-9_-]{43}/g)).toHaveLength(1);
    expect(JSON.stringify([...deps.ledger.records.values()])).not.toMatch(/[A-Za-z0-9_-]{43}/);
  });

  it('sends at once inside the window, and does not hold what was sent already', async () => {
    const deps = memoryDeps([anEvent()], new Date('2026-11-27T10:00:00Z'));
    expect(await deps.mailer.send(withLink())).toBe('sent');
    deps.clock.at = fridayEvening;
    expect(await deps.mailer.send(withLink())).toBe('held');
    deps.clock.at = new Date('2026-11-28T13:00:00Z');
    expect(await releaseHeldMail(deps)).toMatchObject({ due: 1, sent: 0 });
    expect(deps.transport.sent).toHaveLength(1);
    expect(deps.held.held.size).toBe(0);
  });
});
