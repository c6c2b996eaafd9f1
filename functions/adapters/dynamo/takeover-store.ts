/** Takeovers and the prompts that suggest them: each action's transaction and what its refusal means, most of its items built by takeover-items.ts. */
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DocumentClient } from './document-client.js';
import { ConflictError, DateTakenError, InvalidTokenError, NotFoundError } from '../../core/errors.js';
import { pendingReminders, type Takeover, type TakeoverPromptState } from '../../core/model.js';
import type { JointContact, TakeoverOff } from '../../core/policies/joint-contact.js';
import type { LinkRef, TakeoverStore, TokenSpend } from '../../core/ports.js';
import { isConditionalCheckFailed } from './document-client.js';
import { keys, strip } from './items.js';
import { jointContactItems, takeoverOffUpdate } from './link-contact.js';
import { tokenSpendItem } from './link-tokens.js';
import { dayHold, dayRelease, plannedPrompt, promptAgain, promptCondition, promptItem, statusUpdate, takeoverItem } from './takeover-items.js';
import { dueItems } from './due-index.js';
import { cancellationCodes } from './transactions.js';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

export class DynamoTakeoverStore implements TakeoverStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly tableName: string,
  ) {}

  async *promptsDue(now: Date): AsyncIterable<TakeoverPromptState[]> {
    for await (const items of dueItems(this.doc, this.tableName, 'PROMPT', now)) yield items.map((item) => strip<TakeoverPromptState>(item));
  }

  async getPromptState(link: LinkRef): Promise<TakeoverPromptState | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.takeoverPrompt(link.practiceCode, link.eventShortName), ConsistentRead: true }),
    );
    return out.Item ? strip<TakeoverPromptState>(out.Item) : undefined;
  }

  async savePromptState(state: TakeoverPromptState): Promise<boolean> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: this.tableName, Item: promptItem(state), ...promptCondition(state) } }] }));
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async takenDates(eventShortName: string): Promise<string[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :d)',
        ExpressionAttributeValues: { ':pk': keys.event(eventShortName).pk, ':d': 'TAKEOVER-DATE#' },
        ProjectionExpression: 'takeoverDate',
      }),
    );
    return (out.Items ?? []).map((i) => String(i.takeoverDate));
  }

  async getTakeover(id: string): Promise<Takeover | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.takeover(id), ConsistentRead: true }));
    return out.Item ? strip<Takeover>(out.Item) : undefined;
  }

  /**
   * Runs a transaction whose first item spends the token. The token refused: used. Another
   * item's condition refused: `onConflict` is given every such item's index, but a refused
   * link update alone (`link`: the last item, a joint action's contact) means the link has
   * ended. Racing another transaction on the same items: a conflict to try again.
   */
  private async transact(items: TransactItems, onConflict: (failed: number[]) => Error, link: 'contact' | 'none' = 'none') {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes) {
        if (codes[0] === 'ConditionalCheckFailed' || codes[0] === 'TransactionConflict') throw new InvalidTokenError('used');
        const failed = codes.flatMap((c, i) => (i > 0 && c === 'ConditionalCheckFailed' ? [i] : []));
        if (link === 'contact' && failed.length === 1 && failed[0] === items.length - 1) throw new NotFoundError('This link has ended since the email was sent.');
        if (failed.length) throw onConflict(failed);
        if (codes.includes('TransactionConflict')) throw new ConflictError('Someone else changed this takeover at the same moment. Please look again.');
      }
      throw error;
    }
  }

  async propose(takeover: Takeover, spend: TokenSpend, checkAt: Date, contact: JointContact): Promise<void> {
    await this.transact(
      [
        tokenSpendItem(this.tableName, spend),
        { Put: { TableName: this.tableName, Item: takeoverItem(takeover), ConditionExpression: 'attribute_not_exists(pk)' } },
        // Planned: no more prompts while the plan stands, and no second plan beside it
        // (each Saturday in a prompt is its own link, and all stay valid for 14 days).
        plannedPrompt(this.tableName, takeover, checkAt),
        // Offering Saturdays is contact from the practice, and holds the ladder until the last one.
        ...jointContactItems(this.tableName, contact),
      ],
      () => new ConflictError('Your practice already has a takeover offered or planned with this event. Use the links in its emails to change it.'),
      'contact',
    );
  }

  async fix(takeover: Takeover, date: string, at: Date, spend: TokenSpend, contact: JointContact): Promise<void> {
    const reminders = pendingReminders();
    await this.transact(
      [
        tokenSpendItem(this.tableName, spend),
        // The day is held by a conditional put: a second practice on the same day is refused here, even in a race.
        dayHold(this.tableName, takeover, date),
        {
          Update: {
            TableName: this.tableName,
            Key: keys.takeover(takeover.id),
            UpdateExpression: 'SET #status = :fixed, #date = :date, reminders = :reminders, updatedAt = :at ADD rev :one',
            ConditionExpression: '#status = :proposed',
            ExpressionAttributeNames: { '#status': 'status', '#date': 'date' },
            ExpressionAttributeValues: { ':fixed': 'fixed', ':proposed': 'proposed', ':date': date, ':reminders': reminders, ':at': at.toISOString(), ':one': 1 },
          },
        },
        // A day fixed is contact from the event, and holds the ladder until that day.
        ...jointContactItems(this.tableName, contact),
      ],
      // Status first: a second director fixing the same offer is told it is fixed, not that the day is taken.
      (failed) =>
        failed.includes(2)
          ? new ConflictError('This takeover has changed since the email was sent: it may already be fixed or cancelled.')
          : new DateTakenError('Another practice already has a takeover on that day at this event. Please choose another Saturday.'),
      'contact',
    );
  }

  async markReminders(id: string, reminders: Takeover['reminders']): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.takeover(id),
        UpdateExpression: 'SET reminders = :r',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':r': reminders },
      }),
    );
  }

  async markOffered(id: string, at: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.takeover(id),
          // Not `rev`: the directors' answers are conditional on it, and this changes nothing they read.
          UpdateExpression: 'SET offeredAt = :at',
          ConditionExpression: '#status = :proposed AND attribute_not_exists(offeredAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': at.toISOString(), ':proposed': 'proposed' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  private changed = () => new ConflictError('This takeover has changed since the email was sent: it may already be answered, moved or cancelled.');

  async decline(takeover: Takeover, reason: string, at: Date, spend: TokenSpend, nextPromptAt: Date, off: TakeoverOff): Promise<void> {
    await this.transact(
      [
        tokenSpendItem(this.tableName, spend),
        statusUpdate(this.tableName, takeover, 'proposed', { status: 'declined', declineReason: reason }, at),
        promptAgain(this.tableName, takeover, nextPromptAt),
        // A decline is not contact: the offer's Saturdays simply stop holding the ladder.
        takeoverOffUpdate(this.tableName, off),
      ],
      this.changed,
    );
  }

  async expireOffer(takeover: Takeover, reason: string, at: Date, nextPromptAt: Date, off?: TakeoverOff): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            statusUpdate(this.tableName, takeover, 'proposed', { status: 'declined', declineReason: reason }, at),
            promptAgain(this.tableName, takeover, nextPromptAt),
            ...(off ? [takeoverOffUpdate(this.tableName, off)] : []),
          ],
        }),
      );
    } catch (error) {
      // The offer answered or changed since it was read, or (with `off`) its link gone: nothing was written either way.
      if (cancellationCodes(error)?.includes('ConditionalCheckFailed')) throw this.changed();
      throw error;
    }
  }

  async move(takeover: Takeover, date: string, at: Date, spend: TokenSpend, contact: JointContact): Promise<void> {
    const reminders = pendingReminders();
    await this.transact(
      [
        tokenSpendItem(this.tableName, spend),
        dayHold(this.tableName, takeover, date),
        dayRelease(this.tableName, takeover, takeover.date!),
        statusUpdate(this.tableName, takeover, 'fixed', { status: 'fixed', date, previousDate: takeover.date, reminders }, at),
        // A move is contact from whichever side made it; the ladder is held until the new day.
        ...jointContactItems(this.tableName, contact),
      ],
      (failed) => (failed.length === 1 && failed[0] === 1 ? new DateTakenError('Another practice already has a takeover on that day at this event. Please choose another Saturday.') : this.changed()),
      'contact',
    );
  }

  async cancel(takeover: Takeover, at: Date, spend: TokenSpend, nextPromptAt: Date, off: TakeoverOff): Promise<void> {
    await this.transact(
      [
        tokenSpendItem(this.tableName, spend),
        dayRelease(this.tableName, takeover, takeover.date!),
        statusUpdate(this.tableName, takeover, 'fixed', { status: 'cancelled' }, at),
        promptAgain(this.tableName, takeover, nextPromptAt),
        // A cancel is not contact: the day simply stops holding the ladder.
        takeoverOffUpdate(this.tableName, off),
      ],
      this.changed,
    );
  }

  async recordRoles(takeover: Takeover, filled: NonNullable<Takeover['rolesFilled']>, at: Date, spend: TokenSpend): Promise<void> {
    await this.transact([tokenSpendItem(this.tableName, spend), statusUpdate(this.tableName, takeover, 'fixed', { rolesFilled: filled }, at)], this.changed);
  }

  async setUnavailableDates(eventShortName: string, dates: string[], previous: string[] | undefined, spend: TokenSpend): Promise<void> {
    await this.transact(
      [
        tokenSpendItem(this.tableName, spend),
        {
          Update: {
            TableName: this.tableName,
            Key: keys.event(eventShortName),
            UpdateExpression: 'SET unavailableDates = :dates',
            // Another director's save in between is not overwritten unseen.
            ConditionExpression: previous === undefined ? 'attribute_exists(pk) AND attribute_not_exists(unavailableDates)' : 'unavailableDates = :previous',
            ExpressionAttributeValues: previous === undefined ? { ':dates': dates } : { ':dates': dates, ':previous': previous },
          },
        },
      ],
      () => new ConflictError('Another director changed these days a moment ago. Nothing was saved; please look again.'),
    );
  }

  async recordOutcome(
    takeover: Takeover,
    outcome: NonNullable<Takeover['outcome']>,
    at: Date,
    spend: TokenSpend,
    nextPromptAt: Date,
    link: { contact: JointContact } | { off: TakeoverOff },
  ): Promise<void> {
    await this.transact(
      [
        tokenSpendItem(this.tableName, spend),
        {
          Update: {
            TableName: this.tableName,
            Key: keys.takeover(takeover.id),
            UpdateExpression: 'SET #status = :status, outcome = :outcome, updatedAt = :at ADD rev :one',
            ConditionExpression: '#status = :fixed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': outcome.happened ? 'done' : 'did-not-happen', ':outcome': outcome, ':fixed': 'fixed', ':at': at.toISOString(), ':one': 1 },
          },
        },
        promptAgain(this.tableName, takeover, nextPromptAt, outcome.happened && takeover.date ? { lastDoneOn: takeover.date } : {}),
        // Done, it is contact: the link is active, the activity done, the ladder starts again.
        // Not done, the day just stops holding the ladder.
        ...('contact' in link ? jointContactItems(this.tableName, link.contact) : [takeoverOffUpdate(this.tableName, link.off)]),
      ],
      () => new ConflictError('This takeover has already been looked back on, or was changed.'),
      'contact' in link ? 'contact' : 'none',
    );
  }
}

