import { GetCommand, TransactWriteCommand, UpdateCommand, type DocumentClient } from './document-client.js';
import { cancellationCodes } from './transactions.js';
import type { RateLimiter } from '../../core/ports.js';
import { isConditionalCheckFailed } from './document-client.js';
import { keys } from './items.js';

/** Fixed-window counters, one item per key and window, removed by TTL after the window. */
export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  private counting(key: string, limit: number, windowMs: number, now: Date) {
    const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
    return {
      TableName: this.tableName,
      Key: keys.rateWindow(key, windowStart),
      UpdateExpression: 'SET entityType = :t, expiresAt = :expires ADD #count :one',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: {
        ':t': 'RateWindow',
        ':one': 1,
        ':limit': limit,
        ':expires': Math.floor((windowStart + windowMs) / 1000) + 3600,
      },
    };
  }

  async take(key: string, limit: number, windowMs: number, now: Date, use?: string): Promise<boolean> {
    const counting = this.counting(key, limit, windowMs, now);
    // A named use is kept in the window's `uses` set, and counted only if it is not there yet.
    const request = use
      ? {
          ...counting,
          UpdateExpression: `${counting.UpdateExpression}, #uses :use`,
          ConditionExpression: `(${counting.ConditionExpression}) AND NOT contains(#uses, :useId)`,
          ExpressionAttributeNames: { ...counting.ExpressionAttributeNames, '#uses': 'uses' },
          ExpressionAttributeValues: { ...counting.ExpressionAttributeValues, ':use': new Set([use]), ':useId': use },
        }
      : counting;
    try {
      await this.doc.send(new UpdateCommand(request));
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      if (!use) return false;
      // Refused: at the limit, or this use was counted before (then it goes through again).
      const window = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: counting.Key, ConsistentRead: true }));
      return (window.Item?.uses as Set<string> | undefined)?.has(use) ?? false;
    }
  }

  async takeAll(counters: ReadonlyArray<{ key: string; limit: number; windowMs: number }>, now: Date): Promise<number> {
    if (counters.length === 0) return -1;
    for (let attempt = 1; ; attempt++) {
      try {
        // One transaction: a request over any limit counts against none.
        await this.doc.send(new TransactWriteCommand({ TransactItems: counters.map((c) => ({ Update: this.counting(c.key, c.limit, c.windowMs, now) })) }));
        return -1;
      } catch (error) {
        const codes = cancellationCodes(error);
        const refused = codes?.findIndex((code) => code === 'ConditionalCheckFailed') ?? -1;
        if (refused >= 0) return refused;
        // Two requests counting against the same counter at once: the loser counts again.
        if (!codes?.includes('TransactionConflict') || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
      }
    }
  }
}
