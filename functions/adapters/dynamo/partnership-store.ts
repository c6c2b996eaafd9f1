import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { LinkAlreadyExistsError } from '../../core/errors.js';
import type { Link, Practice, Registration } from '../../core/model.js';
import type { PartnershipStore } from '../../core/ports.js';
import { isConditionalCheckFailed } from './document-client.js';
import { keys, linkItem, registrationItem, strip } from './items.js';

export class DynamoPartnershipStore implements PartnershipStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
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
    const { practice, submittedAt } = registration;
    const initialContact = registration.contactedEventTeam ? 'practice' : 'introduction';
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: registrationItem(registration),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              // The practice record holds the current contact; a later registration
              // for another event brings it up to date.
              Update: {
                TableName: this.tableName,
                Key: keys.practice(practice.code),
                UpdateExpression:
                  'SET entityType = :t, code = :code, #name = :name, postcode = :postcode, champion = :champion, updatedAt = :at, registeredAt = if_not_exists(registeredAt, :at)',
                ExpressionAttributeNames: { '#name': 'name' },
                ExpressionAttributeValues: {
                  ':t': 'Practice',
                  ':code': practice.code,
                  ':name': practice.name,
                  ':postcode': practice.postcode,
                  ':champion': practice.champion,
                  ':at': submittedAt,
                },
              },
            },
            ...registration.eventShortNames.map((eventShortName) => ({
              Put: {
                TableName: this.tableName,
                Item: linkItem({
                  practiceCode: practice.code,
                  eventShortName,
                  status: 'registered',
                  createdAt: submittedAt,
                  createdBy: 'registration',
                  registrationId: registration.id,
                  initialContact,
                } satisfies Link),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
          ],
        }),
      );
    } catch (error) {
      const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
      if (error instanceof Error && error.name === 'TransactionCanceledException' && reasons) {
        // Items 0 and 1 are the registration and practice; the links follow in order.
        const taken = registration.eventShortNames.filter((_, i) => reasons[i + 2]?.Code === 'ConditionalCheckFailed');
        if (taken.length > 0) throw new LinkAlreadyExistsError(practice.code, taken);
      }
      throw error;
    }
  }

  async markIntroduced(
    link: Pick<Link, 'practiceCode' | 'eventShortName' | 'registrationId' | 'initialContact'>,
    at: Date,
  ): Promise<void> {
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
          UpdateExpression: `SET #status = :introduced, introducedAt = :at, entityType = :t, practiceCode = :p, eventShortName = :e,
            gsi1pk = :g1pk, gsi1sk = :g1sk, createdAt = if_not_exists(createdAt, :at), createdBy = if_not_exists(createdBy, :by),
            initialContact = if_not_exists(initialContact, :ic), registrationId = if_not_exists(registrationId, :reg)`,
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :registered',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':introduced': 'introduced',
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
    if (!out.Item) return undefined;
    const { registeredAt: _r, updatedAt: _u, ...practice } = strip<Practice & { registeredAt: string; updatedAt: string }>(out.Item);
    return practice;
  }

  async getLink(practiceCode: string, eventShortName: string): Promise<Link | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.link(practiceCode, eventShortName) }));
    return out.Item ? strip<Link>(out.Item) : undefined;
  }
}

