/** A registration's writes: the transaction that records it (and what its refusal means), and the update that marks a link introduced. */
import type { TransactWriteCommandInput } from './document-client.js';
import { ConflictError, LinkAlreadyExistsError } from '../../core/errors.js';
import type { Link, Registration } from '../../core/model.js';
import { contactIndex, dueShard, keys, linkItem, registrationItem, statusKeyOf } from './items.js';
import { cancellationCodes } from './transactions.js';

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

/** The update that marks a link introduced, refused (to be ignored) if it was introduced already or has moved on since. */
export function introducedUpdate(
  tableName: string,
  link: Pick<Link, 'practiceCode' | 'eventShortName' | 'registrationId' | 'initialContact'>,
  at: Date,
  dueAt: Date,
) {
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
  return {
    TableName: tableName,
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
  };
}
