import { QueryCommand, TransactWriteCommand, type DocumentClient } from './document-client.js';
import { isPerEventCounter } from '../../core/policies/metric-deltas.js';
import type { MetricChange, MetricsRead, MetricsStore } from '../../core/ports.js';
import { keys, strip, type MetricItem } from './items.js';
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

/**
 * The items a change adds to, with what it adds to each: each scope's running totals and
 * its day; per-event counters go to the scope's per-event totals instead, and not to the
 * day. Every change rewrites its scopes' running totals, and a write costs by the item's
 * size: kept apart, the hundreds of per-event counters are rewritten only when one moves.
 */
function counterWrites(scopes: readonly string[], day: string | undefined, deltas: Record<string, number>) {
  const perEvent = Object.entries(deltas).filter(([k]) => isPerEventCounter(k));
  const rest = Object.entries(deltas).filter(([k]) => !isPerEventCounter(k));
  const items: MetricItem[] = rest.length ? ['CURRENT', ...(day ? ([`DAY#${day}`] as const) : [])] : [];
  return scopes.flatMap((scope) => [
    ...items.map((item) => ({ scope, item, deltas: Object.fromEntries(rest) })),
    ...(perEvent.length ? [{ scope, item: 'CURRENT#EVENTS' as MetricItem, deltas: Object.fromEntries(perEvent) }] : []),
  ]);
}
const counterItems = (change: MetricChange) => counterWrites(change.scopes, change.day, change.deltas).map((w) => [w.scope, w.item] as const);

/** A transaction holds at most 100 items. */
const maxTransactionItems = 100;

/** The changes (by index) split into groups that each fit one transaction, in order. */
function transactionGroups(changes: readonly MetricChange[], indices: number[]): number[][] {
  const groups: number[][] = [];
  let group: number[] = [];
  let items = new Set<string>();
  for (const i of indices) {
    const mine = counterItems(changes[i]!).map(([scope, item]) => `${scope}|${item}`);
    const together = new Set([...items, ...mine]);
    if (group.length > 0 && group.length + 1 + together.size > maxTransactionItems) {
      groups.push(group);
      group = [];
      items = new Set(mine);
    } else items = together;
    group.push(i);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

const counters = (item: Record<string, unknown> | undefined) =>
  Object.fromEntries(Object.entries(item ? strip<Record<string, unknown>>(item) : {}).filter(([, v]) => typeof v === 'number')) as Record<string, number>;

export class DynamoMetricsStore implements MetricsStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async apply(changeId: string, day: string, scopes: string[], deltas: Record<string, number>): Promise<'applied' | 'duplicate'> {
    const [outcome] = await this.applyAll([{ id: changeId, day, scopes, deltas }]);
    return outcome!;
  }

  async applyAll(changes: readonly MetricChange[]): Promise<Array<'applied' | 'duplicate'>> {
    const outcomes = changes.map(() => 'applied' as 'applied' | 'duplicate');
    // The same change twice in one call counts once, like a redelivery.
    const seen = new Set<string>();
    const unique: number[] = [];
    changes.forEach((change, i) => {
      if (seen.has(change.id)) outcomes[i] = 'duplicate';
      else unique.push(i), seen.add(change.id);
    });
    for (const group of transactionGroups(changes, unique)) await this.applyTogether(changes, group, outcomes);
    return outcomes;
  }

  /**
   * One transaction for the group: a MetricApplied marker per change (refused if already
   * there) and one ADD per counter item with the group's deltas summed. A change already
   * applied is taken out and the rest tried again.
   */
  private async applyTogether(changes: readonly MetricChange[], group: number[], outcomes: Array<'applied' | 'duplicate'>) {
    let left = group;
    for (let attempt = 1; left.length > 0; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: this.transactItems(left.map((i) => changes[i]!)) }));
        return;
      } catch (error) {
        const codes = cancellationCodes(error);
        const applied = left.filter((_, at) => codes?.[at] === 'ConditionalCheckFailed');
        if (applied.length > 0) {
          for (const i of applied) outcomes[i] = 'duplicate';
          left = left.filter((i) => !applied.includes(i));
          attempt--;
          continue;
        }
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

  private transactItems(changes: MetricChange[]) {
    const now = Math.floor(Date.now() / 1000);
    const markers = changes.map((change) => ({
      Put: { TableName: this.tableName, Item: { ...keys.metricApplied(change.id), entityType: 'MetricApplied', expiresAt: now + appliedKeepSeconds }, ConditionExpression: 'attribute_not_exists(pk)' },
    }));
    const sums = new Map<string, { scope: string; item: MetricItem; deltas: Record<string, number> }>();
    for (const change of changes) {
      for (const write of counterWrites(change.scopes, change.day, change.deltas)) {
        const sum = sums.get(`${write.scope}|${write.item}`) ?? { scope: write.scope, item: write.item, deltas: {} };
        for (const [k, v] of Object.entries(write.deltas)) sum.deltas[k] = (sum.deltas[k] ?? 0) + v;
        sums.set(`${write.scope}|${write.item}`, sum);
      }
    }
    const adds = [...sums.values()].map((sum) => ({ Update: { TableName: this.tableName, Key: keys.metric(sum.scope, sum.item), ...addExpression(sum.deltas) } }));
    return [...markers, ...adds];
  }

  async read(scope: string, fromDay: string, toDay: string): Promise<MetricsRead> {
    // The running totals and the per-event totals, together: their keys sort side by side.
    const totals = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :current)',
        ExpressionAttributeValues: { ':pk': keys.metric(scope, 'CURRENT').pk, ':current': 'CURRENT' },
      }),
    );
    const current: Record<string, number> = {};
    for (const item of totals.Items ?? []) for (const [k, v] of Object.entries(counters(item))) current[k] = (current[k] ?? 0) + v;
    const days: MetricsRead['days'] = [];
    let itemsRead = totals.Items?.length ?? 0;
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
    return { current, days, itemsRead };
  }

  async correct(scope: string, day: string | undefined, corrections: Record<string, number>): Promise<void> {
    if (Object.keys(corrections).length === 0) return;
    const items = counterWrites([scope], day, corrections).map((w) => ({ Update: { TableName: this.tableName, Key: keys.metric(w.scope, w.item), ...addExpression(w.deltas) } }));
    await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
  }
}
