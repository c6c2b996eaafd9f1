/** Practices and their links: the link reads, a registration's writes (registration-writes.ts), the magic-link actions on a link, and hand-overs (handover-items.ts). */
import { GetCommand, QueryCommand, type QueryCommandInput, TransactWriteCommand, UpdateCommand, type DocumentClient } from './document-client.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { ActivityKey, ActivityRecord, Handover, Link, ParkrunEvent, Practice, Registration, Side } from '../../core/model.js';
import type { ContactRecord, LinkHistoryEntry, LinkRef, PartnershipStore, TokenSpend } from '../../core/ports.js';
import { batchGetAll } from './batch-get.js';
import { queryAll } from './query-all.js';
import { isConditionalCheckFailed } from './document-client.js';
import { contactSets, linkHistoryItem, updateOf } from './link-contact.js';
import { dueShard, gsi1, keys, statusKeyOf, strip } from './items.js';
import { championHandover, directorsHandover, handoverAcceptedItems, handoverOfferItems, handoverRefusal } from './handover-items.js';
import { introducedUpdate, registrationRefusal, registrationWrites } from './registration-writes.js';
import { tableDefinition } from './table-definition.js';
import { cancellationCodes, writeWithToken } from './transactions.js';

/** A practice as the domain knows it: the item without its bookkeeping. */
function practiceOf(item: Record<string, unknown>): Practice {
  const { registeredAt: _r, updatedAt: _u, ...practice } = strip<Practice & { registeredAt: string; updatedAt: string }>(item);
  return practice;
}

