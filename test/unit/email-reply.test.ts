/**
 * What a reply by email does and never does (use-cases/email-reply.ts), on the in-memory
 * ports: relayed and counted as contact once; nothing for a machine, a failed check, an
 * unknown, expired or handed-over address, or past the day's relays; a stranger's reply to
 * head office; "stop" stops that kind of email, confirmed only to an authenticated holder.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { replyAddress, replyTokenOf } from '../../functions/core/policies/reply-address.js';
import { automaticReason } from '../../functions/core/policies/automatic-mail.js';
import { receiveReply, relaysPerDay, type InboundReply } from '../../functions/core/use-cases/email-reply.js';
import { replyChampion, replyDomain, replyWorld } from '../support/reply-world.js';

const monday = new Date('2026-11-23T10:00:00Z');
const day = 86_400_000;
const domain = replyDomain;
const champion = replyChampion;

function world() {
  const { deps, event, director, address, stored } = replyWorld(monday);
  const reply = (to: string, overrides: Partial<InboundReply> = {}): InboundReply => ({
    recipients: [to],
    from: director.email,
    // Its arrival, as SES stamped it: the same on every delivery of one stored message.
    receivedAt: monday,
    messageKey: 'm1',
    words: 'Come and say hello at the finish funnel.',
    attachments: 0,
    sizeBytes: 2_000,
    ...overrides,
  });
  const receive = (r: InboundReply) => receiveReply({ ...deps, replyDomain: domain, headOfficeEmail: 'health@parkrun-practice.example' }, r);
  const sent = () => deps.transport.sent;
  return { deps, event, director, address, reply, receive, sent, stored };
}

describe('reply addresses', () => {
  it('round-trip a token in any case, and refuse another domain, another length or a changed letter', () => {
    const token = randomBytes(32).toString('base64url');
    const address = replyAddress(token, 'Reply.Example.org');
    expect(address).toMatch(/^reply\+[a-z2-7]{52}@reply\.example\.org$/);
    expect(address.length - '@reply.example.org'.length).toBeLessThanOrEqual(64);
    expect(replyTokenOf(address, 'reply.example.org')).toBe(token);
    expect(replyTokenOf(address.toUpperCase(), 'reply.example.org')).toBe(token);
    expect(replyTokenOf(address, 'example.org')).toBeUndefined();
    expect(replyTokenOf(address.replace('@', 'a@'), 'reply.example.org')).toBeUndefined();
    expect(replyTokenOf('health@reply.example.org', 'reply.example.org')).toBeUndefined();
    // The last character's spare bits set: no address we wrote.
    const last = address[address.indexOf('@') - 1]!;
    const other = 'abcdefghijklmnopqrstuvwxyz234567'.split('').find((c) => c !== last && replyTokenOf(address.replace(`${last}@`, `${c}@`), 'reply.example.org') === undefined);
    expect(other).toBeDefined();
  });
});

describe('mail a machine sent', () => {
  it.each([
    [{ 'auto-submitted': 'auto-replied' }, '', 'Auto-Submitted: auto-replied'],
    [{ 'x-autoreply': 'yes' }, '', 'x-autoreply'],
    [{ precedence: 'bulk' }, '', 'Precedence: bulk'],
    [{ 'x-auto-response-suppress': 'All' }, '', 'X-Auto-Response-Suppress'],
    [{ 'content-type': 'multipart/report; report-type=delivery-status' }, '', 'a delivery report'],
    [{ 'return-path': '<>' }, '', 'an empty return path'],
    [{ from: 'Mail Delivery System <MAILER-DAEMON@mx.example>' }, '', 'the mailer daemon'],
    [{}, 'Out of Office: Sarah Okafor', 'the subject "Out of Office: Sarah Okafor"'],
  ])('is known by %o %s', (headers, subject, reason) => {
    expect(automaticReason(new Map(Object.entries(headers)), subject)).toBe(reason);
  });

  it('is not a person’s reply, even one saying "no" to Auto-Submitted or about being out', () => {
    expect(automaticReason(new Map([['auto-submitted', 'no'], ['from', 'sarah@parkrun.example']]), 'Re: out of the office on Saturday?')).toBeUndefined();
  });
});

describe('a reply by email', () => {
  it('is relayed to the champion and counts as contact by the event, by email reply, once however often it comes', async () => {
    const w = world();
    const to = await w.address('event-director');
    expect(await w.receive(w.reply(to))).toEqual({ outcome: 'relayed', to: [champion], contactRecorded: true });
    expect(w.sent().map((m) => [m.to, m.subject])).toEqual([[champion, `${w.director.name} (${w.event.name}) replied`]]);
    expect(w.sent()[0]!.text).toContain('Come and say hello at the finish funnel.');
    expect(w.sent()[0]!.replyTo).toMatch(/^reply\+[a-z2-7]{52}@reply\.parkrun-practice\.example$/);
    expect(w.stored()).toMatchObject({ lastContactAt: monday.toISOString(), lastContactBy: 'event', lastContactHow: 'email-reply' });

    // Delivered again later (a retried Lambda): nothing more.
    w.deps.clock.at = new Date(monday.getTime() + 60_000);
    expect(await w.receive(w.reply(to))).toEqual({ outcome: 'relayed', to: [champion], contactRecorded: false });
    expect(w.sent()).toHaveLength(1);
  });

  it("keeps a name with a line break (a header injection attempt) on one line in the relayed email's subject", async () => {
    const w = world();
    const practice = w.deps.partnerships.practices.get('A81001')!;
    w.deps.partnerships.practices.set('A81001', { ...practice, champion: { ...practice.champion, name: 'Tess\r\nBcc: everyone@example.com' } });
    expect(await w.receive(w.reply(await w.address('champion'), { from: champion }))).toMatchObject({ outcome: 'relayed' });
    for (const m of w.sent()) {
      expect(m.subject).not.toMatch(/[\r\n]/);
      expect(m.subject).toBe(`Tess Bcc: everyone@example.com (Riverside Surgery) replied`);
      expect(m.headers.map((h) => h.name.toLowerCase())).not.toContain('bcc');
    }
  });

  it('from the champion goes to every event contact, and says when an attachment was left out', async () => {
    const w = world();
    const to = await w.address('champion');
    const outcome = await w.receive(w.reply(to, { from: champion, attachments: 2 }));
    expect(outcome).toMatchObject({ outcome: 'relayed', contactRecorded: true });
    expect(w.sent().map((m) => m.to).sort()).toEqual(w.event.eventDirectors.map((d) => d.email.toLowerCase()).sort());
    expect(w.sent()[0]!.text).toContain('We do not pass attachments on');
    expect(w.stored().lastContactBy).toBe('practice');
  });

  it.each([
    ['too large', { sizeBytes: 11 * 1024 * 1024 }, 'too-large'],
    ['marked spam', { verdicts: { spam: 'FAIL', spf: 'PASS', dkim: 'PASS' } }, 'spam-or-virus'],
    ['carrying a virus', { verdicts: { virus: 'FAIL', spf: 'PASS' } }, 'spam-or-virus'],
    ['failing both SPF and DKIM', { verdicts: { spf: 'FAIL', dkim: 'FAIL' } }, 'unauthenticated'],
    ['from an auto-responder', { automatic: 'Auto-Submitted: auto-replied' }, 'automatic'],
    ['empty once quoted history is gone', { words: '  ' }, 'empty'],
  ])('relays and records nothing when %s', async (_, overrides, reason) => {
    const w = world();
    const before = w.stored();
    expect(await w.receive(w.reply(await w.address('event-director'), overrides))).toEqual({ outcome: 'ignored', reason });
    expect(w.sent()).toEqual([]);
    expect(w.stored()).toEqual(before);
  });

  it('relays nothing to an unknown, tampered or expired address, or from someone who has handed over', async () => {
    const w = world();
    const good = await w.address('event-director');
    const tampered = good.replace(/^reply\+(.)/, (_, c: string) => `reply+${c === 'a' ? 'b' : 'a'}`);
    expect(await w.receive(w.reply('reply+nothing@reply.parkrun-practice.example'))).toEqual({ outcome: 'ignored', reason: 'unknown-address' });
    expect(await w.receive(w.reply(tampered))).toEqual({ outcome: 'ignored', reason: 'unknown-address' });
    const old = await w.address('event-director', { days: 1 });
    w.deps.clock.at = new Date(monday.getTime() + 2 * day);
    expect(await w.receive(w.reply(old))).toEqual({ outcome: 'ignored', reason: 'expired' });
    const practice = w.deps.partnerships.practices.get('A81001')!;
    w.deps.partnerships.practices.set('A81001', { ...practice, champion: { ...practice.champion, email: 'successor@nhs.example' } });
    expect(await w.receive(w.reply(await w.address('champion'), { from: champion }))).toEqual({ outcome: 'ignored', reason: 'not-contact' });
    expect(w.sent()).toEqual([]);
  });

  it('passes a stranger’s reply to head office only, and never counts it', async () => {
    const w = world();
    const before = w.stored();
    expect(await w.receive(w.reply(await w.address('event-director'), { from: 'someone@example.com' }))).toEqual({ outcome: 'forwarded' });
    expect(w.sent().map((m) => [m.to, m.subject])).toEqual([['health@parkrun-practice.example', 'A reply from someone@example.com was not passed on']]);
    expect(w.stored()).toEqual(before);
  });

  it(`relays at most ${relaysPerDay} a day for one address`, async () => {
    const w = world();
    const to = await w.address('event-director');
    for (let i = 0; i < relaysPerDay; i++) expect((await w.receive(w.reply(to, { messageKey: `m${i}` }))).outcome).toBe('relayed');
    expect(await w.receive(w.reply(to, { messageKey: 'one-too-many' }))).toEqual({ outcome: 'ignored', reason: 'rate-limited' });
  });

  it('stops the kind of email replied to on "stop", confirming in one line to an authenticated holder only', async () => {
    const w = world();
    const director = w.director.email.toLowerCase();
    expect(await w.receive(w.reply(await w.address('event-director', { kind: 'nudges' }), { words: 'STOP\n\nSent from my phone', messageKey: 's1', verdicts: { spf: 'PASS' } }))).toEqual({ outcome: 'stopped', kind: 'nudges' });
    expect((await w.deps.optOuts.getPreferences(director)).stopped).toEqual(['nudges']);
    expect(w.sent().map((m) => [m.to, m.subject])).toEqual([[director, 'Stopped: Reminders when a practice and event have not been in touch for a while']]);
    // Unauthenticated (SPF and DKIM not passed, though not both failed): stopped, but no mail back.
    expect(await w.receive(w.reply(await w.address('event-director', { kind: 'digests' }), { words: 'unsubscribe', messageKey: 's2', verdicts: { spf: 'GRAY', dkim: 'GRAY' } }))).toEqual({ outcome: 'stopped', kind: 'digests' });
    expect((await w.deps.optOuts.getPreferences(director)).stopped).toEqual(['nudges', 'digests']);
    expect(w.sent()).toHaveLength(1);
    expect(w.stored().lastContactHow).toBeUndefined();
  });
});
