/** The OptOutStore contract (functions/core/ports.ts), for the fake and the DynamoDB adapter alike. */
import { describe, expect, it } from 'vitest';
import { at, spendable, worlds, type MakeWorld } from './worlds.js';

const now = at('2026-11-23T10:00:00.000Z');

function contract(name: string, make: MakeWorld) {
  describe(`OptOutStore: ${name}`, () => {
    it('has stopped nothing for a new address', async () => {
      const { optOuts, id } = await make();
      const email = `${id('p')}@nhs.example`;
      expect((await optOuts.getPreferences(email)).stopped).toEqual([]);
      expect(await optOuts.isOptedOut(email, 'nudges')).toBe(false);
      expect(await optOuts.isSuppressed(email)).toBe(false);
    });

    it('stops the kinds chosen, or every kind with `all`, whatever the case of the address', async () => {
      const world = await make();
      const local = world.id('Jane');
      const [mixed, lower] = [`${local}@NHS.example`, `${local.toLowerCase()}@nhs.example`];
      await world.optOuts.setPreferences(mixed, ['nudges', 'digests'], now, 'preferences page', await spendable(world, 'unsubscribe', lower, now));
      expect((await world.optOuts.getPreferences(lower)).stopped).toEqual(['nudges', 'digests']);
      expect(await world.optOuts.isOptedOut(lower, 'nudges')).toBe(true);
      expect(await world.optOuts.isOptedOut(mixed, 'digests')).toBe(true);
      expect(await world.optOuts.isOptedOut(lower, 'feedback')).toBe(false);
      await world.optOuts.setPreferences(lower, ['all'], now, 'preferences page', await spendable(world, 'unsubscribe', lower, now));
      expect(await world.optOuts.isOptedOut(mixed, 'feedback')).toBe(true);
    });

    it('replaces the preferences rather than adding to them, so a kind can be started again', async () => {
      const world = await make();
      const email = `${world.id('p')}@nhs.example`;
      const spend = await spendable(world, 'unsubscribe', email, now);
      await world.optOuts.setPreferences(email, ['all'], now, 'preferences page', spend);
      await world.optOuts.setPreferences(email, ['takeovers'], now, 'preferences page', spend);
      expect((await world.optOuts.getPreferences(email)).stopped).toEqual(['takeovers']);
      expect(await world.optOuts.isOptedOut(email, 'nudges')).toBe(false);
    });

    it('writes nothing when the token cannot be used', async () => {
      const world = await make();
      const email = `${world.id('p')}@nhs.example`;
      const spend = await spendable(world, 'unsubscribe', email, now, 1000);
      await expect(world.optOuts.setPreferences(email, ['all'], now, 'preferences page', { ...spend, now: at('2026-11-23T10:00:01.000Z') })).rejects.toMatchObject({ name: 'InvalidTokenError' });
      expect(await world.optOuts.isOptedOut(email, 'nudges')).toBe(false);
    });

    it('suppresses an address for every kind, and the person’s own choices cannot undo it', async () => {
      const world = await make();
      const local = world.id('Bounced');
      const [mixed, lower] = [`${local}@NHS.example`, `${local.toLowerCase()}@nhs.example`];
      await world.optOuts.suppress(mixed, 'bounce', now);
      expect(await world.optOuts.isSuppressed(lower)).toBe(true);
      expect(await world.optOuts.isOptedOut(lower, 'introductions')).toBe(true);
      await world.optOuts.setPreferences(lower, [], now, 'preferences page', await spendable(world, 'unsubscribe', lower, now));
      expect(await world.optOuts.isSuppressed(mixed)).toBe(true);
      expect(await world.optOuts.isOptedOut(mixed, 'nudges')).toBe(true);
      expect((await world.optOuts.getPreferences(lower)).stopped).toEqual([]);
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
