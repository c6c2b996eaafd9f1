import { cancellationCodes } from './transactions.js';
import {
  DeleteCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DocumentClient,
} from './document-client.js';
import type { EventIntroduction, Link, PracticeIntroduction } from '../../core/model.js';
import { digestEntryId, type DigestEntry, type DigestHead, type DueWork, type LadderStore, type BudgetSlots } from '../../core/ports.js';
import type { BudgetSlot } from '../../core/policies/mail-budget.js';
import { isConditionalCheckFailed } from './document-client.js';
import { dueShard, keys, statusKeyOf, strip } from './items.js';
import { dueItems } from './due-index.js';
import { queryAll } from './query-all.js';

/**
 * The sweep's view of the table. Due work is read from the sparse `due` index shard by
 * shard, a page at a time, so memory does not grow with the number of links; every
 * write is conditional on what was read, so two sweeps at once, or a sweep racing a
 * person's answer, never undo each other.
 */
export class DynamoLadderStore implements LadderStore, BudgetSlots {
  /** Items read from the due index, for benchmarks. */
  itemsRead = 0;
  readUnits = 0;

  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
    private readonly pageSize = 100,
  ) {}

  async *dueWork(now: Date): AsyncIterable<DueWork[]> {
    const count = (items: number, units: number) => {
      this.itemsRead += items;
      this.readUnits += units;
    };
    for await (const items of dueItems(this.doc, this.tableName, 'DUE', now, count, this.pageSize)) {
      const page: DueWork[] = items.flatMap((item): DueWork[] => {
        if (item.entityType === 'Link') return [{ kind: 'link', link: strip<Link>(item) }];
        if (item.entityType === 'DigestHead') return [{ kind: 'digest', digest: strip<DigestHead>(item) }];
        // String sets come back as Sets: the domain has lists.
        if (item.entityType === 'PracticeIntroduction') {
          const intro = strip<PracticeIntroduction & { eventShortNames: Iterable<string> }>(item);
          return [{ kind: 'introduce-practice', intro: { ...intro, eventShortNames: [...intro.eventShortNames].sort() } }];
        }
        if (item.entityType === 'EventIntroduction') {
          const intro = strip<EventIntroduction & { practiceCodes: Iterable<string> }>(item);
          return [{ kind: 'introduce-event', intro: { ...intro, practiceCodes: [...intro.practiceCodes].sort() } }];
        }
        return [];
      });
      if (page.length > 0) yield page;
    }
  }

  async stepLink(link: Link, next: { ladder?: Link['ladder']; status?: Link['status']; atRiskAt?: string; dueAt: Date | undefined }): Promise<boolean> {
    const key = keys.link(link.practiceCode, link.eventShortName);
    const sets: string[] = [];
    const values: Record<string, unknown> = { ':one': 1 };
    const names: Record<string, string> = {};
    if (next.ladder) {
      sets.push('ladder = :ladder');
      values[':ladder'] = next.ladder;
    }
    if (next.status) {
      sets.push('#status = :status', 'statusKey = :statusKey');
      names['#status'] = 'status';
      values[':status'] = next.status;
      values[':statusKey'] = statusKeyOf(next.status);
    }
    if (next.atRiskAt) {
      sets.push('atRiskAt = :atRiskAt');
      values[':atRiskAt'] = next.atRiskAt;
    }
    if (next.dueAt) {
      sets.push('dueAt = :due', 'dueShard = :shard');
      values[':due'] = next.dueAt.toISOString();
      values[':shard'] = dueShard(key.pk, key.sk);
    }
    const condition = link.rev === undefined ? 'attribute_not_exists(rev)' : 'rev = :rev';
    if (link.rev !== undefined) values[':rev'] = link.rev;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `${sets.length ? `SET ${sets.join(', ')} ` : ''}${next.dueAt ? '' : 'REMOVE dueAt, dueShard '}ADD rev :one`,
          ConditionExpression: `attribute_exists(pk) AND ${condition}`,
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async completeIntroduction(work: Extract<DueWork, { kind: 'introduce-practice' | 'introduce-event' }>): Promise<boolean> {
    const key = work.kind === 'introduce-practice' ? keys.practiceIntroduction(work.intro.practiceCode) : keys.eventIntroduction(work.intro.eventShortName);
    try {
      await this.doc.send(
        new DeleteCommand({ TableName: this.tableName, Key: key, ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': work.intro.rev ?? 0 } }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async getDigest(email: string): Promise<DigestHead | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.digestHead(email), ConsistentRead: true }));
    return out.Item ? strip<DigestHead>(out.Item) : undefined;
  }

  async addToDigest(head: Omit<DigestHead, 'dueAt' | 'lastSentAt' | 'rev'>, entry: DigestEntry, dueAt: Date): Promise<void> {
    const headKey = keys.digestHead(head.email);
    const linkId = digestEntryId(entry);
    // First as the due time, if none is set or the one set is later (a takeover offer brings
    // the digest forward); failing that condition, the same writes keeping the sooner time.
    const write = (bringForward: boolean) =>
      this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { ...keys.digestEntry(head.email, linkId), entityType: 'DigestEntry', ...entry } } },
            {
              Update: {
                TableName: this.tableName,
                Key: headKey,
                UpdateExpression: `SET entityType = :t, email = :email, #name = :name, eventShortName = :event, #tz = :tz, dueAt = ${bringForward ? ':due' : 'if_not_exists(dueAt, :due)'}, dueShard = :shard${head.team ? ', team = :team' : ''} ${head.team ? '' : 'REMOVE team '}ADD rev :one`,
                ...(bringForward ? { ConditionExpression: 'attribute_not_exists(dueAt) OR dueAt > :due' } : {}),
                ExpressionAttributeNames: { '#name': 'name', '#tz': 'timeZone' },
                ExpressionAttributeValues: {
                  ':t': 'DigestHead',
                  ':email': head.email.toLowerCase(),
                  ':name': head.name,
                  ':event': head.eventShortName,
                  ':tz': head.timeZone,
                  ':due': dueAt.toISOString(),
                  ':shard': dueShard(headKey.pk, headKey.sk),
                  ':one': 1,
                  ...(head.team ? { ':team': true } : {}),
                },
              },
            },
          ],
        }),
      );
    try {
      await write(true);
    } catch (error) {
      if (cancellationCodes(error)?.[1] !== 'ConditionalCheckFailed') throw error;
      await write(false);
    }
  }

  async digestEntries(email: string): Promise<DigestEntry[]> {
    return queryAll<DigestEntry>(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': keys.digestHead(email).pk, ':entry': 'ENTRY#' },
      ConsistentRead: true,
    });
  }

  async completeDigest(head: DigestHead, entries: DigestEntry[], sentAt: Date | undefined, nextAllowed: Date | undefined, keepDueAt?: Date): Promise<void> {
    // When it went, first: a run that stops after clearing the entries leaves a head still
    // due with nothing in it, and the next run completes it without sending; the digest interval
    // must still know a digest went. Not `rev`: only the completion below is conditional.
    if (sentAt) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.digestHead(head.email),
          UpdateExpression: 'SET lastSentAt = :sent',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':sent': sentAt.toISOString() },
        }),
      );
    }
    // Then the entries: if this stops half way, the head is still due and the next run finishes.
    // Each goes only if unchanged since read: an entry written again meanwhile (a new offer
    // for the same link) stays for the next digest.
    for (const e of entries) {
      try {
        await this.doc.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: keys.digestEntry(head.email, digestEntryId(e)),
            ConditionExpression: 'addedAt = :added',
            ExpressionAttributeValues: { ':added': e.addedAt },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.digestHead(head.email),
          UpdateExpression: keepDueAt
            ? `SET ${sentAt ? 'lastSentAt = :sent, ' : ''}dueAt = :keep ADD rev :one`
            : `${sentAt ? 'SET lastSentAt = :sent ' : ''}REMOVE dueAt, dueShard ADD rev :one`,
          ConditionExpression: 'rev = :rev',
          ExpressionAttributeValues: { ':one': 1, ':rev': head.rev ?? 0, ...(sentAt ? { ':sent': sentAt.toISOString() } : {}), ...(keepDueAt ? { ':keep': keepDueAt.toISOString() } : {}) },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      // A link was added meanwhile. Its entry survives (only those read were deleted); the
      // head stays due, a week on when this run sent a digest, so the cap holds and the
      // next digest has a new due time, and so a new idempotency key. Or another run sent
      // this very digest and completed it first: the head is no longer due, and stays so.
      if (sentAt && nextAllowed) {
        try {
          await this.doc.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: keys.digestHead(head.email),
              UpdateExpression: 'SET lastSentAt = :sent, dueAt = :next ADD rev :one',
              ConditionExpression: 'attribute_exists(dueAt)',
              ExpressionAttributeValues: { ':sent': sentAt.toISOString(), ':next': nextAllowed.toISOString(), ':one': 1 },
            }),
          );
        } catch (again) {
          if (!isConditionalCheckFailed(again)) throw again;
        }
      }
    }
  }

  async rescheduleDigest(head: DigestHead, dueAt: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.digestHead(head.email),
          UpdateExpression: 'SET dueAt = :due ADD rev :one',
          ConditionExpression: 'rev = :rev',
          ExpressionAttributeValues: { ':due': dueAt.toISOString(), ':one': 1, ':rev': head.rev ?? 0 },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async read(email: string): Promise<BudgetSlot | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.nudgeSlot(email), ConsistentRead: true }));
    const item = out.Item;
    if (!item?.lastNudgeAt) return undefined;
    // A slot written before the monthly count existed counts as the first of its month.
    return { lastAt: String(item.lastNudgeAt), key: String(item.slotKey ?? ''), month: String(item.month ?? String(item.lastNudgeAt).slice(0, 7)), inMonth: Number(item.inMonth ?? 1) };
  }

  async write(email: string, next: BudgetSlot, seen: BudgetSlot | undefined): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.nudgeSlot(email),
          UpdateExpression: 'SET entityType = :t, lastNudgeAt = :at, slotKey = :key, #month = :month, inMonth = :inMonth',
          // Only over the slot this send read: a send to the same person meanwhile changed lastNudgeAt.
          ConditionExpression: seen ? 'lastNudgeAt = :seenAt AND slotKey = :seenKey' : 'attribute_not_exists(lastNudgeAt)',
          ExpressionAttributeNames: { '#month': 'month' },
          ExpressionAttributeValues: {
            ':t': 'NudgeSlot',
            ':at': next.lastAt,
            ':key': next.key,
            ':month': next.month,
            ':inMonth': next.inMonth,
            ...(seen ? { ':seenAt': seen.lastAt, ':seenKey': seen.key } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
