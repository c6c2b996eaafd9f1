/**
 * The headers every email carries, whatever its template and kind: Auto-Submitted (no
 * auto-responder answers it), X-Auto-Response-Suppress (nor Exchange's out-of-office),
 * List-Id (one list per kind, under the sender's domain), beside the unsubscribe pair.
 * Every template in the registry is sent through the mailer, so a new one is covered the
 * day it is registered.
 */
import { describe, expect, it } from 'vitest';
import { Mailer, senderDomain } from '../../functions/core/mailer.js';
import { emailKinds, type MailKind } from '../../functions/core/model.js';
import { releaseHeldMail } from '../../functions/core/use-cases/held-mail.js';
import type { OutgoingEmail } from '../../functions/core/ports.js';
import { templatesByName } from '../../templates/all.js';
import { anEvent } from '../support/fixtures.js';
import { mailSettings, memoryDeps } from '../support/memory-ports.js';

const templates = [...templatesByName.values()];
const kinds = [...Object.keys(emailKinds), 'requested'] as MailKind[];
const valuesOf = (email: OutgoingEmail, name: string) => email.headers.filter((h) => h.name.toLowerCase() === name.toLowerCase()).map((h) => h.value);

describe('headers on every email', () => {
  it('every template, sent as every kind, is marked automated, asks Exchange for no auto-replies, and names its kind\'s list', async () => {
    expect(templates.length).toBeGreaterThan(10);
    const deps = memoryDeps([anEvent()]);
    const sent: Array<{ template: string; kind: MailKind; email: OutgoingEmail }> = [];
    for (const template of templates) {
      for (const kind of kinds) {
        const before = deps.transport.sent.length;
        const outcome = await deps.mailer.send({ idempotencyKey: `${template.name}#${kind}`, kind, to: 'Sarah@Parkrun.example', template, view: {}, reason: 'You asked.' });
        expect(outcome, `${template.name} as ${kind}`).toBe('sent');
        sent.push({ template: template.name, kind, email: deps.transport.sent[before]! });
      }
    }
    for (const { template, kind, email } of sent) {
      const what = `${template} as ${kind}`;
      expect(valuesOf(email, 'Auto-Submitted'), what).toEqual(['auto-generated']);
      expect(valuesOf(email, 'X-Auto-Response-Suppress'), what).toEqual(['OOF, AutoReply']);
      if (templatesByName.get(template)!.mailing === false) {
        // Not a mailing (a sign-in link someone just asked for): on no list, and nothing to unsubscribe from.
        for (const name of ['List-Id', 'List-Unsubscribe', 'List-Unsubscribe-Post']) expect(valuesOf(email, name), `${what}: ${name}`).toEqual([]);
      } else {
        expect(valuesOf(email, 'List-Id'), what).toEqual([`parkrun practice nudges - ${kind} <${kind}.nudges.parkrun-practice.example>`]);
        // RFC 2919: a phrase, then the list's id as a dot-atom in angle brackets.
        expect(valuesOf(email, 'List-Id')[0], what).toMatch(/^[\w -]+ <[a-z0-9-]+(\.[a-z0-9-]+)+>$/);
        // The unsubscribe pair is still there, once each.
        expect(valuesOf(email, 'List-Unsubscribe'), what).toHaveLength(1);
        expect(valuesOf(email, 'List-Unsubscribe-Post'), what).toEqual(['List-Unsubscribe=One-Click']);
      }
      // As SES takes headers: names of printable ASCII without a colon, values of printable ASCII up to 870, none twice.
      for (const { name, value } of email.headers) {
        expect(name, what).toMatch(/^[\x21-\x39\x3b-\x7e]{1,126}$/);
        expect(value, what).toMatch(/^[\x20-\x7e]{1,870}$/);
      }
      expect(new Set(email.headers.map((h) => h.name.toLowerCase())).size, what).toBe(email.headers.length);
    }
    // One list per kind, the same for every template of that kind.
    const listOf = new Map<MailKind, Set<string>>();
    for (const { kind, email } of sent) if (valuesOf(email, 'List-Id').length) listOf.set(kind, (listOf.get(kind) ?? new Set()).add(valuesOf(email, 'List-Id')[0]!));
    for (const [kind, lists] of listOf) expect(lists.size, kind).toBe(1);
    expect(new Set([...listOf.values()].flatMap((lists) => [...lists])).size).toBe(kinds.length);
  });

  it('carries them on mail held for its window and sent later', async () => {
    // Friday 19:30 in London: inside the directors' event-eve quiet hours.
    const deps = memoryDeps([anEvent()], new Date('2026-11-27T19:30:00Z'));
    const template = templatesByName.get('event-director-digest')!;
    const window = { audience: 'event-director' as const, timeZone: 'Europe/London' };
    expect(await deps.mailer.send({ idempotencyKey: 'held#1', kind: 'digests', to: 'sarah@parkrun.example', template, view: {}, reason: 'r', window })).toBe('held');
    expect(deps.transport.sent).toHaveLength(0);
    deps.clock.at = new Date('2026-11-28T13:00:00Z');
    expect(await releaseHeldMail(deps)).toMatchObject({ due: 1, sent: 1 });
    const email = deps.transport.sent[0]!;
    expect(valuesOf(email, 'Auto-Submitted')).toEqual(['auto-generated']);
    expect(valuesOf(email, 'X-Auto-Response-Suppress')).toEqual(['OOF, AutoReply']);
    expect(valuesOf(email, 'List-Id')).toEqual(['parkrun practice nudges - digests <digests.nudges.parkrun-practice.example>']);
  });

  it('takes the list domain from the sender address, however it is written', () => {
    expect(senderDomain('parkrun practice nudges <Nudges@Example.ORG>')).toBe('example.org');
    expect(senderDomain('nudges@mail.example.org')).toBe('mail.example.org');
    expect(senderDomain('"Nudges <team@other.example>" <nudges@example.org>')).toBe('example.org');
    expect(senderDomain('nudges@bücher.example')).toBe('xn--bcher-kva.example');
    for (const bad of ['parkrun practice nudges', 'nudges@', 'x <nudges@exa mple.org>']) expect(() => senderDomain(bad), bad).toThrow(/no domain/);
    // A mailer with such a sender refuses to start, rather than send mail without a list.
    const deps = memoryDeps([anEvent()]);
    expect(() => new Mailer(deps, { ...mailSettings, from: 'parkrun practice nudges' })).toThrow(/no domain/);
  });
});