export class DynamoPartnershipStore implements PartnershipStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async findLinkedEvents(practiceCode: string, eventShortNames: string[]): Promise<string[]> {
    const linked = new Set<string>();
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :link)',
          ExpressionAttributeValues: { ':pk': keys.practice(practiceCode).pk, ':link': 'LINK#' },
          ProjectionExpression: 'eventShortName',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) linked.add(String(item.eventShortName));
      start = out.LastEvaluatedKey;
    } while (start);
    return eventShortNames.filter((n) => linked.has(n));
  }

  async recordRegistration(registration: Registration): Promise<void> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: registrationWrites(this.tableName, registration) }));
    } catch (error) {
      throw registrationRefusal(error, registration, 0);
    }
  }

  async markIntroduced(
    link: Pick<Link, 'practiceCode' | 'eventShortName' | 'registrationId' | 'initialContact'>,
    at: Date,
    dueAt: Date,
  ): Promise<void> {
    try {
      await this.doc.send(new UpdateCommand(introducedUpdate(this.tableName, link, at, dueAt)));
    } catch (error) {
      // Already introduced, or moved on since: nothing to do.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async getPractice(code: string): Promise<Practice | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.practice(code) }));
    return out.Item ? practiceOf(out.Item) : undefined;
  }

  async practicesByContact(email: string): Promise<Practice[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: tableDefinition.gsi1.indexName,
        KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :practice)',
        ExpressionAttributeValues: { ':p': gsi1.contact(email), ':practice': 'PRACTICE#' },
      }),
    );
    return (out.Items ?? []).map((item) => {
      const { registeredAt: _r, updatedAt: _u, ...practice } = strip<Practice & { registeredAt: string; updatedAt: string }>(item);
      return practice;
    });
  }

  async markContactLost(link: LinkRef, at: Date): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.link(link.practiceCode, link.eventShortName),
          UpdateExpression: 'SET #status = :lost, statusKey = :lostKey, contactLostAt = :at REMOVE dueAt, dueShard ADD rev :one',
          ConditionExpression: 'attribute_exists(pk) AND #status <> :ended',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':lost': 'contact-lost', ':lostKey': statusKeyOf('contact-lost'), ':at': at.toISOString(), ':ended': 'ended', ':one': 1 },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async restoreContact(link: LinkRef, dueAt: Date): Promise<void> {
    const key = keys.link(link.practiceCode, link.eventShortName);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #status = :active, statusKey = :activeKey, ladder = :rung0, dueAt = :due, dueShard = :shard REMOVE contactLostAt ADD rev :one',
          ConditionExpression: '#status = :lost',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'active', ':activeKey': statusKeyOf('active'), ':rung0': { rung: 0 }, ':due': dueAt.toISOString(), ':shard': dueShard(key.pk, key.sk), ':lost': 'contact-lost', ':one': 1 },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async getPractices(codes: string[]): Promise<Map<string, Practice>> {
    const items = await batchGetAll(this.doc, this.tableName, [...new Set(codes)].map((c) => keys.practice(c)));
    const found = new Map<string, Practice>();
    for (const item of items) {
      const practice = practiceOf(item);
      found.set(practice.code, practice);
    }
    return found;
  }

  async getLink(practiceCode: string, eventShortName: string): Promise<Link | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.link(practiceCode, eventShortName), ConsistentRead: true }),
    );
    return out.Item ? strip<Link>(out.Item) : undefined;
  }

  async getLinkContext(practiceCode: string, eventShortName: string): Promise<{ link?: Link; practice?: Practice; event?: ParkrunEvent }> {
    // Events live in the same table, so one consistent read serves all three.
    const items = await batchGetAll(this.doc, this.tableName, [keys.link(practiceCode, eventShortName), keys.practice(practiceCode), keys.event(eventShortName)], { consistent: true });
    const of = (entityType: string) => items.find((item) => item.entityType === entityType);
    const [link, practice, event] = [of('Link'), of('Practice'), of('Event')];
    return {
      ...(link ? { link: strip<Link>(link) } : {}),
      ...(practice ? { practice: practiceOf(practice) } : {}),
      ...(event ? { event: strip<ParkrunEvent>(event) } : {}),
    };
  }

  async linksOfEvent(eventShortName: string): Promise<Link[]> {
    return this.queryAll({
      IndexName: tableDefinition.gsi1.indexName,
      KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :link)',
      ExpressionAttributeValues: { ':p': gsi1.eventLinks(eventShortName), ':link': 'LINK#' },
    });
  }

  async linksOfPractice(practiceCode: string): Promise<Link[]> {
    return this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :link)',
      ExpressionAttributeValues: { ':pk': keys.practice(practiceCode).pk, ':link': 'LINK#' },
    });
  }

  private queryAll(query: Omit<QueryCommandInput, 'TableName'>): Promise<Link[]> {
    return queryAll<Link>(this.doc, { TableName: this.tableName, ...query });
  }

  async historyOf(link: LinkRef, limit: number): Promise<LinkHistoryEntry[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)',
        ExpressionAttributeValues: { ':pk': keys.practice(link.practiceCode).pk, ':h': `HISTORY#${link.eventShortName}#` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => strip<LinkHistoryEntry>(i));
  }

  private historyItem(link: LinkRef, at: Date, entry: Record<string, unknown>) {
    return linkHistoryItem(this.tableName, link, at, entry);
  }

  /** Applies a link update with its history entry and token; an ended or missing link is NotFound. */
  private async updateLink(link: LinkRef, update: { expression: string; names?: Record<string, string>; values: Record<string, unknown> }, history: ReturnType<DynamoPartnershipStore['historyItem']>, spend: TokenSpend, condition = 'attribute_exists(pk) AND #status <> :ended') {
    try {
      await writeWithToken(
        this.doc,
        this.tableName,
        [
          {
            Update: {
              TableName: this.tableName,
              Key: keys.link(link.practiceCode, link.eventShortName),
              UpdateExpression: `${update.expression} ADD rev :one`,
              ConditionExpression: condition,
              ExpressionAttributeNames: { '#status': 'status', ...update.names },
              ExpressionAttributeValues: { ':ended': 'ended', ':one': 1, ...update.values },
            },
          },
          history,
        ],
        spend,
      );
    } catch (error) {
      if (cancellationCodes(error)?.[1] === 'ConditionalCheckFailed') {
        throw new NotFoundError('This link has ended or changed since the email was sent.');
      }
      throw error;
    }
  }

  async recordContact(link: LinkRef, contact: ContactRecord, spend: TokenSpend, dueAt: Date): Promise<void> {
    // Newer contact makes the link active and resets the quiet-link ladder; an older one
    // only goes into the history, so a link waiting for an answer stays in the digest.
    const parts = contactSets(link, contact, dueAt);
    await this.updateLink(
      link,
      { expression: updateOf(parts), values: parts.values },
      this.historyItem(link, contact.recordedAt, {
        type: 'contact',
        by: contact.by,
        contactAt: contact.at.toISOString(),
        ...(contact.how ? { how: contact.how } : {}),
      }),
      spend,
    );
  }

  async setActivities(link: LinkRef, updates: Partial<Record<ActivityKey, ActivityRecord>>, by: Side, spend: TokenSpend): Promise<void> {
    const current = await this.getLink(link.practiceCode, link.eventShortName);
    if (!current || current.status === 'ended') throw new NotFoundError('This link has ended or changed since the email was sent.');
    const merged = { ...current.activities, ...updates };
    try {
      await this.updateLink(
        link,
        { expression: 'SET activities = :merged', values: { ':merged': merged, ...(current.activities ? { ':old': current.activities } : {}) } },
        this.historyItem(link, spend.now, { type: 'activities', by, activities: updates }),
        spend,
        // Optimistic: refuse if someone else changed the activities since they were read.
        `attribute_exists(pk) AND #status <> :ended AND ${current.activities ? 'activities = :old' : 'attribute_not_exists(activities)'}`,
      );
    } catch (error) {
      if (error instanceof NotFoundError) throw new ConflictError('Someone else updated these activities a moment ago. Nothing was changed; please check and try again.');
      throw error;
    }
  }

  async pause(link: LinkRef, until: Date, by: Side, spend: TokenSpend, dueAt: Date): Promise<void> {
    const key = keys.link(link.practiceCode, link.eventShortName);
    await this.updateLink(
      link,
      {
        expression: 'SET pausedUntil = :until, dueAt = :due, dueShard = :shard',
        values: { ':until': until.toISOString(), ':due': dueAt.toISOString(), ':shard': dueShard(key.pk, key.sk) },
      },
      this.historyItem(link, spend.now, { type: 'pause', by, until: until.toISOString() }),
      spend,
    );
  }

  async offerHandover(handover: Handover, spend: TokenSpend): Promise<void> {
    await writeWithToken(this.doc, this.tableName, handoverOfferItems(this.tableName, handover), spend);
  }

  async getHandover(id: string): Promise<Handover | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.handover(id), ConsistentRead: true }));
    return out.Item ? strip<Handover>(out.Item) : undefined;
  }

  async acceptHandover(handover: Handover, at: Date, spend: TokenSpend): Promise<void> {
    let contactUpdate;
    if (handover.role === 'champion') {
      contactUpdate = championHandover(this.tableName, handover, at);
    } else {
      const event = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.event(handover.eventShortName), ConsistentRead: true }));
      contactUpdate = directorsHandover(this.tableName, handover, event.Item);
    }
    try {
      await writeWithToken(this.doc, this.tableName, [contactUpdate, ...handoverAcceptedItems(this.tableName, handover, at)], spend);
    } catch (error) {
      throw handoverRefusal(error);
    }
  }
}
