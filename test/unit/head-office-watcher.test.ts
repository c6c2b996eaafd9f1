import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { EventDirectory } from '../../functions/core/ports.js';
import { createHeadOfficeWatcher } from '../../functions/watchers/head-office-watcher-handler.js';
import { anEvent } from '../support/fixtures.js';
import { memoryDeps, memoryHeadOffice } from '../support/memory-ports.js';

const record = (id: string, image: Record<string, unknown>, old = image): DynamoDBRecord => ({
  eventID: id,
  eventName: 'MODIFY',
  dynamodb: { SequenceNumber: id, NewImage: marshall(image) as never, OldImage: marshall(old) as never },
});

const takeover = { pk: 'TAKEOVER#t1', sk: 'TAKEOVER', entityType: 'Takeover', id: 't1', practiceCode: 'P1', eventShortName: 'bushy', status: 'proposed' };
const link = { pk: 'PRACTICE#P2', sk: 'LINK#cardiff', entityType: 'Link', practiceCode: 'P2', eventShortName: 'cardiff', status: 'active' };

describe('head-office watcher', () => {
  it('reads the batch’s events once, up front, and a failed read fails only the records that needed it', async () => {
    const asked: string[][] = [];
    const failing: EventDirectory = {
      listEvents: async () => [],
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
  });
});
