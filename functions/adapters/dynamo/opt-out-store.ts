import { BatchGetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmailKind, OptOutScope } from '../../core/model.js';
import type { OptOutStore } from '../../core/ports.js';
import { keys } from './items.js';

export class DynamoOptOutStore implements OptOutStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async isOptedOut(email: string, kind: EmailKind): Promise<boolean> {
    const out = await this.doc.send(
      new BatchGetCommand({
        RequestItems: {
          [this.tableName]: { Keys: [keys.optOut(email, 'all'), keys.optOut(email, kind)], ConsistentRead: true },
        },
      }),
    );
    if ((out.UnprocessedKeys?.[this.tableName]?.Keys?.length ?? 0) > 0) {
      // Unsure is not "no": refuse to decide, so the caller retries rather than mails.
      throw new Error('Could not read opt-outs (unprocessed keys); try again');
    }
    return (out.Responses?.[this.tableName]?.length ?? 0) > 0;
  }

  async optOut(email: string, scope: OptOutScope, at: Date, source: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.optOut(email, scope), entityType: 'OptOut', email: email.toLowerCase(), scope, at: at.toISOString(), source },
      }),
    );
  }
}
