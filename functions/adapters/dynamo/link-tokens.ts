import { createHmac, randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LinkTokens, TokenGrant, TokenPurpose } from '../../core/ports.js';
import { keys } from './items.js';

/** 32 random bytes: 256 bits, base64url so it sits in a URL as it is. */
const tokenBytes = 32;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * Tokens in links. Only an HMAC of the token is stored, so a copy of the table (a
 * backup, an export) holds nothing that can be clicked.
 */
export class DynamoLinkTokens implements LinkTokens {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly secret: string,
  ) {}

  private hash(token: string): string {
    return createHmac('sha256', this.secret).update(token).digest('base64url');
  }

  async issue(grant: TokenGrant, now: Date): Promise<string> {
    const token = randomBytes(tokenBytes).toString('base64url');
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.token(this.hash(token)),
          entityType: 'Token',
          purpose: grant.purpose,
          subject: grant.subject,
          recipient: grant.recipient,
          createdAt: now.toISOString(),
          expiresAt: Math.floor(grant.expiresAt.getTime() / 1000),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return token;
  }

  async find(token: string, purpose: TokenPurpose, now: Date): Promise<TokenGrant | undefined> {
    if (!tokenPattern.test(token)) return undefined;
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.token(this.hash(token)), ConsistentRead: true }));
    const item = out.Item;
    // TTL deletes expired items only eventually, so expiry is checked here as well.
    if (!item || item.purpose !== purpose || Number(item.expiresAt) * 1000 <= now.getTime()) return undefined;
    return {
      purpose: item.purpose as TokenPurpose,
      subject: String(item.subject),
      recipient: String(item.recipient),
      expiresAt: new Date(Number(item.expiresAt) * 1000),
    };
  }
}
