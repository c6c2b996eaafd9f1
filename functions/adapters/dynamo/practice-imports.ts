/**
 * The practices import's reads and writes. A row is one transaction: the practice (when
 * new), each new link with its place on the quiet-link ladder, its first takeover prompt
 * and feedback ask, a history and an audit entry, and the introductions queued for it.
 * All of it lands, or none of it does.
 */
import { GetCommand, QueryCommand, TransactWriteCommand, type DocumentClient } from './document-client.js';
import { ConflictError } from '../../core/errors.js';
import { linkId, type Practice } from '../../core/model.js';
import type { ImportedPractice, PracticeImports } from '../../core/ports.js';
import { auditItem } from './head-office-store.js';
import { dueShard, keys, linkItem, practiceItem, strip } from './items.js';
import { linkHistoryItem } from './link-contact.js';
import { cancellationCodes } from './transactions.js';

export class DynamoPracticeImports implements PracticeImports {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async existing(practiceCode: string): Promise<{ practice?: Practice; linkedEvents: string[] }> {
    const [practice, links] = await Promise.all([
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.practice(practiceCode), ConsistentRead: true })),
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :link)',
          ExpressionAttributeValues: { ':pk': keys.practice(practiceCode).pk, ':link': 'LINK#' },
          ProjectionExpression: 'eventShortName',
          ConsistentRead: true,
        }),
      ),
    ]);
    return {
      ...(practice.Item ? { practice: strip<Practice>(practice.Item) } : {}),
      // A practice has five links at most (a registration's limit): one page.
      linkedEvents: (links.Items ?? []).map((i) => String(i.eventShortName)),
    };
  }

  async store(imported: ImportedPractice): Promise<void> {
    const { practice, links, at } = imported;
    const iso = at.toISOString();
    const T = this.tableName;
    const put = (Item: Record<string, unknown>, condition?: string) => ({ Put: { TableName: T, Item, ...(condition ? { ConditionExpression: condition } : {}) } });
    const items = [];
    // Practice first, then the links: a refusal's position says which was there already.
    if (imported.isNew) items.push(put(practiceItem(practice, links[0]?.createdAt ?? iso), 'attribute_not_exists(pk)'));
    for (const link of links) items.push(put(linkItem(link), 'attribute_not_exists(pk)'));
    for (const link of links) {
      const ref = { practiceCode: link.practiceCode, eventShortName: link.eventShortName };
      const prompt = keys.takeoverPrompt(ref.practiceCode, ref.eventShortName);
      const ask = keys.feedbackAsk(ref.practiceCode, ref.eventShortName);
      items.push(
        put({ ...prompt, entityType: 'TakeoverPrompt', ...ref, planned: false, dueAt: imported.firstPromptAt.toISOString(), dueShard: dueShard(prompt.pk, prompt.sk, 'PROMPT'), rev: 1 }),
        put({ ...ask, entityType: 'FeedbackAsk', ...ref, dueAt: imported.firstAskAt.toISOString(), dueShard: dueShard(ask.pk, ask.sk, 'FEEDBACK'), rev: 1 }),
        linkHistoryItem(T, ref, at, { type: 'import', by: 'head-office', ...(link.lastContactAt ? { lastContactOn: link.lastContactAt.slice(0, 10) } : {}) }),
        put(auditItem({ subject: linkId(ref.practiceCode, ref.eventShortName), at: iso, actor: imported.actor, action: 'import', id: `import-${iso}`, detail: `brought in by the practices import${imported.introductions ? ', with introductions' : ''}` })),
      );
    }
    if (imported.introductions) {
      const { practiceAt, events } = imported.introductions;
      const practiceKey = keys.practiceIntroduction(practice.code);
      items.push(this.introduction(practiceKey, 'PracticeIntroduction', { practiceCode: practice.code }, 'eventShortNames', links.map((l) => l.eventShortName), practiceAt));
      for (const [eventShortName, dueAt] of Object.entries(events)) {
        items.push(this.introduction(keys.eventIntroduction(eventShortName), 'EventIntroduction', { eventShortName }, 'practiceCodes', [practice.code], dueAt));
      }
    }
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict')) {
        throw new ConflictError(`Practice ${practice.code} or one of its links was written by someone else meanwhile`);
      }
      throw error;
    }
  }

  /**
   * Adds to the introduction waiting for a practice or an event, or starts one due at
   * `dueAt`: a later run's practices join the one already waiting, on its day.
   */
  private introduction(key: { pk: string; sk: string }, entityType: string, identity: Record<string, string>, setName: string, members: string[], dueAt: Date) {
    const names = Object.keys(identity);
    return {
      Update: {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET entityType = :t, ${names.map((n, i) => `#id${i} = :id${i}`).join(', ')}, dueAt = if_not_exists(dueAt, :due), dueShard = :shard ADD #members :members, rev :one`,
        ExpressionAttributeNames: { '#members': setName, ...Object.fromEntries(names.map((n, i) => [`#id${i}`, n])) },
        ExpressionAttributeValues: {
          ':t': entityType,
          ...Object.fromEntries(names.map((n, i) => [`:id${i}`, identity[n]])),
          ':due': dueAt.toISOString(),
          ':shard': dueShard(key.pk, key.sk),
          ':members': new Set(members),
          ':one': 1,
        },
      },
    };
  }
}
