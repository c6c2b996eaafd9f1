/** The BudgetSlots contract (functions/core/ports.ts), for the fake and the DynamoDB adapter (the ladder store) alike. */
import { describe, expect, it } from 'vitest';
import type { BudgetSlot } from '../../functions/core/policies/mail-budget.js';
import { worlds, type MakeWorld } from './worlds.js';

const slot = (lastAt: string, key: string, inMonth = 1): BudgetSlot => ({ lastAt, key, month: lastAt.slice(0, 7), inMonth });

function contract(name: string, make: MakeWorld) {
  describe(`BudgetSlots: ${name}`, () => {
    it('has no slot for a new address, writes the first only while there is none, and reads it back', async () => {
      const { slots, id } = await make();
      const email = `${id('p')}@nhs.example`;
      expect(await slots.read(email)).toBeUndefined();
      const first = slot('2026-11-23T10:00:00.000Z', 'nudge-1');
      expect(await slots.write(email, first, undefined)).toBe(true);
      expect(await slots.read(email)).toEqual(first);
      expect(await slots.write(email, slot('2026-11-23T10:00:01.000Z', 'nudge-2'), undefined)).toBe(false);
      expect(await slots.read(email)).toEqual(first);
    });

    it('writes over the slot it read, and refuses (writing nothing) once another send changed it', async () => {
      const { slots, id } = await make();
      const email = `${id('p')}@nhs.example`;
      const first = slot('2026-11-01T10:00:00.000Z', 'a');
      await slots.write(email, first, undefined);
      const second = slot('2026-11-09T10:00:00.000Z', 'b', 2);
      expect(await slots.write(email, second, first)).toBe(true);
      expect(await slots.write(email, slot('2026-11-09T10:00:00.000Z', 'c', 2), first)).toBe(false);
      expect(await slots.read(email)).toEqual(second);
    });

    it('is one slot per person whatever the case of their address', async () => {
      const { slots, id } = await make();
      const local = id('Jane.Smith');
      const first = slot('2026-11-23T10:00:00.000Z', 'k');
      expect(await slots.write(`${local}@NHS.example`, first, undefined)).toBe(true);
      expect(await slots.read(`${local.toLowerCase()}@nhs.example`)).toEqual(first);
      expect(await slots.write(`${local.toLowerCase()}@nhs.example`, slot('2026-11-24T10:00:00.000Z', 'other'), undefined)).toBe(false);
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
