/** The MetricsStore contract (functions/core/ports.ts), for the fake and the DynamoDB adapter alike. */
import { describe, expect, it } from 'vitest';
import { worlds, type MakeWorld } from './worlds.js';

function contract(name: string, make: MakeWorld) {
  describe(`MetricsStore: ${name}`, () => {
    it('adds a change to each scope’s totals and its day, once: a redelivered change is a duplicate', async () => {
      const { metrics, id } = await make();
      const [all, london, change] = [id('all'), id('london'), id('c')];
      expect(await metrics.apply(change, '2026-11-23', [all, london], { links: 1, emails: 2 })).toBe('applied');
      expect(await metrics.apply(change, '2026-11-23', [all, london], { links: 1, emails: 2 })).toBe('duplicate');
      await metrics.apply(id('c'), '2026-11-24', [all], { links: 1 });
      const read = await metrics.read(all, '2026-11-01', '2026-11-30');
      expect(read.current).toEqual({ links: 2, emails: 2 });
      expect(read.days).toEqual([
        { day: '2026-11-23', values: { links: 1, emails: 2 } },
        { day: '2026-11-24', values: { links: 1 } },
      ]);
      expect(read.itemsRead).toBe(3);
      expect((await metrics.read(london, '2026-11-01', '2026-11-30')).current).toEqual({ links: 1, emails: 2 });
    });

    it('reads only the days asked for, in order, the ends included', async () => {
      const { metrics, id } = await make();
      const scope = id('scope');
      for (const day of ['2026-11-30', '2026-11-01', '2026-12-01', '2026-10-31', '2026-11-15']) await metrics.apply(id('c'), day, [scope], { n: 1 });
      const read = await metrics.read(scope, '2026-11-01', '2026-11-30');
      expect(read.days.map((d) => d.day)).toEqual(['2026-11-01', '2026-11-15', '2026-11-30']);
      expect(read.current).toEqual({ n: 5 });
    });

    it('counts per-event counters in the totals only, never in a day', async () => {
      const { metrics, id } = await make();
      const scope = id('scope');
      await metrics.apply(id('c'), '2026-11-23', [scope], { links: 1, ev_bushy: 1 });
      const read = await metrics.read(scope, '2026-11-23', '2026-11-23');
      expect(read.current).toEqual({ links: 1, ev_bushy: 1 });
      expect(read.days).toEqual([{ day: '2026-11-23', values: { links: 1 } }]);
    });

    it('applyAll gives each change’s outcome in order, a change repeated in the batch or applied before a duplicate', async () => {
      const { metrics, id } = await make();
      const scope = id('scope');
      const [a, b] = [id('a'), id('b')];
      await metrics.apply(a, '2026-11-23', [scope], { n: 1 });
      const outcomes = await metrics.applyAll([
        { id: a, day: '2026-11-23', scopes: [scope], deltas: { n: 1 } },
        { id: b, day: '2026-11-23', scopes: [scope], deltas: { n: 10 } },
        { id: b, day: '2026-11-23', scopes: [scope], deltas: { n: 10 } },
      ]);
      expect(outcomes).toEqual(['duplicate', 'applied', 'duplicate']);
      expect((await metrics.read(scope, '2026-11-23', '2026-11-23')).current).toEqual({ n: 11 });
    });

    it('corrects the totals, and a day only when given one', async () => {
      const { metrics, id } = await make();
      const scope = id('scope');
      await metrics.apply(id('c'), '2026-11-23', [scope], { links: 3 });
      await metrics.correct(scope, undefined, { links: -1 });
      await metrics.correct(scope, '2026-11-23', { atRisk: 2 });
      const read = await metrics.read(scope, '2026-11-23', '2026-11-23');
      expect(read.current).toEqual({ links: 2, atRisk: 2 });
      expect(read.days).toEqual([{ day: '2026-11-23', values: { links: 3, atRisk: 2 } }]);
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
