import { createHmac, randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, type DocumentClient } from './document-client.js';
import { singleUseLinks } from '../../core/magic-links.js';
import type { ContactRole } from '../../core/model.js';
import type { LinkTokens, TokenGrant, TokenLookup, TokenPurpose, TokenSpend } from '../../core/ports.js';
import { batchWriteAll } from './batch-write.js';
import { keys } from './items.js';
import { TokenKeyring, type TokenKeys } from '../token-secret.js';

/** 32 random bytes: 256 bits, base64url so it sits in a URL as it is. */
const tokenBytes = 32;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * Tokens in links. Only an HMAC of the token is stored, so a copy of the table (a
 * backup, an export) holds nothing that can be clicked.
 */
export class DynamoLinkTokens implements LinkTokens {
  private readonly keyring: TokenKeyring;

  /** One key (`string`), or a keyring that follows rotations (adapters/token-secret.ts). */
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
    secret: string | TokenKeyring,
  ) {
    this.keyring = typeof secret === 'string' ? TokenKeyring.fixed(secret) : secret;
  }

  private static hash(token: string, key: string): string {
    return createHmac('sha256', key).update(token).digest('base64url');
  }

  /** The token's item, hashed with `key` (the current key, read once for an email's links). */
  private item(token: string, grant: TokenGrant, now: Date, key: string) {
    return {
      ...keys.token(DynamoLinkTokens.hash(token, key)),
      entityType: 'Token',
      purpose: grant.purpose,
      subject: grant.subject,
      recipient: grant.recipient,
      ...(grant.role ? { role: grant.role } : {}),
      ...(grant.detail ? { detail: grant.detail } : {}),
      createdAt: now.toISOString(),
      expiresAt: Math.floor(grant.expiresAt.getTime() / 1000),
      uses: 0,
    };
  }

  async issue(grant: TokenGrant, now: Date): Promise<string> {
    const token = randomBytes(tokenBytes).toString('base64url');
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: this.item(token, grant, now, (await this.keyring.current()).current), ConditionExpression: 'attribute_not_exists(pk)' }));
    return token;
  }

  /**
   * An email's tokens in one BatchWriteItem (25 a call) rather than one write each: the
   * write per link was most of an email's round trips. A batch cannot be conditional;
   * with 256 random bits a token that already exists is not a risk worth a round trip.
   */
  async issueAll(grants: TokenGrant[], now: Date): Promise<string[]> {
    const tokens = grants.map(() => randomBytes(tokenBytes).toString('base64url'));
    const { current } = await this.keyring.current();
    await batchWriteAll(this.doc, this.tableName, grants.map((grant, i) => this.item(tokens[i]!, grant, now, current)));
    return tokens;
  }

  /** The token's item under the current key, else under the previous one (a link issued before a rotation). */
  private async find(token: string, { current, previous }: TokenKeys) {
    for (const key of previous ? [current, previous] : [current]) {
      const hash = DynamoLinkTokens.hash(token, key);
      const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.token(hash), ConsistentRead: true }));
      if (out.Item) return { hash, item: out.Item };
    }
    return undefined;
  }

  async lookup(token: string, now: Date): Promise<TokenLookup | undefined> {
    if (!tokenPattern.test(token)) return undefined;
    let found = await this.find(token, await this.keyring.current());
    // Neither key knows it: perhaps the key was rotated since these keys were read.
    if (!found) {
      const rotated = await this.keyring.afterMiss();
      if (rotated) found = await this.find(token, rotated);
    }
    if (!found) return undefined;
    const { hash, item } = found;
    const expiresAt = new Date(Number(item.expiresAt) * 1000);
    return {
      ref: hash,
      grant: {
        purpose: item.purpose as TokenPurpose,
        subject: String(item.subject),
        recipient: String(item.recipient),
        ...(item.role ? { role: item.role as ContactRole } : {}),
        ...(item.detail ? { detail: item.detail as Record<string, string> } : {}),
        expiresAt,
      },
      // TTL deletes expired items only eventually, so expiry is decided here.
      state: expiresAt.getTime() <= now.getTime() ? 'expired' : item.usedAt ? 'used' : 'valid',
      ...(item.usedAt ? { usedAt: new Date(String(item.usedAt)) } : {}),
    };
  }
}

/**
 * The transaction item that spends (single use) or touches (reusable) a token, as its
 * purpose says (magic-links.ts singleUseLinks, which emails also read). Its
 * condition re-checks purpose, expiry and use at write time, so two racing POSTs cannot
 * both get through: the second transaction is cancelled.
 */
export function tokenSpendItem(tableName: string, spend: TokenSpend) {
  const once = singleUseLinks[spend.purpose];
  return {
    Update: {
      TableName: tableName,
      Key: keys.token(spend.ref),
      UpdateExpression: once ? 'SET usedAt = :now ADD uses :one' : 'SET lastUsedAt = :now ADD uses :one',
      ConditionExpression: `attribute_exists(pk) AND purpose = :purpose AND expiresAt > :nowSeconds${once ? ' AND attribute_not_exists(usedAt)' : ''}`,
      ExpressionAttributeValues: {
        ':now': spend.now.toISOString(),
        ':one': 1,
        ':purpose': spend.purpose,
        ':nowSeconds': Math.floor(spend.now.getTime() / 1000),
      },
    },
  };
}
