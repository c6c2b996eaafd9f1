/**
 * Registrations awaiting their champion's confirmation. Nothing but the registration itself
 * (and an audit entry) is written until the champion confirms from their own inbox; then
 * the practice, its links and the registration the introductions follow from are written
 * together with the confirmation, as one transaction.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, type DocumentClient, type TransactWriteCommandInput } from './document-client.js';
import { ConflictError } from '../../core/errors.js';
import { linkId, registrationDays, type Link, type PendingRegistration, type Registration } from '../../core/model.js';
import type { AuditEntry, RegistrationStore, TokenSpend } from '../../core/ports.js';
import { auditItem } from './head-office-store.js';
import { gsi1, keys, statusKeyOf, strip } from './items.js';
import { registrationRefusal, registrationWrites } from './registration-writes.js';
import { tableDefinition } from './table-definition.js';
import { cancellationCodes, writeWithToken } from './transactions.js';
import { batchGetAll } from './batch-get.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const day = 86_400_000;
/** A day past the link's own lifetime, so a late click is told it expired rather than that it never was. */
const keepSeconds = (submittedAt: string) => Math.floor((Date.parse(submittedAt) + (registrationDays + 1) * day) / 1000);

/** The audit subject of a practice's registrations (a link's is its id, `A81001.bushy`). */
export const practiceAuditSubject = (code: string) => `practice:${code}`;

const asRegistration = (pending: PendingRegistration): Registration => ({
  id: pending.id,
  practice: pending.practice,
  eventShortNames: pending.eventShortNames,
  contactedEventTeam: pending.contactedEventTeam,
  submittedAt: pending.submittedAt,
});

