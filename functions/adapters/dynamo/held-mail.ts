import { DeleteCommand, PutCommand, UpdateCommand, type DocumentClient } from './document-client.js';
import type { HeldMail, HeldMessage } from '../../core/ports.js';
import { isConditionalCheckFailed } from './document-client.js';
import { dueItems } from './due-index.js';
import { dueShard, keys, strip } from './items.js';

/** Mail held for its reader's window: one item per idempotency key, in the due index until sent. */
export class DynamoHeldMail implements HeldMail {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async hold(message: HeldMessage): Promise<boolean> {
    const key = keys.heldMessage(message.idempotencyKey);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entityType: 'HeldMessage', ...message, dueAt: message.sendAt, dueShard: dueShard(key.pk, key.sk, 'HELD') },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async *due(now: Date): AsyncIterable<HeldMessage[]> {
    for await (const items of dueItems(this.doc, this.tableName, 'HELD', now)) {
      yield items.map((item) => {
        const { dueAt: _dueAt, ...message } = strip<HeldMessage & { dueAt: string }>(item);
        return message;
      });
    }
  }

  async release(idempotencyKey: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.heldMessage(idempotencyKey) }));
  }

  async postpone(idempotencyKey: string, sendAt: Date): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.heldMessage(idempotencyKey),
          UpdateExpression: 'SET sendAt = :at, dueAt = :at',
          // Released meanwhile (sent by another run): nothing to move.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': sendAt.toISOString() },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
