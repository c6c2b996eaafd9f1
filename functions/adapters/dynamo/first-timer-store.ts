import { GetCommand, QueryCommand, UpdateCommand, type DocumentClient } from './document-client.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { FirstTimerCandidate, FirstTimerNaming, NewcomerPlan } from '../../core/model.js';
import type { JointContact } from '../../core/policies/joint-contact.js';
import type { FirstTimerStore, LinkRef, TokenSpend } from '../../core/ports.js';
import { isConditionalCheckFailed } from './document-client.js';
import { keys, strip } from './items.js';
import { jointContactItems } from './link-contact.js';
import { cancellationCodes, writeWithToken } from './transactions.js';

/** Long enough for the watcher's retries; the item is only a wake-up call. */
const namingKeepSeconds = 7 * 86_400;

/** First-timer contacts live on the event item; newcomer plans under the practice, one per link and day. */
export class DynamoFirstTimerStore implements FirstTimerStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Writes the event's change with the token, and a joint action's contact last; a refused
   * condition on the event becomes `conflict`. The use case left out a link already ended,
   * so a refused contact is a link ended a moment ago: try again, and it is left out.
   */
  private async onEvent(
    eventShortName: string,
    update: { expression: string; condition: string; values: Record<string, unknown> },
    spend: TokenSpend,
    conflict: () => Error,
    also: Parameters<typeof writeWithToken>[2] = [],
    contact?: JointContact,
  ) {
    const contactItems = contact ? jointContactItems(this.tableName, contact) : [];
    try {
      await writeWithToken(
        this.doc,
        this.tableName,
        [
          {
            Update: {
              TableName: this.tableName,
              Key: keys.event(eventShortName),
              UpdateExpression: update.expression,
              ConditionExpression: `attribute_exists(pk) AND ${update.condition}`,
              ...(Object.keys(update.values).length ? { ExpressionAttributeValues: update.values } : {}),
            },
          },
          ...also,
          ...contactItems,
        ],
        spend,
      );
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[1] === 'ConditionalCheckFailed') throw conflict();
      if (contact && codes?.at(-1) === 'ConditionalCheckFailed') throw new ConflictError('The practice link this was about ended a moment ago. Nothing was saved; please try again.');
      if (codes?.includes('TransactionConflict')) throw new ConflictError('Someone else changed the first-timer contact at the same moment. Please look again.');
      throw error;
    }
  }

  async nameCandidate(eventShortName: string, candidate: FirstTimerCandidate, spend: TokenSpend, contact?: JointContact): Promise<void> {
    // The naming item carries ids only, and goes after a week: the details live on the event alone.
    const naming: FirstTimerNaming = { id: candidate.id, eventShortName };
    const expiresAt = Math.floor(spend.now.getTime() / 1000) + namingKeepSeconds;
    await this.onEvent(
      eventShortName,
      { expression: 'SET firstTimerCandidate = :c', condition: 'attribute_exists(shortName)', values: { ':c': candidate } },
      spend,
      () => new NotFoundError('This event is no longer in our list.'),
      // Unconditional: the same naming again (same person, same details, same day) writes the
      // same item, and the watcher's email for it is already sent.
      [{ Put: { TableName: this.tableName, Item: { ...keys.firstTimerNaming(naming.id), entityType: 'FirstTimerNaming', ...naming, expiresAt } } }],
      contact,
    );
  }

  async confirm(eventShortName: string, candidateId: string, at: Date, spend: TokenSpend, contact?: JointContact): Promise<void> {
    // Copied from the candidate in one update, so what is confirmed is exactly what was named.
    await this.onEvent(
      eventShortName,
      {
        expression: 'SET firstTimerContact = :contact REMOVE firstTimerCandidate',
        condition: 'firstTimerCandidate.id = :id',
        values: { ':id': candidateId, ':contact': await this.candidateAsContact(eventShortName, candidateId, at) },
      },
      spend,
      () => new ConflictError('The event team has named someone else since this link was sent, so there is nothing to confirm.'),
      [],
      contact,
    );
  }

  private async candidateAsContact(eventShortName: string, candidateId: string, at: Date) {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.event(eventShortName), ConsistentRead: true, ProjectionExpression: 'firstTimerCandidate' }));
    const candidate = out.Item?.firstTimerCandidate as FirstTimerCandidate | undefined;
    if (!candidate || candidate.id !== candidateId) throw new ConflictError('The event team has named someone else since this link was sent, so there is nothing to confirm.');
    const { namedAt: _namedAt, namedBy: _namedBy, namedFrom: _namedFrom, ...details } = candidate;
    return { ...details, confirmedAt: at.toISOString() };
  }

  async standDown(eventShortName: string, id: string, as: 'candidate' | 'contact', spend: TokenSpend): Promise<void> {
    const attribute = as === 'candidate' ? 'firstTimerCandidate' : 'firstTimerContact';
    await this.onEvent(eventShortName, { expression: `REMOVE ${attribute}`, condition: `${attribute}.id = :id`, values: { ':id': id } }, spend, () => new ConflictError('Someone else is the first-timer contact now, so there was nothing to change.'));
  }

  async markAskedForContact(eventShortName: string, at: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.event(eventShortName),
          UpdateExpression: 'SET firstTimerContactAskedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(firstTimerContactAskedAt)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async getPlan(link: LinkRef, date: string): Promise<NewcomerPlan | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.newcomerPlan(link.practiceCode, link.eventShortName, date), ConsistentRead: true }));
    return out.Item ? strip<NewcomerPlan>(out.Item) : undefined;
  }

  async plansOf(link: LinkRef, fromDate: string): Promise<NewcomerPlan[]> {
    const first = keys.newcomerPlan(link.practiceCode, link.eventShortName, fromDate);
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': first.pk, ':from': first.sk, ':to': `NEWCOMERS#${link.eventShortName}#9999` },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map((i) => strip<NewcomerPlan>(i));
  }

  async savePlan(plan: NewcomerPlan, spend: TokenSpend, contact?: JointContact): Promise<void> {
    try {
      await writeWithToken(
        this.doc,
        this.tableName,
        [
          { Put: { TableName: this.tableName, Item: { ...keys.newcomerPlan(plan.practiceCode, plan.eventShortName, plan.date), entityType: 'NewcomerPlan', ...plan } } },
          // Patients planned is contact from the practice: last, so the plan's item keeps its place.
          ...(contact ? jointContactItems(this.tableName, contact) : []),
        ],
        spend,
      );
    } catch (error) {
      if (contact && cancellationCodes(error)?.at(-1) === 'ConditionalCheckFailed') throw new NotFoundError('This link has ended since the email was sent.');
      throw error;
    }
  }
}
