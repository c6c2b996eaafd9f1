import { UpdateCommand, type DocumentClient } from './document-client.js';
import type { RateLimiter } from '../../core/ports.js';
import { isConditionalCheckFailed } from './document-client.js';
import { keys } from './items.js';

/** Fixed-window counters, one item per key and window, removed by TTL after the window. */
export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async take(key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
    const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
    try {
      await this.doc.send(
        new UpdateCommand({
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
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
