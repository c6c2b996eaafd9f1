import { GetCommand, QueryCommand, TransactWriteCommand, type DocumentClient } from './document-client.js';
import type { MetricsRead, MetricsStore } from '../../core/ports.js';
import { keys, strip } from './items.js';
import { cancellationCodes } from './transactions.js';

/** Long enough to outlast any redelivery: a stream keeps records for 24 hours. */
const appliedKeepSeconds = 3 * 86_400;
const attempts = 6;

/** `ADD #m0 :m0, #m1 :m1 …` over any counter names. */
function addExpression(deltas: Record<string, number>) {
  const entries = Object.entries(deltas);
  return {
    UpdateExpression: `ADD ${entries.map((_, i) => `#m${i} :m${i}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#m${i}`, k])),
    ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:m${i}`, v])),
  };
}

const counters = (item: Record<string, unknown> | undefined) =>
  Object.fromEntries(Object.entries(item ? strip<Record<string, unknown>>(item) : {}).filter(([, v]) => typeof v === 'number')) as Record<string, number>;

export class DynamoMetricsStore implements MetricsStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async apply(changeId: string, day: string, scopes: string[], deltas: Record<string, number>): Promise<'applied' | 'duplicate'> {
    const add = addExpression(deltas);
    const now = Math.floor(Date.now() / 1000);
    const items = [
      { Put: { TableName: this.tableName, Item: { ...keys.metricApplied(changeId), entityType: 'MetricApplied', expiresAt: now + appliedKeepSeconds }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ...scopes.flatMap((scope) =>
        (['CURRENT', `DAY#${day}`] as const).map((item) => ({ Update: { TableName: this.tableName, Key: keys.metric(scope, item), ...add } })),
      ),
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return 'applied';
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[0] === 'ConditionalCheckFailed') return 'duplicate';
        // The whole country's totals are one item that every change touches: concurrent
        // consumers collide now and then; a short, jittered retry settles it.
        if (codes?.includes('TransactionConflict') && attempt < attempts) {
          await new Promise((r) => setTimeout(r, 20 * 2 ** attempt * Math.random()));
          continue;
        }
        throw error;
      }
    }
  }

  async read(scope: string, fromDay: string, toDay: string): Promise<MetricsRead> {
    const current = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.metric(scope, 'CURRENT') }));
    const days: MetricsRead['days'] = [];
    let itemsRead = current.Item ? 1 : 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': keys.metric(scope, 'CURRENT').pk, ':from': `DAY#${fromDay}`, ':to': `DAY#${toDay}` },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) days.push({ day: String(item.sk).slice('DAY#'.length), values: counters(item) });
      itemsRead += out.Items?.length ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return { current: counters(current.Item), days, itemsRead };
  }

  async correct(scope: string, day: string | undefined, corrections: Record<string, number>): Promise<void> {
    if (Object.keys(corrections).length === 0) return;
    const add = addExpression(corrections);
    const items = (day ? (['CURRENT', `DAY#${day}`] as const) : (['CURRENT'] as const)).map((item) => ({ Update: { TableName: this.tableName, Key: keys.metric(scope, item), ...add } }));
    await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
  }
}
