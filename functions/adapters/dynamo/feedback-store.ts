import { GetCommand, PutCommand, UpdateCommand, type DocumentClient } from './document-client.js';
import { NotFoundError } from '../../core/errors.js';
import type { FeedbackAskState, FeedbackReport, FeedbackSummaryState, Period } from '../../core/model.js';
import type { FeedbackStore, FeedbackWork, LinkRef, TokenSpend } from '../../core/ports.js';
import { isConditionalCheckFailed } from './document-client.js';
import { dueItems } from './due-index.js';
import { queryAll } from './query-all.js';
import { dueShard, feedbackReportItem, gsi1, keys, strip } from './items.js';
import { linkContactUpdate, linkHistoryItem } from './link-contact.js';
import { tableDefinition } from './table-definition.js';
import { cancellationCodes, writeWithToken } from './transactions.js';

export class DynamoFeedbackStore implements FeedbackStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async *feedbackDue(now: Date): AsyncIterable<FeedbackWork[]> {
    for await (const items of dueItems(this.doc, this.tableName, 'FEEDBACK', now)) {
      yield items.map((item) =>
        item.entityType === 'FeedbackSummary' ? { kind: 'summary', state: strip<FeedbackSummaryState>(item) } : { kind: 'ask', state: strip<FeedbackAskState>(item) },
      );
    }
  }

  async getAskState(link: LinkRef): Promise<FeedbackAskState | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.feedbackAsk(link.practiceCode, link.eventShortName), ConsistentRead: true }));
    return out.Item ? strip<FeedbackAskState>(out.Item) : undefined;
  }

  async saveAskState(state: FeedbackAskState): Promise<boolean> {
    const key = keys.feedbackAsk(state.practiceCode, state.eventShortName);
    const { rev, ...rest } = state;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entityType: 'FeedbackAsk', ...rest, ...(state.dueAt ? { dueShard: dueShard(key.pk, key.sk, 'FEEDBACK') } : {}), rev: (rev ?? 0) + 1 },
          ...(rev === undefined ? { ConditionExpression: 'attribute_not_exists(pk)' } : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': rev } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async ensureSummary(state: FeedbackSummaryState): Promise<void> {
    const key = keys.feedbackSummary(state.eventShortName, state.period);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entityType: 'FeedbackSummary', ...state, ...(state.dueAt ? { dueShard: dueShard(key.pk, key.sk, 'FEEDBACK') } : {}) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // Every ask of the month makes sure of it; the first one made it.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async completeSummary(state: FeedbackSummaryState, at: Date): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.feedbackSummary(state.eventShortName, state.period),
        UpdateExpression: 'SET queuedAt = :at REMOVE dueAt, dueShard',
        ExpressionAttributeValues: { ':at': at.toISOString() },
      }),
    );
  }

  async getReport(link: LinkRef, period: Period): Promise<FeedbackReport | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.feedbackReport(link.practiceCode, link.eventShortName, period), ConsistentRead: true }),
    );
    return out.Item ? strip<FeedbackReport>(out.Item) : undefined;
  }

  async reportsOf(eventShortName: string, period: Period): Promise<FeedbackReport[]> {
    return queryAll<FeedbackReport>(this.doc, {
      TableName: this.tableName,
      IndexName: tableDefinition.gsi1.indexName,
      KeyConditionExpression: 'gsi1pk = :p AND begins_with(gsi1sk, :s)',
      ExpressionAttributeValues: { ':p': gsi1.eventFeedback(eventShortName), ':s': `FEEDBACK#${period}#` },
    });
  }

  async recordReport(report: FeedbackReport, spend: TokenSpend, dueAt: Date): Promise<void> {
    const link = { practiceCode: report.practiceCode, eventShortName: report.eventShortName };
    const at = new Date(report.answeredAt);
    try {
      await writeWithToken(
        this.doc,
        this.tableName,
        [
          {
            Put: {
              TableName: this.tableName,
              Item: feedbackReportItem(report),
            },
          },
          // An answer is contact from the practice: the link is active and its ladder starts again.
          linkContactUpdate(this.tableName, link, { at, by: 'practice', moveLastContact: true, recordedAt: at }, dueAt),
          linkHistoryItem(this.tableName, link, at, { type: 'contact', by: 'practice', contactAt: report.answeredAt, via: 'feedback', period: report.period }),
        ],
        spend,
      );
    } catch (error) {
      if (cancellationCodes(error)?.[2] === 'ConditionalCheckFailed') throw new NotFoundError('This link has ended since the email was sent.');
      throw error;
    }
  }
}
