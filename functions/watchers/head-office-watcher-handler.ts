/**
 * The head-office watcher's handler (entry: head-office-watcher.ts): the batch's records
 * are handled by followHeadOfficeChanges, and failures are reported per record, so Lambda
 * retries from the first that failed. Old and new images both matter here (what a change added).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { strip } from '../adapters/dynamo/items.js';
import { followHeadOfficeChanges, type ChangedItem, type HeadOfficeWatchDeps } from '../core/use-cases/head-office-watch.js';
import type { ParkrunEvent } from '../core/model.js';
import type { EventDirectory } from '../core/ports.js';

/**
 * The batch's events, read together in one request when its first record needs one (many
 * batches, such as the uses of magic links, need none), then once more only for an event
 * the batch did not name up front.
 */
function eventsReadOncePerBatch(events: EventDirectory, names: string[]): EventDirectory {
  const read = new Map<string, Promise<ParkrunEvent | undefined>>();
  let batchRead = false;
  const readAll = () => {
    batchRead = true;
    const all = events.getEvents(names);
    for (const name of names) {
      const one = all.then((m) => m.get(name));
      // A failed read fails the records that await it (each reported for retry), not the
      // batch; a name no record ends up asking for must not become an unhandled rejection.
      one.catch(() => undefined);
      read.set(name, one);
    }
  };
  const one = (name: string) => {
    if (!batchRead && names.includes(name)) readAll();
    let found = read.get(name);
    if (!found) read.set(name, (found = events.getEvents([name]).then((m) => m.get(name))));
    return found;
  };
  return {
    listEvents: () => events.listEvents(),
    eventNames: () => events.eventNames(),
    getEvents: async (names, options) => {
      if (options?.consistent) return events.getEvents(names, options);
      const found = await Promise.all(names.map(async (name) => [name, await one(name)] as const));
      return new Map(found.filter((entry): entry is readonly [string, ParkrunEvent] => entry[1] !== undefined));
    },
  };
}

const raw = (image: unknown) => (image ? unmarshall(image as Record<string, AttributeValue>) : undefined);

export function createHeadOfficeWatcher(deps: HeadOfficeWatchDeps) {
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(async (event) => {
    // A link change reads its event twice (its figures, its place): once per batch will do.
    // Records come after their writes, so every read in the batch sees the event as it is.
    const named = event.Records.flatMap((r) => [raw(r.dynamodb?.NewImage)?.eventShortName, raw(r.dynamodb?.OldImage)?.eventShortName]);
    const names = [...new Set(named.filter((n): n is string => typeof n === 'string' && n.length > 0))];
    const batchDeps = { ...deps, events: eventsReadOncePerBatch(deps.events, names) };
    const changes: Array<ChangedItem & { sequenceNumber: string }> = [];
    for (const record of event.Records) {
      const next = raw(record.dynamodb?.NewImage);
      const old = raw(record.dynamodb?.OldImage);
      const entityType = String((next ?? old)?.entityType ?? '');
      if (!record.eventID || !entityType) continue;
      changes.push({
        sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
        id: record.eventID,
        entityType,
        key: String((next ?? old)?.pk ?? ''),
        ...(old ? { old: strip<Record<string, unknown>>(old) } : {}),
        ...(next ? { new: strip<Record<string, unknown>>(next), listed: { statusKey: next.statusKey, placeKey: next.placeKey } } : {}),
      });
    }
    const failed = await followHeadOfficeChanges(batchDeps, changes);
    const batchItemFailures = failed.map((c) => ({ itemIdentifier: c.sequenceNumber }));
    return { batchItemFailures };
  });
}
