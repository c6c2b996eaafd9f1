/** The HeldMail contract (functions/core/ports.ts), for the fake and the DynamoDB adapter alike. */
import { describe, expect, it } from 'vitest';
import type { HeldMessage } from '../../functions/core/ports.js';
import { all, at, worlds, type MakeWorld } from './worlds.js';

const now = at('2026-11-23T10:00:00.000Z');
const message = (idempotencyKey: string, sendAt: string, extra: Partial<HeldMessage> = {}): HeldMessage => ({
  idempotencyKey,
  kind: 'nudges',
  to: 'jane@nhs.example',
  template: 'quiet-link-nudge',
  links: {},
  view: { practiceName: 'Riverside Surgery', answers: { inTouchUrl: '' } },
  slots: [{ path: ['answers', 'inTouchUrl'], link: 'inTouch' }],
  reason: 'quiet hours',
  practiceCode: 'A81001',
  eventShortName: 'bushy',
  window: { audience: 'practice', timeZone: 'Europe/London' },
  sendAt,
  ...extra,
});

function contract(name: string, make: MakeWorld) {
  describe(`HeldMail: ${name}`, () => {
    it('holds a message once: the same key again is refused, and the first is kept whole', async () => {
      const { held } = await make({ freshTable: true });
      const first = message('k-1', '2026-11-23T08:00:00.000Z', { unasked: true, heldAt: '2026-11-22T21:00:00.000Z', staleAfter: '2026-11-30T00:00:00.000Z' });
      expect(await held.hold(first)).toBe(true);
      expect(await held.hold(message('k-1', '2026-11-23T07:00:00.000Z', { to: 'someone-else@example.org' }))).toBe(false);
      expect((await all(held.due(now))).items).toEqual([first]);
    });

    it('gives only the messages whose window has opened by now (the boundary included)', async () => {
      const { held } = await make({ freshTable: true });
      await held.hold(message('early', '2026-11-23T07:00:00.000Z'));
      await held.hold(message('exactly', now.toISOString()));
      await held.hold(message('later', '2026-11-23T10:00:00.001Z'));
      const due = (await all(held.due(now))).items.map((m) => m.idempotencyKey).sort();
      expect(due).toEqual(['early', 'exactly']);
    });

    it('releases a message for good, and releasing it again is harmless', async () => {
      const { held } = await make({ freshTable: true });
      await held.hold(message('gone', '2026-11-23T07:00:00.000Z'));
      await held.release('gone');
      await held.release('gone');
      expect((await all(held.due(now))).items).toEqual([]);
      expect(await held.hold(message('gone', '2026-11-23T07:00:00.000Z'))).toBe(true);
    });

    it('postpones a message out of the due list and back in when its new time comes; postponing a released one is a no-op', async () => {
      const { held } = await make({ freshTable: true });
      await held.hold(message('moved', '2026-11-23T07:00:00.000Z'));
      await held.postpone('moved', at('2026-11-30T09:00:00.000Z'));
      expect((await all(held.due(now))).items).toEqual([]);
      const due = (await all(held.due(at('2026-11-30T09:00:00.000Z')))).items;
      expect(due.map((m) => [m.idempotencyKey, m.sendAt])).toEqual([['moved', '2026-11-30T09:00:00.000Z']]);
      await held.postpone('never-held', at('2026-11-30T09:00:00.000Z'));
      expect((await all(held.due(at('2027-01-01T00:00:00.000Z')))).items.map((m) => m.idempotencyKey)).toEqual(['moved']);
    });

    it('gives every due message, over several pages where the store pages, each once', async () => {
      const { held } = await make({ freshTable: true });
      const keys = Array.from({ length: 24 }, (_, i) => `many-${String(i).padStart(3, '0')}`);
      for (let i = 0; i < keys.length; i += 10) await Promise.all(keys.slice(i, i + 10).map((k) => held.hold(message(k, '2026-11-23T06:00:00.000Z'))));
      await held.hold(message('not-yet', '2026-11-24T06:00:00.000Z'));
      const { items } = await all(held.due(now));
      expect(items.map((m) => m.idempotencyKey).sort()).toEqual(keys);
      expect(items.every((m) => m.sendAt === '2026-11-23T06:00:00.000Z')).toBe(true);
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
