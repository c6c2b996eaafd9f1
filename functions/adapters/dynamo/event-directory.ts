import type { DocumentClient } from './document-client.js';
import { batchGetAll } from './batch-get.js';
import { queryAll } from './query-all.js';
import type { ParkrunEvent } from '../../core/model.js';
import type { EventName } from '../../core/policies/event-names.js';
import type { EventDirectory } from '../../core/ports.js';
import { gsi1, keys, strip } from './items.js';
import { tableDefinition } from './table-definition.js';

export class DynamoEventDirectory implements EventDirectory {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async getEvents(shortNames: string[], options: { consistent?: boolean } = {}): Promise<Map<string, ParkrunEvent>> {
    const items = await batchGetAll(this.doc, this.tableName, [...new Set(shortNames)].map((n) => keys.event(n)), options);
    return new Map(items.map((item) => strip<ParkrunEvent>(item)).map((event) => [event.shortName, event]));
  }

  async listEvents(): Promise<ParkrunEvent[]> {
    return queryAll<ParkrunEvent>(this.doc, {
      TableName: this.tableName,
      IndexName: tableDefinition.gsi1.indexName,
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': gsi1.allEvents },
    });
  }

  async eventNames(): Promise<EventName[]> {
    // Names and place only: a tenth of each item's size on the wire (directors, first-timer contact and the rest stay behind).
    const items = await queryAll<{ shortName: string; name: string; region: string; feed?: { inFeed?: boolean } }>(this.doc, {
      TableName: this.tableName,
      IndexName: tableDefinition.gsi1.indexName,
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': gsi1.allEvents },
      ProjectionExpression: 'shortName, #name, #region, feed.inFeed',
      ExpressionAttributeNames: { '#name': 'name', '#region': 'region' },
    });
    return items.map((e) => ({ shortName: e.shortName, name: e.name, region: e.region, inFeed: e.feed?.inFeed !== false }));
  }
}
