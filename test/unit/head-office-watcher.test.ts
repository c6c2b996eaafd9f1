import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { EventDirectory } from '../../functions/core/ports.js';
import { createHeadOfficeWatcher } from '../../functions/watchers/head-office-watcher-handler.js';
import { anEvent } from '../support/fixtures.js';
import { MemoryMetricsStore, memoryDeps, memoryHeadOffice } from '../support/memory-ports.js';

const record = (id: string, image: Record<string, unknown>, old = image): DynamoDBRecord => ({
  eventID: id,
  eventName: 'MODIFY',
  dynamodb: { SequenceNumber: id, NewImage: marshall(image) as never, OldImage: marshall(old) as never },
});

const takeover = { pk: 'TAKEOVER#t1', sk: 'TAKEOVER', entityType: 'Takeover', id: 't1', practiceCode: 'P1', eventShortName: 'bushy', status: 'proposed' };
const link = { pk: 'PRACTICE#P2', sk: 'LINK#cardiff', entityType: 'Link', practiceCode: 'P2', eventShortName: 'cardiff', status: 'active' };

describe('head-office watcher', () => {
  it('reads the batch’s events once, when a record first needs one, and a failed read fails only the records that needed it', async () => {
    const asked: string[][] = [];
    const failing: EventDirectory = {
      listEvents: async () => [],
      eventNames: async () => [],
      getEvents: async (names) => {
        asked.push([...names]);
        throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ThrottlingException' });
      },
    };
    const deps = { ...memoryDeps([anEvent()]), ...memoryHeadOffice(), events: failing };
    // The takeover's change moves no figure, so it never asks for its event; the link's does.
    const response = await createHeadOfficeWatcher(deps)(
      { Records: [record('1', takeover), record('2', { ...link, status: 'at-risk' }, link)] },
      {} as never,
    );
    expect(asked).toEqual([['bushy', 'cardiff']]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '2' }]);

    // A batch whose changes move no figure and place no link reads no event at all.
    asked.length = 0;
    const quiet = await createHeadOfficeWatcher(deps)({ Records: [record('3', takeover)] }, {} as never);
    expect(quiet.batchItemFailures).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('applies the batch’s figures together, and reports every change with figures for retry when that fails', async () => {
    const deps = { ...memoryDeps([anEvent(), anEvent({ shortName: 'cardiff', name: 'Cardiff parkrun' })]), ...memoryHeadOffice() };
    const metrics = new MemoryMetricsStore();
    const batches: number[] = [];
    const applyAll = metrics.applyAll.bind(metrics);
    metrics.applyAll = async (changes) => (batches.push(changes.length), applyAll(changes));
    const records = [record('1', { ...link, status: 'at-risk' }, link), record('2', { ...takeover, status: 'fixed' }, takeover), record('3', link, { ...link, status: 'at-risk' })];
    expect((await createHeadOfficeWatcher({ ...deps, metrics })({ Records: records }, {} as never)).batchItemFailures).toEqual([]);
    expect(batches).toEqual([3]);
    expect((await metrics.read('EVENT#cardiff', '0', '9')).current).toMatchObject({ status_active: 0, 'status_at-risk': 0 });
    expect((await metrics.read('EVENT#bushy', '0', '9')).current).toMatchObject({ takeovers_fixed: 1 });

    metrics.applyAll = async () => {
      throw Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException' });
    };
    const audited = record('4', { pk: 'TOKEN#abc', sk: 'TOKEN', entityType: 'Token', uses: 1, subject: 'P2.cardiff', recipient: 'a@x', purpose: 'in-touch' }, { pk: 'TOKEN#abc', sk: 'TOKEN', entityType: 'Token', uses: 0 });
    const response = await createHeadOfficeWatcher({ ...deps, metrics })({ Records: [audited, ...records] }, {} as never);
    // The token's use was logged and has no figures: only the others are retried.
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '1' }, { itemIdentifier: '2' }, { itemIdentifier: '3' }]);
  });

  it('follows several items at once, and each item’s changes in the order they happened', async () => {
    const deps = { ...memoryDeps([anEvent(), anEvent({ shortName: 'cardiff', name: 'Cardiff parkrun' })]), ...memoryHeadOffice() };
    const placed: Array<{ link: string; status: string; phase: 'start' | 'end' }> = [];
    deps.lists.place = async (l) => {
      const link = `${l.practiceCode}.${l.eventShortName}`;
      placed.push({ link, status: l.status, phase: 'start' });
      await new Promise((resolve) => setTimeout(resolve, 10));
      placed.push({ link, status: l.status, phase: 'end' });
    };
    const other = { ...link, pk: 'PRACTICE#P3', practiceCode: 'P3' };
    const records = [
      record('1', { ...link, status: 'quiet' }, link),
      record('2', { ...other, status: 'quiet' }, other),
      record('3', { ...link, status: 'at-risk' }, { ...link, status: 'quiet' }),
      record('4', link, { ...link, status: 'at-risk' }),
    ];
    expect((await createHeadOfficeWatcher(deps)({ Records: records }, {} as never)).batchItemFailures).toEqual([]);

    const of = (l: string) => placed.filter((p) => p.link === l);
    expect(of('P2.cardiff').map((p) => `${p.phase} ${p.status}`)).toEqual(['start quiet', 'end quiet', 'start at-risk', 'end at-risk', 'start active', 'end active']);
    // P3's link was placed while P2's was under way, not after it.
    expect(placed.findIndex((p) => p.link === 'P3.cardiff' && p.phase === 'start')).toBeLessThan(placed.findIndex((p) => p.link === 'P2.cardiff' && p.phase === 'end'));
  });
});
