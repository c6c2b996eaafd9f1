import { TransactWriteCommand, UpdateCommand, type DocumentClient } from './document-client.js';
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

  async take(key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand(this.counting(key, limit, windowMs, now)));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
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
