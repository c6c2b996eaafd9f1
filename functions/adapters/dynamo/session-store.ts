import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DeleteCommand, GetCommand, type DocumentClient } from './document-client.js';
import type { HeadOfficeSession, SessionStore, TokenSpend } from '../../core/ports.js';
import { keys } from './items.js';
import { writeWithToken } from './transactions.js';

/**
 * Cookie value `<id>.<signature>`: 256 random bits and an HMAC of them, so a forged or
 * altered cookie is refused before any read. Only a second, differently keyed hash of
 * the id is stored: the table alone cannot be turned back into a working cookie.
 */
export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
    private readonly secret: string,
  ) {}

  private mac(purpose: string, id: string) {
    return createHmac('sha256', this.secret).update(`${purpose}:${id}`).digest('base64url');
  }

  private idOf(cookieValue: string): string | undefined {
    const [id, signature, extra] = cookieValue.split('.');
    if (!id || !signature || extra !== undefined || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const expected = Buffer.from(this.mac('session-cookie', id));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
  }

  async start(email: string, now: Date, expiresAt: Date, spend: TokenSpend): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const session: HeadOfficeSession = { email, startedAt: now.toISOString(), expiresAt: expiresAt.toISOString() };
    await writeWithToken(
      this.doc,
      this.tableName,
      [
        {
          Put: {
            TableName: this.tableName,
            // TTL tidies it away; `find` checks the expiry itself, since TTL deletes late.
            Item: { ...keys.session(this.mac('session-id', id)), entityType: 'HeadOfficeSession', ...session, expiresAtIso: session.expiresAt, expiresAt: Math.ceil(expiresAt.getTime() / 1000) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
      spend,
    );
    return `${id}.${this.mac('session-cookie', id)}`;
  }

  async find(cookieValue: string, now: Date): Promise<HeadOfficeSession | undefined> {
    const id = this.idOf(cookieValue);
    if (!id) return undefined;
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.session(this.mac('session-id', id)), ConsistentRead: true }));
    if (!out.Item || String(out.Item.expiresAtIso) <= now.toISOString()) return undefined;
    return { email: String(out.Item.email), startedAt: String(out.Item.startedAt), expiresAt: String(out.Item.expiresAtIso) };
  }

  async end(cookieValue: string): Promise<void> {
    const id = this.idOf(cookieValue);
    if (id) await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: keys.session(this.mac('session-id', id)) }));
  }
}
