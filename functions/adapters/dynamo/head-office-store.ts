import { PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DocumentClient } from './document-client.js';
import * as z from '../../core/zod.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { Link } from '../../core/model.js';
import type { AuditEntry, AuditLog, HeadOfficeActions, LinkLists, LinkRef, ListedAt } from '../../core/ports.js';
import { isConditionalCheckFailed } from './document-client.js';
import { keys, statusKeyOf, strip } from './items.js';
import { linkContactUpdate, linkHistoryItem } from './link-contact.js';
import { tableDefinition } from './table-definition.js';
import { cancellationCodes } from './transactions.js';

/** An audit entry's item: under its subject, and under its month for browsing across links. */
export const auditItem = (entry: AuditEntry) => ({
  ...keys.audit(entry.subject, entry.at, entry.id),
  gsi1pk: `AUDIT#${entry.at.slice(0, 7)}`,
  gsi1sk: `${entry.at}#${entry.id}`,
  entityType: 'AuditEntry',
  ...entry,
});

/** A page cursor is the index key it stopped at, as base64url JSON; anything else is refused, not trusted. */
const cursorShape = z.strictObject({ pk: z.string(), sk: z.string(), statusKey: z.string(), placeKey: z.string() });

export class DynamoHeadOfficeStore implements AuditLog, LinkLists, HeadOfficeActions {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: auditItem(entry) }));
  }

  async ofSubject(subject: string, limit: number): Promise<AuditEntry[]> {
    const out = await this.doc.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `AUDIT#${subject}` }, ScanIndexForward: false, Limit: limit }),
    );
    return (out.Items ?? []).map((i) => strip<AuditEntry>(i));
  }

  async place(link: Pick<Link, 'practiceCode' | 'eventShortName' | 'status'>, placeKey: string, listed?: ListedAt): Promise<void> {
    const statusKey = statusKeyOf(link.status);
    // Most link changes leave the place as it was, and every write that changes a link's
    // status sets its statusKey too (statusKeyOf); this very write comes back on the stream
    // as one more change, already in step. So this writes a new link's place, and little else.
    if (listed && listed.statusKey === statusKey && listed.placeKey === placeKey) return;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.link(link.practiceCode, link.eventShortName),
          // Only the index attributes: `rev` is untouched, so no optimistic write elsewhere is disturbed.
          UpdateExpression: 'SET statusKey = :s, placeKey = :p',
          ConditionExpression: 'attribute_exists(pk) AND #status = :status AND (attribute_not_exists(statusKey) OR statusKey <> :s OR placeKey <> :p)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':s': statusKey, ':p': placeKey, ':status': link.status },
        }),
      );
    } catch (error) {
      // Already in place, or the link moved on (its own stream record will place it).
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async byStatus(status: string, placePrefix: string, limit: number, cursor?: string): Promise<{ links: Link[]; next?: string }> {
    let start: Record<string, unknown> | undefined;
    if (cursor) {
      try {
        const parsed = cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
        // Only a cursor from this very list: another status or place, or an empty or oversized key, would make the query invalid (a 500).
        if (parsed.statusKey !== `STATUS#${status}` || !parsed.placeKey.startsWith(placePrefix) || [parsed.pk, parsed.sk, parsed.placeKey].some((k) => k.length === 0 || Buffer.byteLength(k) > 1024)) throw new Error('cursor from another list');
        start = parsed;
      } catch {
        throw new ValidationError({ after: 'This page link is broken: go back to the first page' });
      }
    }
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: tableDefinition.byStatus.indexName,
        KeyConditionExpression: placePrefix ? 'statusKey = :s AND begins_with(placeKey, :p)' : 'statusKey = :s',
        ExpressionAttributeValues: { ':s': `STATUS#${status}`, ...(placePrefix ? { ':p': placePrefix } : {}) },
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return {
      links: (out.Items ?? []).map((i) => strip<Link>(i)),
      ...(out.LastEvaluatedKey ? { next: Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') } : {}),
    };
  }

  async logContact(link: LinkRef, contact: { at: Date; how?: string; recordedAt: Date; moveLastContact: boolean }, actor: string, dueAt: Date, requestId: string): Promise<'done' | 'already-done'> {
    const at = contact.recordedAt.toISOString();
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            linkContactUpdate(this.tableName, link, { ...contact, by: 'head-office' }, dueAt),
            linkHistoryItem(this.tableName, link, contact.recordedAt, { type: 'contact', by: 'head-office', actor, contactAt: contact.at.toISOString(), ...(contact.how ? { how: contact.how } : {}) }),
            { Put: { TableName: this.tableName, Item: auditItem({ subject: `${link.practiceCode}.${link.eventShortName}`, at, actor, role: 'head-office', action: 'head-office-contact', id: `ho-contact-${requestId}` }) } },
            {
              // The form's request id, once: the same form sent twice records once.
              Put: {
                TableName: this.tableName,
                Item: { ...keys.headOfficeRequest(requestId), entityType: 'HeadOfficeRequest', expiresAt: Math.floor(contact.recordedAt.getTime() / 1000) + 7 * 86_400 },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return 'done';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[3] === 'ConditionalCheckFailed') return 'already-done';
      if (codes?.[0] === 'ConditionalCheckFailed') throw new NotFoundError('This link has ended.');
      throw error;
    }
  }

  async requestIntroduction(link: LinkRef, actor: string, requestId: string, at: Date): Promise<'done' | 'already-done'> {
    const iso = at.toISOString();
    try {
      await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.introductionRequest(requestId), entityType: 'IntroductionRequest', id: requestId, ...link, requestedBy: actor, requestedAt: iso, expiresAt: Math.floor(at.getTime() / 1000) + 7 * 86_400 },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: this.tableName, Item: auditItem({ subject: `${link.practiceCode}.${link.eventShortName}`, at: iso, actor, role: 'head-office', action: 'head-office-introduction', id: `ho-intro-${requestId}` }) } },
        ],
      }),
      );
      return 'done';
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return 'already-done';
      throw error;
    }
  }
}
