/**
 * Contact recorded on a link, written the same way by every action that counts as
 * contact (a "we're in touch" answer, a takeover that happened, a feedback answer): the
 * link is active again, its quiet-link ladder starts over, and its next quiet check is set.
 */
import { randomUUID } from 'node:crypto';
import type { LinkRef } from '../../core/ports.js';
import { dueShard, keys, statusKeyOf } from './items.js';

export interface ContactWrite {
  at: Date;
  by: string;
  how?: string;
  /** False for an older contact: it goes into the history without moving lastContactAt back. */
  moveLastContact: boolean;
  recordedAt: Date;
}

/**
 * The SET clauses (and REMOVE, if any) and values for recording contact on a link: join
 * them with `updateOf`. Its `#status` name must be mapped to `status`.
 */
export function contactSets(link: LinkRef, contact: ContactWrite, dueAt: Date): { sets: string[]; removes: string[]; values: Record<string, unknown> } {
  const key = keys.link(link.practiceCode, link.eventShortName);
  const sets = ['lastRecordedContactAt = :recordedAt', 'dueAt = :due', 'dueShard = :shard'];
  const values: Record<string, unknown> = {
    ':recordedAt': contact.recordedAt.toISOString(),
    ':due': dueAt.toISOString(),
    ':shard': dueShard(key.pk, key.sk),
  };
  if (contact.moveLastContact) {
    sets.push('#status = :active', 'statusKey = :activeKey', 'lastContactAt = :at', 'lastContactBy = :by', 'ladder = :rung0');
    Object.assign(values, { ':active': 'active', ':activeKey': statusKeyOf('active'), ':rung0': { rung: 0 }, ':at': contact.at.toISOString(), ':by': contact.by });
    if (contact.how) {
      sets.push('lastContactHow = :how');
      values[':how'] = contact.how;
    }
  }
  // A newer contact without a method must not keep the last one's: head office reads "how" from it.
  const removes = contact.moveLastContact && !contact.how ? ['lastContactHow'] : [];
  return { sets, removes, values };
}

/** `SET …` and, when there are any, ` REMOVE …`, as one update expression. */
export const updateOf = (parts: { sets: string[]; removes: string[] }) => `SET ${parts.sets.join(', ')}${parts.removes.length ? ` REMOVE ${parts.removes.join(', ')}` : ''}`;

/** The transaction item that records contact on a link, refused if the link is gone or ended. */
export function linkContactUpdate(tableName: string, link: LinkRef, contact: ContactWrite, dueAt: Date) {
  const parts = contactSets(link, contact, dueAt);
  return {
    Update: {
      TableName: tableName,
      Key: keys.link(link.practiceCode, link.eventShortName),
      UpdateExpression: `${updateOf(parts)} ADD rev :one`,
      ConditionExpression: 'attribute_exists(pk) AND #status <> :ended',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ...parts.values, ':ended': 'ended', ':one': 1 },
    },
  };
}

/** A history entry on the link, in time order under the practice. */
export function linkHistoryItem(tableName: string, link: LinkRef, at: Date, entry: Record<string, unknown>) {
  const iso = at.toISOString();
  return {
    Put: {
      TableName: tableName,
      Item: { ...keys.history(link.practiceCode, link.eventShortName, iso, randomUUID()), entityType: 'LinkHistory', ...link, at: iso, ...entry },
    },
  };
}
