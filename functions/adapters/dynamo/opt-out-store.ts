import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmailKind, OptOutScope } from '../../core/model.js';
import type { EmailPreferences, OptOutStore, TokenSpend } from '../../core/ports.js';
import { keys } from './items.js';
import { writeWithToken } from './transactions.js';

/** One preferences item per address: which kinds of email it has stopped. */
export class DynamoOptOutStore implements OptOutStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getPreferences(email: string): Promise<EmailPreferences> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.preferences(email), ConsistentRead: true }));
    if (!out.Item) return { stopped: [] };
    return { stopped: (out.Item.stopped as OptOutScope[]) ?? [], updatedAt: String(out.Item.updatedAt) };
  }

  async isOptedOut(email: string, kind: EmailKind): Promise<boolean> {
    const { stopped } = await this.getPreferences(email);
    return stopped.includes('all') || stopped.includes(kind);
  }

  async suppress(email: string, reason: 'bounce' | 'complaint', at: Date): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.preferences(email), entityType: 'Preferences', email: email.toLowerCase(), stopped: ['all'], updatedAt: at.toISOString(), source: reason },
      }),
    );
  }

  async setPreferences(email: string, stopped: OptOutScope[], at: Date, source: string, spend: TokenSpend): Promise<void> {
    await writeWithToken(
      this.doc,
      this.tableName,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.preferences(email), entityType: 'Preferences', email: email.toLowerCase(), stopped, updatedAt: at.toISOString(), source },
          },
        },
      ],
      spend,
    );
  }
}
