/** The RegistrationStore contract (functions/core/ports.ts), for the fake and the DynamoDB adapter alike. */
import { describe, expect, it } from 'vitest';
import type { PendingRegistration } from '../../functions/core/model.js';
import { at, spendable, worlds, type MakeWorld, type World } from './worlds.js';

const now = at('2026-11-23T10:00:00.000Z');

const pending = (w: World, submittedAt: string, overrides: Partial<PendingRegistration> = {}): PendingRegistration => ({
  id: w.id('reg'),
  practice: { code: w.id('P'), name: 'Riverside Surgery', postcode: 'TW11 0AA', champion: { name: 'Dr Jane Smith', role: 'GP', email: `${w.id('Jane')}@NHS.example` } },
  eventShortNames: [w.id('ev')],
  contactedEventTeam: false,
  submittedAt,
  status: 'awaiting-confirmation',
  practiceOnRecord: false,
  ...overrides,
});

function contract(name: string, make: MakeWorld) {
  describe(`RegistrationStore: ${name}`, () => {
    it('keeps a submitted registration as it came, and writes no practice or link for it', async () => {
      const w = await make();
      const p = pending(w, '2026-11-23T09:00:00.000Z');
      await w.registrations.submit(p);
      expect(await w.registrations.get(p.id)).toEqual(p);
      expect(await w.registrations.get(w.id('reg'))).toBeUndefined();
      expect(await w.partnerships.getPractice(p.practice.code)).toBeUndefined();
      expect(await w.partnerships.getLink(p.practice.code, p.eventShortNames[0]!)).toBeUndefined();
    });

    it('lists those awaiting confirmation submitted since a time, newest first, at most `limit`', async () => {
      const w = await make({ freshTable: true });
      const [a, b, c, old] = ['2026-11-23T09:00:00.000Z', '2026-11-23T09:30:00.000Z', '2026-11-23T08:00:00.000Z', '2026-11-01T08:00:00.000Z'].map((t) => pending(w, t));
      for (const p of [a!, b!, c!, old!]) await w.registrations.submit(p);
      expect((await w.registrations.awaiting(at('2026-11-20T00:00:00.000Z'), 10)).map((p) => p.id)).toEqual([b!.id, a!.id, c!.id]);
      expect((await w.registrations.awaiting(at('2026-11-20T00:00:00.000Z'), 2)).map((p) => p.id)).toEqual([b!.id, a!.id]);
      await w.registrations.confirm(a!, now, 'champion', await spendable(w, 'registration-confirm', a!.id, now));
      expect((await w.registrations.awaiting(at('2026-11-20T00:00:00.000Z'), 10)).map((p) => p.id)).toEqual([b!.id, c!.id]);
    });

    it('confirms once: the practice and its links written with the token spent; a second confirmation is a conflict', async () => {
      const w = await make();
      const p = pending(w, '2026-11-23T09:00:00.000Z');
      await w.registrations.submit(p);
      const spend = await spendable(w, 'registration-confirm', p.id, now);
      await w.registrations.confirm(p, now, 'champion', spend);
      expect(await w.registrations.get(p.id)).toMatchObject({ status: 'confirmed', confirmedAt: now.toISOString() });
      expect(await w.partnerships.getPractice(p.practice.code)).toEqual(p.practice);
      expect(await w.partnerships.getLink(p.practice.code, p.eventShortNames[0]!)).toMatchObject({ status: 'registered', registrationId: p.id, initialContact: 'introduction' });
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('used');
      const again = await spendable(w, 'registration-confirm', p.id, now);
      await expect(w.registrations.confirm(p, now, 'champion', again)).rejects.toMatchObject({ name: 'ConflictError' });
      expect((await w.tokens.lookup(again.token, now))?.state).toBe('valid');
    });

    it('refuses to confirm one whose link exists by now, leaving it awaiting and its token unspent', async () => {
      const w = await make();
      const first = pending(w, '2026-11-23T09:00:00.000Z');
      const second = pending(w, '2026-11-23T09:10:00.000Z', { practice: first.practice, eventShortNames: [w.id('ev'), first.eventShortNames[0]!] });
      await w.registrations.submit(first);
      await w.registrations.submit(second);
      await w.registrations.confirm(first, now, 'champion', await spendable(w, 'registration-confirm', first.id, now));
      const spend = await spendable(w, 'registration-confirm', second.id, now);
      await expect(w.registrations.confirm(second, now, 'champion', spend)).rejects.toMatchObject({ name: 'LinkAlreadyExistsError' });
      expect((await w.registrations.get(second.id))?.status).toBe('awaiting-confirmation');
      expect(await w.partnerships.getLink(first.practice.code, second.eventShortNames[0]!)).toBeUndefined();
      expect((await w.tokens.lookup(spend.token, now))?.state).toBe('valid');
    });

    it('rejects once per request, blocks the champion’s address whatever its case, and ends the links it made', async () => {
      const w = await make();
      const p = pending(w, '2026-11-23T09:00:00.000Z');
      await w.registrations.submit(p);
      await w.registrations.confirm(p, now, 'champion', await spendable(w, 'registration-confirm', p.id, now));
      const confirmed = (await w.registrations.get(p.id))!;
      const email = p.practice.champion.email;
      expect(await w.registrations.isBlocked(email.toLowerCase())).toBe(false);
      const requestId = w.id('req');
      expect(await w.registrations.reject(confirmed, now, 'analyst@parkrun.example', requestId)).toBe('done');
      expect(await w.registrations.reject(confirmed, now, 'analyst@parkrun.example', requestId)).toBe('already-done');
      expect(await w.registrations.get(p.id)).toMatchObject({ status: 'rejected', rejectedAt: now.toISOString() });
      expect(await w.registrations.isBlocked(email.toLowerCase())).toBe(true);
      expect(await w.registrations.isBlocked(email.toUpperCase())).toBe(true);
      const link = await w.partnerships.getLink(p.practice.code, p.eventShortNames[0]!);
      expect(link?.status).toBe('ended');
      expect(link?.dueAt).toBeUndefined();
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
