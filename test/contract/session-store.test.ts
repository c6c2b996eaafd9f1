/** The SessionStore contract (functions/core/ports.ts), for the fake and the DynamoDB adapter alike. */
import { describe, expect, it } from 'vitest';
import { at, spendable, worlds, type MakeWorld } from './worlds.js';

const now = at('2026-11-23T10:00:00.000Z');
const until = at('2026-11-23T18:00:00.000Z');

function contract(name: string, make: MakeWorld) {
  describe(`SessionStore: ${name}`, () => {
    it('starts a session with the sign-in token spent, found by its cookie until it expires', async () => {
      const world = await make();
      const spend = await spendable(world, 'head-office-sign-in', 'analyst@parkrun.example', now);
      const cookie = await world.sessions.start('analyst@parkrun.example', now, until, spend);
      const session = { email: 'analyst@parkrun.example', startedAt: now.toISOString(), expiresAt: until.toISOString() };
      expect(await world.sessions.find(cookie, now)).toEqual(session);
      expect(await world.sessions.find(cookie, at('2026-11-23T17:59:59.999Z'))).toEqual(session);
      expect(await world.sessions.find(cookie, until)).toBeUndefined();
      expect((await world.tokens.lookup(spend.token, now))?.state).toBe('used');
    });

    it('starts no session with a token already spent', async () => {
      const world = await make();
      const spend = await spendable(world, 'head-office-sign-in', 'analyst@parkrun.example', now);
      await world.sessions.start('analyst@parkrun.example', now, until, spend);
      await expect(world.sessions.start('analyst@parkrun.example', now, until, spend)).rejects.toMatchObject({ name: 'InvalidTokenError' });
    });

    it('ends a session at once; ending it again, or an unknown cookie, is harmless', async () => {
      const world = await make();
      const cookie = await world.sessions.start('analyst@parkrun.example', now, until, await spendable(world, 'head-office-sign-in', 'analyst@parkrun.example', now));
      const other = await world.sessions.start('analyst@parkrun.example', now, until, await spendable(world, 'head-office-sign-in', 'analyst@parkrun.example', now));
      expect(other).not.toBe(cookie);
      await world.sessions.end(cookie);
      await world.sessions.end(cookie);
      await world.sessions.end('no-such-cookie');
      expect(await world.sessions.find(cookie, now)).toBeUndefined();
      expect((await world.sessions.find(other, now))?.email).toBe('analyst@parkrun.example');
    });

    it('finds nothing for a forged or altered cookie', async () => {
      const world = await make();
      const cookie = await world.sessions.start('analyst@parkrun.example', now, until, await spendable(world, 'head-office-sign-in', 'analyst@parkrun.example', now));
      const altered = `${cookie.slice(0, -1)}${cookie.endsWith('A') ? 'B' : 'A'}`;
      expect(await world.sessions.find(altered, now)).toBeUndefined();
      expect(await world.sessions.find('forged', now)).toBeUndefined();
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
