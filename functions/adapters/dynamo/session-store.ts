import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DeleteCommand, GetCommand, type DocumentClient } from './document-client.js';
import type { HeadOfficeSession, SessionStore, TokenSpend } from '../../core/ports.js';
import { keys } from './items.js';
import { writeWithToken } from './transactions.js';
import { TokenKeyring } from '../token-secret.js';

/**
 * Cookie value `<id>.<signature>`: 256 random bits and an HMAC of them, so a forged or
 * altered cookie is refused before any read. Only a second, differently keyed hash of
 * the id is stored: the table alone cannot be turned back into a working cookie.
 */
export class DynamoSessionStore implements SessionStore {
  private readonly keyring: TokenKeyring;

  /** One key, or a keyring that follows rotations: a session begun before a rotation lasts. */
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
    secret: string | TokenKeyring,
  ) {
    this.keyring = typeof secret === 'string' ? TokenKeyring.fixed(secret) : secret;
  }

  private static mac(key: string, purpose: string, id: string) {
    return createHmac('sha256', key).update(`${purpose}:${id}`).digest('base64url');
  }

  /** The session's id and the key its cookie was signed with, if either key signed it. */
  private async idOf(cookieValue: string): Promise<{ id: string; key: string } | undefined> {
    const [id, signature, extra] = cookieValue.split('.');
    if (!id || !signature || extra !== undefined || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const { current, previous } = await this.keyring.current();
    const given = Buffer.from(signature);
    for (const key of previous ? [current, previous] : [current]) {
      const expected = Buffer.from(DynamoSessionStore.mac(key, 'session-cookie', id));
      if (expected.length === given.length && timingSafeEqual(expected, given)) return { id, key };
    }
    return undefined;
  }

  async start(email: string, now: Date, expiresAt: Date, spend: TokenSpend): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const { current: key } = await this.keyring.current();
    const session: HeadOfficeSession = { email, startedAt: now.toISOString(), expiresAt: expiresAt.toISOString() };
    await writeWithToken(
      this.doc,
      this.tableName,
      [
        {
          Put: {
            TableName: this.tableName,
            // TTL tidies it away; `find` checks the expiry itself, since TTL deletes late.
            Item: { ...keys.session(DynamoSessionStore.mac(key, 'session-id', id)), entityType: 'HeadOfficeSession', ...session, expiresAtIso: session.expiresAt, expiresAt: Math.ceil(expiresAt.getTime() / 1000) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      spend,
    );
    return `${id}.${DynamoSessionStore.mac(key, 'session-cookie', id)}`;
  }

  async find(cookieValue: string, now: Date): Promise<HeadOfficeSession | undefined> {
    const signed = await this.idOf(cookieValue);
    if (!signed) return undefined;
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.session(DynamoSessionStore.mac(signed.key, 'session-id', signed.id)), ConsistentRead: true }));
    if (!out.Item || String(out.Item.expiresAtIso) <= now.toISOString()) return undefined;
    return { email: String(out.Item.email), startedAt: String(out.Item.startedAt), expiresAt: String(out.Item.expiresAtIso) };
  }

  async end(cookieValue: string): Promise<void> {
    const signed = await this.idOf(cookieValue);
    if (signed) await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.session(DynamoSessionStore.mac(signed.key, 'session-id', signed.id)) }));
  }
}
