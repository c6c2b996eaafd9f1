/** The order test files start in (test/setup/sequencer.ts): long files first, on a fresh clone too. */
import type { TestSpecification, Vitest } from 'vitest/node';
import { describe, expect, it } from 'vitest';
import { LongFilesFirst } from '../setup/sequencer.js';

/** A run with no results from a last time, as on a fresh clone, whose files have these sizes. */
function freshClone(sizes: Record<string, number>) {
  const ctx = {
    config: { root: '/repo' },
    cache: { getFileTestResults: () => undefined, getFileStats: (key: string) => ({ size: sizes[key.slice(1)] }) },
  } as unknown as Vitest;
  const spec = (file: string) => ({ moduleId: `/repo/${file}`, project: { name: '', config: { sequence: { groupOrder: 0 }, isolate: true } } }) as unknown as TestSpecification;
  return { sequencer: new LongFilesFirst(ctx), specs: Object.keys(sizes).map(spec) };
}

describe('the order files start in', () => {
  it('puts the browser files and the stack synthesis first, however small, and keeps vitest’s order (largest first) within each part', async () => {
    const { sequencer, specs } = freshClone({
      'test/unit/big.test.ts': 9_000,
      'test/e2e/tour.test.ts': 5_000,
      'test/integration/middle.test.ts': 7_000,
      'test/infra/stack.test.ts': 4_000,
      'test/e2e/page-widths.test.ts': 8_000,
      'test/infra/nag.test.ts': 6_000,
    });
    const order = (await sequencer.sort(specs)).map((s) => s.moduleId.replace('/repo/', ''));
    expect(order).toEqual([
      'test/e2e/page-widths.test.ts',
      'test/e2e/tour.test.ts',
      'test/infra/stack.test.ts',
      'test/unit/big.test.ts',
      'test/integration/middle.test.ts',
      'test/infra/nag.test.ts',
    ]);
  });
});
