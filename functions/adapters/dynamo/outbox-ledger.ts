import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { PutCommand, UpdateCommand, type DocumentClient } from './document-client.js';
import type { ClaimResult, MessageLogEntry, OutboxLedger } from '../../core/ports.js';
import { isConditionalCheckFailed } from './document-client.js';
import { gsi1, keys } from './items.js';

/**
 * Message records double as idempotency guards: a conditional put decides which worker
 * sends, and the record then stays as the message log (by practice, through gsi1).
 */
export class DynamoOutboxLedger implements OutboxLedger {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(key: string, entry: MessageLogEntry, now: Date, leaseMs: number): Promise<ClaimResult> {
    const at = now.toISOString();
    const claimId = randomUUID();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.message(key),
            ...(entry.practiceCode ? { gsi1pk: gsi1.practiceHistory(entry.practiceCode), gsi1sk: `MESSAGE#${at}#${key}` } : {}),
            entityType: 'Message',
            idempotencyKey: key,
            ...entry,
            status: 'sending',
            leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
            claimedAt: at,
            claimId,
          },
          // Free to claim: never claimed, given back after a failure, or a lease left by
          // a worker that died mid-send.
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed OR (#status = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'failed', ':sending': 'sending', ':now': at },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { outcome: 'claimed', claimId };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // The document client does not unmarshall the item carried by the error.
      const old = (error as { Item?: Record<string, AttributeValue> }).Item;
      const status = old ? unmarshall(old).status : undefined;
      return status === 'sending' ? { outcome: 'in-flight' } : { outcome: 'already-done' };
    }
  }

  async markSent(key: string, claimId: string, result: { messageId: string; subject: string }, at: Date): Promise<void> {
    await this.finish(key, claimId, 'sent', at, { providerMessageId: result.messageId, subject: result.subject });
  }

  async markSuppressed(key: string, claimId: string, at: Date): Promise<void> {
    await this.finish(key, claimId, 'suppressed', at, {});
  }

  async markFailed(key: string, claimId: string, error: string, at: Date): Promise<void> {
    await this.finish(key, claimId, 'failed', at, { lastError: error.slice(0, 500) });
  }

  private async finish(key: string, claimId: string, status: string, at: Date, extra: Record<string, string>): Promise<void> {
    const names = Object.keys(extra);
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.message(key),
        UpdateExpression: `SET ${['#status = :status', 'finishedAt = :at', ...names.map((n) => `#${n} = :${n}`)].join(', ')} REMOVE leaseUntil`,
        // Only the claim's holder, and only while it is still sending.
        ConditionExpression: '#status = :sending AND claimId = :mine',
        ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(names.map((n) => [`#${n}`, n])) },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':mine': claimId,
          ':status': status,
          ':at': at.toISOString(),
          ...Object.fromEntries(names.map((n) => [`:${n}`, extra[n]])),
        },
      }),
    );
  }
}
