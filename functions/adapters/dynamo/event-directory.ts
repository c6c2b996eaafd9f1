import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ParkrunEvent } from '../../core/model.js';
import type { EventDirectory } from '../../core/ports.js';
import { gsi1, keys, strip } from './items.js';
import { tableDefinition } from './table-definition.js';

export class DynamoEventDirectory implements EventDirectory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getEvents(shortNames: string[], options: { consistent?: boolean } = {}): Promise<Map<string, ParkrunEvent>> {
    const found = new Map<string, ParkrunEvent>();
    let pending: Record<string, unknown>[] = [...new Set(shortNames)].map((n) => keys.event(n));
    // BatchGet may hand back keys it did not get to (throttling); ask again for those.
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      if (attempt > 8) throw new Error('DynamoDB kept returning unprocessed keys for events');
      const out = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}) } } }));
      for (const item of out.Responses?.[this.tableName] ?? []) {
        const event = strip<ParkrunEvent>(item);
        found.set(event.shortName, event);
      }
      pending = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return found;
  }

  async listEvents(): Promise<ParkrunEvent[]> {
    const events: ParkrunEvent[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: tableDefinition.gsi1.indexName,
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': gsi1.allEvents },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) events.push(strip<ParkrunEvent>(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return events;
  }
}
