/**
 * Head office's writes to events: what the feed says about each (the go-live import), and
 * who runs it (the teams import and the dashboard). The feed's fields and the team are
 * written apart, so neither ever overwrites the other, nor a director's own answers
 * (first-timer contact, unavailable days) on the same item.
 */
import { PutCommand, TransactWriteCommand, UpdateCommand, type DocumentClient } from './document-client.js';
import { ConflictError } from '../../core/errors.js';
import type { EventDirector, ParkrunEvent } from '../../core/model.js';
import type { FeedFields } from '../../core/policies/event-feed.js';
import type { AuditEntry, EventRegistry } from '../../core/ports.js';
import { eventAuditSubject } from '../../core/use-cases/event-teams.js';
import { isConditionalCheckFailed } from './document-client.js';
import { auditItem } from './head-office-store.js';
import { eventItem, keys } from './items.js';
import { cancellationCodes } from './transactions.js';

export class DynamoEventRegistry implements EventRegistry {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async saveFeedEvent(fields: FeedFields, stored: ParkrunEvent | undefined): Promise<void> {
    if (!stored) {
      try {
        await this.doc.send(new PutCommand({ TableName: this.tableName, Item: eventItem({ ...fields, eventDirectors: [] }), ConditionExpression: 'attribute_not_exists(pk)' }));
        return;
      } catch (error) {
        // Created a moment ago by another run: set the feed's fields on it as on any other.
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    const { gsi1sk } = eventItem({ ...fields, eventDirectors: [] });
    const values: Record<string, unknown> = {
      ':name': fields.name,
      ':coordinates': fields.coordinates,
      ':country': fields.country,
      ':region': fields.region,
      ':tz': fields.timeZone,
      ':start': fields.startTime,
      ':weekday': fields.weekday,
      ':feed': fields.feed,
      ':team': fields.teamEmail,
      ':g1sk': gsi1sk,
    };
    // Every name aliased: several (name, region, location, timeZone) are DynamoDB reserved words.
    const sets = ['#name = :name', '#coordinates = :coordinates', '#country = :country', '#region = :region', '#tz = :tz', '#start = :start', '#weekday = :weekday', '#feed = :feed', '#team = :team', 'gsi1sk = :g1sk'];
    if (fields.location) {
      sets.push('#location = :location');
      values[':location'] = fields.location;
    }
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.event(fields.shortName),
        UpdateExpression: `SET ${sets.join(', ')}${fields.location ? '' : ' REMOVE #location'}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: {
          '#name': 'name',
          '#coordinates': 'coordinates',
          '#country': 'country',
          '#region': 'region',
          '#tz': 'timeZone',
          '#start': 'startTime',
          '#weekday': 'weekday',
          '#feed': 'feed',
          '#team': 'teamEmail',
          '#location': 'location',
        },
        ExpressionAttributeValues: values,
      }),
    );
  }

  async markLeftFeed(shortName: string, at: Date): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.event(shortName),
          UpdateExpression: 'SET feed.inFeed = :false, feed.leftFeedAt = if_not_exists(feed.leftFeedAt, :at)',
          ConditionExpression: 'attribute_exists(feed) AND feed.inFeed = :true',
          ExpressionAttributeValues: { ':false': false, ':true': true, ':at': at.toISOString() },
        }),
      );
    } catch (error) {
      // Marked already (another run), or never from the feed: nothing to do.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async replaceTeam(shortName: string, directors: EventDirector[], previous: EventDirector[], audit: Omit<AuditEntry, 'subject'>): Promise<void> {
    const plain = (list: EventDirector[]) => list.map((d) => ({ name: d.name, email: d.email }));
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.event(shortName),
                UpdateExpression: 'SET eventDirectors = :next',
                // Optimistic: replaced only if nobody changed the team since it was read (a hand-over, another edit).
                ConditionExpression: 'attribute_exists(pk) AND eventDirectors = :old',
                ExpressionAttributeValues: { ':next': plain(directors), ':old': plain(previous) },
              },
            },
            { Put: { TableName: this.tableName, Item: auditItem({ ...audit, subject: eventAuditSubject(shortName) }) } },
          ],
        }),
      );
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
        throw new ConflictError(`The team of ${shortName} changed while this was being saved (a hand-over or another edit). Nothing was changed; look again and retry.`);
      }
      throw error;
    }
  }
}
