/** A hand-over's DynamoDB items: its offer, the contact it changes (the champion or the event's directors), its acceptance, and what a refusal means. */
import { ConflictError } from '../../core/errors.js';
import type { EventDirector, Handover } from '../../core/model.js';
import { linkHistoryItem } from './link-contact.js';
import { gsi1, keys } from './items.js';
import { cancellationCodes } from './transactions.js';

const linkOf = (handover: Handover) => ({ practiceCode: handover.practiceCode, eventShortName: handover.eventShortName });
const successorOf = (handover: Handover) => ({ name: handover.to.name, role: handover.to.role, email: handover.to.email });

/** The offer and its history entry on the link. */
export function handoverOfferItems(tableName: string, handover: Handover) {
  return [
    { Put: { TableName: tableName, Item: { ...keys.handover(handover.id), entityType: 'Handover', ...handover, status: 'offered' }, ConditionExpression: 'attribute_not_exists(pk)' } },
    linkHistoryItem(tableName, linkOf(handover), new Date(handover.at), { type: 'handover-offered', role: handover.role, from: handover.from, to: handover.to }),
  ];
}

/** The practice's champion handed over, only if the one who offered still is it. */
export function championHandover(tableName: string, handover: Handover, at: Date) {
  const successor = successorOf(handover);
  return {
    Update: {
      TableName: tableName,
      Key: keys.practice(handover.practiceCode),
      UpdateExpression: 'SET champion = :to, updatedAt = :at, gsi1pk = :g1pk',
      ConditionExpression: 'champion.email = :from',
      ExpressionAttributeValues: { ':to': successor, ':at': at.toISOString(), ':from': handover.from.email, ':g1pk': gsi1.contact(successor.email) },
    },
  };
}

/** The event's directors with the one who offered replaced, from the event `item` as just read; ConflictError if they are no longer its contact. */
export function directorsHandover(tableName: string, handover: Handover, item: Record<string, unknown> | undefined) {
  const successor = successorOf(handover);
  const directors = (item?.eventDirectors ?? []) as EventDirector[];
  const teamEmail = String(item?.teamEmail ?? '').toLowerCase();
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
  return {
    Update: {
      TableName: tableName,
      Key: keys.event(handover.eventShortName),
      UpdateExpression: 'SET eventDirectors = :next',
      // Optimistic: the list is replaced only if nobody changed it since it was read.
      ConditionExpression: 'eventDirectors = :old',
      ExpressionAttributeValues: { ':next': next, ':old': directors },
    },
  };
}

/** The offer accepted, and the hand-over's history entry on the link. */
export function handoverAcceptedItems(tableName: string, handover: Handover, at: Date) {
  return [
    {
      Update: {
        TableName: tableName,
        Key: keys.handover(handover.id),
        UpdateExpression: 'SET #status = :accepted, acceptedAt = :at',
        ConditionExpression: '#status = :offered',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':accepted': 'accepted', ':offered': 'offered', ':at': at.toISOString() },
      },
    },
    linkHistoryItem(tableName, linkOf(handover), at, { type: 'handover', role: handover.role, from: handover.from, to: handover.to }),
  ];
}

/** What a cancelled acceptance (token, contact update, then handoverAcceptedItems) means: the contact changed, or accepted already. */
export function handoverRefusal(error: unknown): unknown {
  const codes = cancellationCodes(error);
  if (codes?.[1] === 'ConditionalCheckFailed') return new ConflictError('The contact has changed since the hand-over was offered, so nothing was handed over.');
  if (codes?.[2] === 'ConditionalCheckFailed') return new ConflictError('This hand-over has been accepted already.');
  return error;
}
