/** A takeover's DynamoDB items: its prompt state, the takeover and its status changes, and the day it holds at the event. */
import type { Takeover, TakeoverPromptState } from '../../core/model.js';
import { dueShard, gsi1, keys } from './items.js';

/** A prompt state as its item, one `rev` on from the state as read. */
export function promptItem(state: TakeoverPromptState) {
  const key = keys.takeoverPrompt(state.practiceCode, state.eventShortName);
  const { rev: _rev, ...rest } = state;
  return { ...key, entityType: 'TakeoverPrompt', ...rest, ...(state.dueAt ? { dueShard: dueShard(key.pk, key.sk, 'PROMPT') } : {}), rev: (state.rev ?? 0) + 1 };
}

/** Saving a prompt state: refused unless it is new, or unchanged since read. */
export function promptCondition(state: TakeoverPromptState) {
  return state.rev === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': state.rev } };
}

/**
 * The prompt state set, one `rev` on: planned or not, when it is next due, and the fields in
 * `also`; refused unless `onlyIf` holds, when given.
 */
function promptUpdate(tableName: string, takeover: Takeover, planned: boolean, dueAt: Date, also: Record<string, string> = {}, onlyIf?: { expression: string; values: Record<string, unknown> }) {
  const key = keys.takeoverPrompt(takeover.practiceCode, takeover.eventShortName);
  const extra = Object.entries(also);
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET entityType = :t, practiceCode = :p, eventShortName = :e, planned = :planned, dueAt = :due, dueShard = :shard${extra.map(([name]) => `, ${name} = :${name}`).join('')} ADD rev :one`,
      ...(onlyIf ? { ConditionExpression: onlyIf.expression } : {}),
      ExpressionAttributeValues: {
        ':t': 'TakeoverPrompt',
        ':p': takeover.practiceCode,
        ':e': takeover.eventShortName,
        ':planned': planned,
        ':due': dueAt.toISOString(),
        ':shard': dueShard(key.pk, key.sk, 'PROMPT'),
        ':one': 1,
        ...Object.fromEntries(extra.map(([name, value]) => [`:${name}`, value])),
        ...onlyIf?.values,
      },
    },
  };
}

/** The prompt state with a takeover planned, refused if one is planned already; checked again at `checkAt`. */
export function plannedPrompt(tableName: string, takeover: Takeover, checkAt: Date) {
  return promptUpdate(tableName, takeover, true, checkAt, { takeoverId: takeover.id }, { expression: 'attribute_not_exists(planned) OR planned = :no', values: { ':no': false } });
}

/** The prompt state with no takeover planned: the practice is prompted again at `dueAt` (and `also` recorded, such as the day a takeover was done). */
export function promptAgain(tableName: string, takeover: Takeover, dueAt: Date, also: Record<string, string> = {}) {
  return promptUpdate(tableName, takeover, false, dueAt, also);
}

/** A takeover as its item, in gsi1 under its practice (link-takeovers.ts reads it so). */
export function takeoverItem(takeover: Takeover) {
  return {
    ...keys.takeover(takeover.id),
    gsi1pk: gsi1.practiceHistory(takeover.practiceCode),
    gsi1sk: `TAKEOVER#${takeover.eventShortName}#${takeover.createdAt}`,
    entityType: 'Takeover',
    ...takeover,
  };
}

/** A takeover's status (and the fields in `set`) changed from `from`. */
export function statusUpdate(tableName: string, takeover: Takeover, from: Takeover['status'], set: Record<string, unknown>, at: Date) {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':from': from, ':at': at.toISOString(), ':one': 1 };
  const sets = ['updatedAt = :at'];
  for (const [field, value] of Object.entries(set)) {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  return {
    Update: {
      TableName: tableName,
      Key: keys.takeover(takeover.id),
      UpdateExpression: `SET ${sets.join(', ')} ADD rev :one`,
      // Unchanged since read: a move racing a cancel (or another move) cannot both succeed.
      ConditionExpression: takeover.rev === undefined ? '#status = :from AND attribute_not_exists(rev)' : '#status = :from AND rev = :rev',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: takeover.rev === undefined ? values : { ...values, ':rev': takeover.rev },
    },
  };
}

/** The item whose conditional put holds a day at an event for one takeover. */
export function dayHold(tableName: string, takeover: Takeover, date: string) {
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.takeoverDate(takeover.eventShortName, date), entityType: 'TakeoverDate', takeoverDate: date, takeoverId: takeover.id, practiceCode: takeover.practiceCode },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Releases a day, only if this takeover is the one holding it. */
export function dayRelease(tableName: string, takeover: Takeover, date: string) {
  return {
    Delete: {
      TableName: tableName,
      Key: keys.takeoverDate(takeover.eventShortName, date),
      ConditionExpression: 'takeoverId = :id',
      ExpressionAttributeValues: { ':id': takeover.id },
    },
  };
}
