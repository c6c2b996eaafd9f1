/** The LinkTokens contract (functions/core/ports.ts), for the fake and the DynamoDB adapter alike. */
import { describe, expect, it } from 'vitest';
import type { TokenGrant } from '../../functions/core/ports.js';
import { at, spendable, worlds, type MakeWorld } from './worlds.js';

const now = at('2026-11-23T10:00:00.000Z');
const grant = (overrides: Partial<TokenGrant> = {}): TokenGrant => ({
  purpose: 'in-touch',
  subject: 'A81001.bushy',
  recipient: 'jane@nhs.example',
  role: 'champion',
  detail: { takeoverId: 't-1' },
  expiresAt: at('2026-12-07T10:00:00.000Z'),
  ...overrides,
});

function contract(name: string, make: MakeWorld) {
  describe(`LinkTokens: ${name}`, () => {
    it('issues a token that looks up to its whole grant, valid until it expires', async () => {
      const { tokens } = await make();
      const token = await tokens.issue(grant(), now);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const found = await tokens.lookup(token, now);
      expect(found).toMatchObject({ grant: grant(), state: 'valid' });
      expect(found?.usedAt).toBeUndefined();
      expect((await tokens.lookup(token, at('2026-12-07T10:00:00.000Z')))?.state).toBe('expired');
    });

    it('issues several at once, in order, each with its own grant', async () => {
      const { tokens } = await make();
      const grants = [grant({ purpose: 'pause', detail: undefined }), grant({ purpose: 'unsubscribe', subject: 'jane@nhs.example', role: undefined, detail: undefined })];
      const issued = await tokens.issueAll(grants, now);
      expect(issued).toHaveLength(2);
      expect(new Set(issued).size).toBe(2);
      const found = await Promise.all(issued.map((t) => tokens.lookup(t, now)));
      expect(found.map((f) => f?.grant)).toEqual(grants);
    });

    it('knows nothing of an unknown or altered token', async () => {
      const { tokens } = await make();
      const token = await tokens.issue(grant(), now);
      const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect(await tokens.lookup(altered, now)).toBeUndefined();
      expect(await tokens.lookup('not-a-token', now)).toBeUndefined();
    });

    it('a single-use token, once spent in an action, looks up as used, and cannot be spent again', async () => {
      const world = await make();
      const spend = await spendable(world, 'in-touch', 'x', now);
      await world.optOuts.setPreferences(`${world.id('p')}@nhs.example`, ['nudges'], now, 'test', spend);
      const found = await world.tokens.lookup(spend.token, now);
      expect(found?.state).toBe('used');
      expect(found?.usedAt).toEqual(now);
      await expect(world.optOuts.setPreferences(`${world.id('p')}@nhs.example`, ['all'], now, 'test', spend)).rejects.toMatchObject({ name: 'InvalidTokenError' });
    });

    it('a reusable token stays valid after use; an expired one cannot be used', async () => {
      const world = await make();
      const email = `${world.id('p')}@nhs.example`;
      const spend = await spendable(world, 'unsubscribe', email, now, 60_000);
      await world.optOuts.setPreferences(email, ['nudges'], now, 'test', spend);
      await world.optOuts.setPreferences(email, ['digests'], now, 'test', spend);
      expect((await world.tokens.lookup(spend.token, now))?.state).toBe('valid');
      await expect(world.optOuts.setPreferences(email, ['all'], now, 'test', { ...spend, now: new Date(now.getTime() + 60_000) })).rejects.toMatchObject({ name: 'InvalidTokenError' });
      expect((await world.optOuts.getPreferences(email)).stopped).toEqual(['digests']);
    });

    it('refuses a token spent for another purpose than its own', async () => {
      const world = await make();
      const spend = await spendable(world, 'pause', 'x', now);
      await expect(world.optOuts.setPreferences(`${world.id('p')}@nhs.example`, ['all'], now, 'test', { ...spend, purpose: 'unsubscribe' })).rejects.toMatchObject({ name: 'InvalidTokenError' });
      expect((await world.tokens.lookup(spend.token, now))?.state).toBe('valid');
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
