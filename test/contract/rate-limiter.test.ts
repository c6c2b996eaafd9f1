/** The RateLimiter contract (functions/core/ports.ts), for the fake and the DynamoDB adapter alike. */
import { describe, expect, it } from 'vitest';
import { at, worlds, type MakeWorld } from './worlds.js';

const hour = 3_600_000;
const now = at('2026-11-23T10:15:00.000Z');

function contract(name: string, make: MakeWorld) {
  describe(`RateLimiter: ${name}`, () => {
    it('counts uses up to the limit in a window, then refuses without counting', async () => {
      const { rateLimiter, id } = await make();
      const key = id('ip');
      const taken = [];
      for (let i = 0; i < 4; i++) taken.push(await rateLimiter.take(key, 3, hour, now));
      expect(taken).toEqual([true, true, true, false]);
    });

    it('starts again in the next window, and keeps keys apart', async () => {
      const { rateLimiter, id } = await make();
      const [key, other] = [id('ip'), id('ip')];
      expect(await rateLimiter.take(key, 1, hour, now)).toBe(true);
      expect(await rateLimiter.take(key, 1, hour, at('2026-11-23T10:59:59.999Z'))).toBe(false);
      expect(await rateLimiter.take(other, 1, hour, now)).toBe(true);
      expect(await rateLimiter.take(key, 1, hour, at('2026-11-23T11:00:00.000Z'))).toBe(true);
    });

    it('counts a named use once however often it is taken in the window, and still refuses a new use at the limit', async () => {
      const { rateLimiter, id } = await make();
      const key = id('reply');
      expect(await rateLimiter.take(key, 2, hour, now, 'message-1')).toBe(true);
      // The same message delivered again: let through, not counted.
      expect(await rateLimiter.take(key, 2, hour, now, 'message-1')).toBe(true);
      expect(await rateLimiter.take(key, 2, hour, now, 'message-2')).toBe(true);
      // Two uses counted of two: a third message is refused, the first two still go through.
      expect(await rateLimiter.take(key, 2, hour, now, 'message-3')).toBe(false);
      expect(await rateLimiter.take(key, 2, hour, now, 'message-1')).toBe(true);
      expect(await rateLimiter.take(key, 2, hour, now)).toBe(false);
      // In the next window the count starts again.
      expect(await rateLimiter.take(key, 2, hour, at('2026-11-23T11:00:00.000Z'), 'message-3')).toBe(true);
    });

    it('takeAll counts every counter or none, and names the first at its limit', async () => {
      const { rateLimiter, id } = await make();
      const [a, b, c] = [id('a'), id('b'), id('c')];
      const counters = [
        { key: a, limit: 5, windowMs: hour },
        { key: b, limit: 1, windowMs: hour },
        { key: c, limit: 1, windowMs: 24 * hour },
      ];
      expect(await rateLimiter.takeAll(counters, now)).toBe(-1);
      expect(await rateLimiter.takeAll(counters, now)).toBe(1);
      // Nothing was counted by the refused call: `a` has had one use of five.
      for (let i = 0; i < 4; i++) expect(await rateLimiter.take(a, 5, hour, now)).toBe(true);
      expect(await rateLimiter.take(a, 5, hour, now)).toBe(false);
      expect(await rateLimiter.takeAll([], now)).toBe(-1);
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