export class DynamoRegistrationStore implements RegistrationStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  private audit(entry: AuditEntry): TransactItem {
    return { Put: { TableName: this.tableName, Item: auditItem(entry) } };
  }

  async submit(pending: PendingRegistration): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.pendingRegistration(pending.id),
                gsi1pk: gsi1.awaitingRegistrations,
                gsi1sk: `${pending.submittedAt}#${pending.id}`,
                entityType: 'PendingRegistration',
                expiresAt: keepSeconds(pending.submittedAt),
                ...pending,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          // What stays once an unconfirmed registration has gone: that it came, for what, and nothing about who.
          this.audit({
            subject: practiceAuditSubject(pending.practice.code),
            at: pending.submittedAt,
            actor: 'registration form',
            action: 'registration-received',
            id: pending.id,
            detail: `for ${pending.eventShortNames.join(', ')}; awaiting confirmation by the practice's champion${pending.practiceOnRecord ? ' on record' : ''}`,
          }),
        ],
      }),
    );
  }

  async get(id: string): Promise<PendingRegistration | undefined> {
    const [pending, registration] = await batchGetAll(this.doc, this.tableName, [keys.pendingRegistration(id), keys.registration(id)], { consistent: true }).then((items) => [
      items.find((i) => i.entityType === 'PendingRegistration'),
      items.find((i) => i.entityType === 'Registration'),
    ]);
    if (pending) return strip<PendingRegistration>(pending);
    // A confirmed one's waiting record may have expired: the registration itself says what it was.
    if (registration) return { ...strip<Registration>(registration), status: 'confirmed', practiceOnRecord: false };
    return undefined;
  }

  async confirm(pending: PendingRegistration, at: Date, by: string, spend: TokenSpend): Promise<void> {
    const iso = at.toISOString();
    const writes: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: keys.pendingRegistration(pending.id),
          UpdateExpression: 'SET #status = :confirmed, confirmedAt = :at REMOVE gsi1pk, gsi1sk',
          ConditionExpression: '#status = :awaiting',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':confirmed': 'confirmed', ':awaiting': 'awaiting-confirmation', ':at': iso },
        },
      },
      this.audit({ subject: practiceAuditSubject(pending.practice.code), at: iso, actor: by, role: 'champion', action: 'registration-confirm', id: `confirm-${pending.id}`, detail: `for ${pending.eventShortNames.join(', ')}` }),
      ...registrationWrites(this.tableName, asRegistration(pending)),
    ];
    try {
      await writeWithToken(this.doc, this.tableName, writes, spend);
    } catch (error) {
      // The token is item 0: the waiting registration is 1, its audit 2, then the registration's own writes.
      const codes = cancellationCodes(error);
      if (codes?.[1] === 'ConditionalCheckFailed') throw new ConflictError('This registration has been answered already, or has expired: nothing was changed.');
      throw registrationRefusal(error, asRegistration(pending), 3);
    }
  }

  async awaiting(since: Date, limit: number): Promise<PendingRegistration[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: tableDefinition.gsi1.indexName,
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk > :since',
        ExpressionAttributeValues: { ':p': gsi1.awaitingRegistrations, ':since': since.toISOString() },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => strip<PendingRegistration>(i));
  }

  async reject(pending: PendingRegistration, at: Date, actor: string, requestId: string): Promise<'done' | 'already-done'> {
    const iso = at.toISOString();
    const email = pending.practice.champion.email.toLowerCase();
    // The links this registration made, if it was confirmed: only those it made (a link another registration made stays).
    const made = pending.status === 'confirmed' ? await this.linksMadeBy(pending) : [];
    const writes: TransactItem[] = [
      // The form's one-time id: a second submission of the same form changes nothing.
      { Put: { TableName: this.tableName, Item: { ...keys.headOfficeRequest(requestId), entityType: 'HeadOfficeRequest', at: iso }, ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Update: {
          TableName: this.tableName,
          Key: keys.pendingRegistration(pending.id),
          UpdateExpression: 'SET #status = :rejected, rejectedAt = :at, entityType = :t, id = :id, practice = :practice, eventShortNames = :events, submittedAt = :submitted REMOVE gsi1pk, gsi1sk',
          ConditionExpression: 'attribute_not_exists(pk) OR #status <> :rejected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':rejected': 'rejected', ':at': iso, ':t': 'PendingRegistration', ':id': pending.id, ':practice': pending.practice, ':events': pending.eventShortNames, ':submitted': pending.submittedAt },
        },
      },
      { Put: { TableName: this.tableName, Item: { ...keys.registrationBlock(email), entityType: 'RegistrationBlock', email, registrationId: pending.id, at: iso } } },
      this.audit({ subject: practiceAuditSubject(pending.practice.code), at: iso, actor, action: 'registration-reject', id: requestId, detail: `rejected as not genuine: ${pending.eventShortNames.join(', ')}${made.length ? `; ${made.length} link(s) ended` : ''}` }),
      ...made.flatMap((link): TransactItem[] => [
        {
          Update: {
            TableName: this.tableName,
            Key: keys.link(link.practiceCode, link.eventShortName),
            UpdateExpression: 'SET #status = :ended, statusKey = :endedKey, endedAt = :at, endedBecause = :why REMOVE dueAt, dueShard ADD rev :one',
            ConditionExpression: 'registrationId = :id',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':ended': 'ended', ':endedKey': statusKeyOf('ended'), ':at': iso, ':why': 'registration rejected as not genuine', ':id': pending.id, ':one': 1 },
          },
        },
        this.audit({ subject: linkId(link.practiceCode, link.eventShortName), at: iso, actor, action: 'registration-reject', id: requestId }),
      ]),
    ];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: writes }));
      return 'done';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed' || codes?.[1] === 'ConditionalCheckFailed') return 'already-done';
      if (codes?.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) throw new ConflictError('The registration changed while it was being rejected: look again, and try once more.');
      throw error;
    }
  }

  private async linksMadeBy(pending: PendingRegistration): Promise<Link[]> {
    const items = await batchGetAll(this.doc, this.tableName, pending.eventShortNames.map((e) => keys.link(pending.practice.code, e)), { consistent: true });
    return items.map((i) => strip<Link>(i)).filter((l) => l.registrationId === pending.id && l.status !== 'ended');
  }

  async isBlocked(email: string): Promise<boolean> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.registrationBlock(email) }));
    return out.Item !== undefined;
  }
}
