import {
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type DocumentClient,
} from './document-client.js';
import { ConflictError, LinkAlreadyExistsError, NotFoundError } from '../../core/errors.js';
import type { ActivityKey, ActivityRecord, EventDirector, Handover, Link, ParkrunEvent, Practice, Registration, Side } from '../../core/model.js';
import type { ContactRecord, LinkHistoryEntry, LinkRef, PartnershipStore, TokenSpend } from '../../core/ports.js';
import { batchGetAll } from './batch-get.js';
import { queryAll } from './query-all.js';
import { isConditionalCheckFailed } from './document-client.js';
import { contactSets, linkHistoryItem, updateOf } from './link-contact.js';
import { contactIndex, dueShard, gsi1, keys, linkItem, registrationItem, statusKeyOf, strip } from './items.js';
import { tableDefinition } from './table-definition.js';
import { cancellationCodes, writeWithToken } from './transactions.js';

/** A practice as the domain knows it: the item without its bookkeeping. */
function practiceOf(item: Record<string, unknown>): Practice {
  const { registeredAt: _r, updatedAt: _u, ...practice } = strip<Practice & { registeredAt: string; updatedAt: string }>(item);
  return practice;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The writes that record a registration, all or nothing: the registration (its insert makes
 * the introductions), the practice, and a `registered` link per event, refused if any link
 * exists. Shared by the confirmation, which adds its own writes around them.
 */
export function registrationWrites(tableName: string, registration: Registration): TransactItem[] {
  const { practice, submittedAt } = registration;
  const initialContact = registration.contactedEventTeam ? 'practice' : 'introduction';
  return [
    { Put: { TableName: tableName, Item: registrationItem(registration), ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      // The practice record holds the current contact; a later registration
      // for another event brings it up to date.
      Update: {
        TableName: tableName,
        Key: keys.practice(practice.code),
        // A practice already on record keeps its name and champion: a registration
        // is not proof of who speaks for the practice (only its champion can hand
        // over, from their own email). Otherwise anyone could take a practice over.
        UpdateExpression:
          'SET entityType = :t, code = :code, #name = if_not_exists(#name, :name), postcode = if_not_exists(postcode, :postcode), champion = if_not_exists(champion, :champion), updatedAt = :at, registeredAt = if_not_exists(registeredAt, :at), gsi1pk = if_not_exists(gsi1pk, :g1pk), gsi1sk = if_not_exists(gsi1sk, :g1sk)',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: {
          ':t': 'Practice',
          ':code': practice.code,
          ':name': practice.name,
          ':postcode': practice.postcode,
          ':champion': practice.champion,
          ':at': submittedAt,
          ':g1pk': contactIndex(practice).gsi1pk,
          ':g1sk': contactIndex(practice).gsi1sk,
        },
      },
    },
    ...registration.eventShortNames.map((eventShortName) => ({
      Put: {
        TableName: tableName,
        Item: linkItem({
          practiceCode: practice.code,
          eventShortName,
          status: 'registered',
          createdAt: submittedAt,
          createdBy: 'registration',
          registrationId: registration.id,
          initialContact,
          rev: 0,
        } satisfies Link),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
  ];
}

/** What a cancelled transaction holding registrationWrites from `offset` on means: an existing link, or a race to retry. */
export function registrationRefusal(error: unknown, registration: Registration, offset: number): unknown {
  // The registration and the practice come first; the links follow in order.
  const codes = cancellationCodes(error) ?? [];
  const taken = registration.eventShortNames.filter((_, i) => codes[offset + i + 2] === 'ConditionalCheckFailed');
  if (taken.length > 0) return new LinkAlreadyExistsError(registration.practice.code, taken);
  // Racing another registration for the same practice: neither may have landed yet.
  if (codes.includes('TransactionConflict')) return new ConflictError('Another registration for this practice is being made right now. Please try again in a moment.');
  return error;
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
    const key = keys.link(link.practiceCode, link.eventShortName);
    const item = linkItem({
      practiceCode: link.practiceCode,
      eventShortName: link.eventShortName,
      status: 'introduced',
      createdAt: at.toISOString(),
      createdBy: 'registration',
      initialContact: link.initialContact,
      ...(link.registrationId ? { registrationId: link.registrationId } : {}),
    });
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.link(link.practiceCode, link.eventShortName),
          UpdateExpression: `SET #status = :introduced, statusKey = :introducedKey, introducedAt = :at, entityType = :t, practiceCode = :p, eventShortName = :e,
            gsi1pk = :g1pk, gsi1sk = :g1sk, createdAt = if_not_exists(createdAt, :at), createdBy = if_not_exists(createdBy, :by),
            initialContact = if_not_exists(initialContact, :ic), registrationId = if_not_exists(registrationId, :reg),
            ladder = :rung0, dueAt = :due, dueShard = :shard ADD rev :one`,
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :registered',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':introduced': 'introduced',
            ':introducedKey': statusKeyOf('introduced'),
            ':registered': 'registered',
            ':at': at.toISOString(),
            ':t': item.entityType,
            ':p': item.practiceCode,
            ':e': item.eventShortName,
            ':g1pk': item.gsi1pk,
            ':g1sk': item.gsi1sk,
            ':by': item.createdBy,
            ':ic': item.initialContact,
            ':reg': link.registrationId ?? 'none',
            ':rung0': { rung: 0 },
            ':due': dueAt.toISOString(),
            ':shard': dueShard(key.pk, key.sk),
            ':one': 1,
          },
        }),
      );
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
    const link = { practiceCode: handover.practiceCode, eventShortName: handover.eventShortName };
    await writeWithToken(
      this.doc,
      this.tableName,
      [
        { Put: { TableName: this.tableName, Item: { ...keys.handover(handover.id), entityType: 'Handover', ...handover, status: 'offered' }, ConditionExpression: 'attribute_not_exists(pk)' } },
        this.historyItem(link, new Date(handover.at), { type: 'handover-offered', role: handover.role, from: handover.from, to: handover.to }),
      ],
      spend,
    );
  }

  async getHandover(id: string): Promise<Handover | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.handover(id), ConsistentRead: true }));
    return out.Item ? strip<Handover>(out.Item) : undefined;
  }

  async acceptHandover(handover: Handover, at: Date, spend: TokenSpend): Promise<void> {
    const link = { practiceCode: handover.practiceCode, eventShortName: handover.eventShortName };
    const successor = { name: handover.to.name, role: handover.to.role, email: handover.to.email };
    let contactUpdate;
    if (handover.role === 'champion') {
      contactUpdate = {
        Update: {
          TableName: this.tableName,
          Key: keys.practice(handover.practiceCode),
          UpdateExpression: 'SET champion = :to, updatedAt = :at, gsi1pk = :g1pk',
          ConditionExpression: 'champion.email = :from',
          ExpressionAttributeValues: { ':to': successor, ':at': at.toISOString(), ':from': handover.from.email, ':g1pk': gsi1.contact(successor.email) },
        },
      };
    } else {
      const event = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.event(handover.eventShortName), ConsistentRead: true }));
      const directors = (event.Item?.eventDirectors ?? []) as EventDirector[];
      const teamEmail = String(event.Item?.teamEmail ?? '').toLowerCase();
      const from = handover.from.email.toLowerCase();
      // Still the one who offered: a named director, or, while none is named, the team address that stands in for them.
      const stillContact = directors.some((d) => d.email.toLowerCase() === from) || (directors.length === 0 && teamEmail === from);
      if (!stillContact) throw new ConflictError('The contact has changed since the hand-over was offered, so nothing was handed over.');
      const next =
        directors.length === 0
          ? [{ name: successor.name, email: successor.email }]
          : directors
              .filter((d) => d.email.toLowerCase() !== handover.to.email.toLowerCase())
              .map((d) => (d.email.toLowerCase() === from ? { name: successor.name, email: successor.email } : d));
      contactUpdate = {
        Update: {
          TableName: this.tableName,
          Key: keys.event(handover.eventShortName),
          UpdateExpression: 'SET eventDirectors = :next',
          // Optimistic: the list is replaced only if nobody changed it since it was read.
          ConditionExpression: 'eventDirectors = :old',
          ExpressionAttributeValues: { ':next': next, ':old': directors },
        },
      };
    }
    try {
      await writeWithToken(
        this.doc,
        this.tableName,
        [
          contactUpdate,
          {
            Update: {
              TableName: this.tableName,
              Key: keys.handover(handover.id),
              UpdateExpression: 'SET #status = :accepted, acceptedAt = :at',
              ConditionExpression: '#status = :offered',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':accepted': 'accepted', ':offered': 'offered', ':at': at.toISOString() },
            },
          },
          this.historyItem(link, at, { type: 'handover', role: handover.role, from: handover.from, to: handover.to }),
        ],
        spend,
      );
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[1] === 'ConditionalCheckFailed') throw new ConflictError('The contact has changed since the hand-over was offered, so nothing was handed over.');
      if (codes?.[2] === 'ConditionalCheckFailed') throw new ConflictError('This hand-over has been accepted already.');
      throw error;
    }
  }
}
