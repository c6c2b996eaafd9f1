/**
 * The failure log in the table: one item per failure (for a stream batch, one per record,
 * so each stays well under DynamoDB's 400 KB item limit: a record holds at most an item's
 * old and new images), all in one partition (there are few), kept 90 days by TTL. No
 * stream consumer's filter lets a `Failure` through (stream-filters.ts), so keeping one
 * wakes nothing.
 */
import type { Failure, FailureLog } from '../../core/failure-log.js';
import type { Clock } from '../../core/ports.js';
import { systemClock } from '../clock.js';
import { isConditionalCheckFailed, PutCommand, UpdateCommand, type DocumentClient } from './document-client.js';
import { keys } from './items.js';
import { queryAll } from './query-all.js';

/** How long a failure is kept: long enough for anyone to notice and fix the cause. */
export const failureKeepDays = 90;

interface FailureItem extends Omit<Failure, 'replay'> {
  replayTarget?: string;
  /** The event as JSON text: kept exactly as it was (no nesting limit, no number or empty-value surprises). */
  replayEvent?: string;
}

export class DynamoFailureLog implements FailureLog {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async keep(failure: Failure): Promise<boolean> {
    const { replay, ...rest } = failure;
    const item: FailureItem = { ...rest, ...(replay ? { replayTarget: replay.target, replayEvent: JSON.stringify(replay.event ?? null) } : {}) };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.failure(failure.id), entityType: 'Failure', ...item, expiresAt: Math.floor(this.clock.now().getTime() / 1000) + failureKeepDays * 86_400 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async list(status?: Failure['status']): Promise<Failure[]> {
    const items = await queryAll<FailureItem>(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.failure('').pk, ...(status ? { ':status': status } : {}) },
      ...(status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
    });
    return items.map(({ replayTarget, replayEvent, ...failure }) => ({
      ...failure,
      ...(replayTarget !== undefined && replayEvent !== undefined ? { replay: { target: replayTarget, event: JSON.parse(replayEvent) as unknown } } : {}),
    })).sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  }

  async markRetried(id: string, at: Date): Promise<void> {
    await this.update(id, 'SET #status = :retried, retriedAt = :at', { ':retried': 'retried', ':at': at.toISOString() });
  }

  async markRetryFailed(id: string, why: string, at: Date): Promise<void> {
    await this.update(id, 'SET lastRetryError = :why, lastRetryAt = :at', { ':why': why, ':at': at.toISOString() });
  }

  /** Only a failure still kept: one TTL removed meanwhile is not brought back as a fragment. */
  private async update(id: string, expression: string, values: Record<string, unknown>) {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.failure(id),
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(pk)',
          ...(expression.includes('#status') ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
