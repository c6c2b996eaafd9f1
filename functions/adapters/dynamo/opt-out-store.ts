import { BatchGetCommand, GetCommand, PutCommand, type DocumentClient } from './document-client.js';
import type { EmailKind, OptOutScope } from '../../core/model.js';
import type { EmailPreferences, OptOutStore, TokenSpend } from '../../core/ports.js';
import { keys } from './items.js';
import { writeWithToken } from './transactions.js';

/** One preferences item per address: which kinds of email it has stopped. */
export class DynamoOptOutStore implements OptOutStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async getPreferences(email: string): Promise<EmailPreferences> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.preferences(email), ConsistentRead: true }));
    if (!out.Item) return { stopped: [] };
    return { stopped: (out.Item.stopped as OptOutScope[]) ?? [], updatedAt: String(out.Item.updatedAt) };
  }

  async isOptedOut(email: string, kind: EmailKind): Promise<boolean> {
    const out = await this.doc.send(
      new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: [keys.preferences(email), keys.suppression(email)], ConsistentRead: true } } }),
    );
    // Unsure is not "no": refuse to decide, so the caller retries rather than mails.
    if ((out.UnprocessedKeys?.[this.tableName]?.Keys?.length ?? 0) > 0) throw new Error('Could not read email preferences; try again');
    return (out.Responses?.[this.tableName] ?? []).some((item) => {
      if (item.sk === 'SUPPRESSION') return true;
      const stopped = (item.stopped as string[] | undefined) ?? [];
      return stopped.includes('all') || stopped.includes(kind);
    });
  }

  async isSuppressed(email: string): Promise<boolean> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.suppression(email), ConsistentRead: true }));
    return out.Item !== undefined;
  }

  async suppress(email: string, reason: 'bounce' | 'complaint', at: Date): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.suppression(email), entityType: 'Suppression', email: email.toLowerCase(), reason, at: at.toISOString() },
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
