/**
 * Contact recorded on a link, written the same way by every action that counts as
 * contact (a "we're in touch" answer, a feedback answer, and the joint actions of
 * docs/contact.md: takeovers, newcomers, first-timer contacts): the link is active again,
 * its quiet-link ladder starts over, and its next quiet check is set.
 */
import { randomUUID } from 'node:crypto';
import type { JointContact, TakeoverOff } from '../../core/policies/joint-contact.js';
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

/** More of the same update: what an action changes on the link beside the contact. */
export interface LinkAlso {
  sets: string[];
  removes: string[];
  values: Record<string, unknown>;
}

/** The transaction item that records contact on a link, refused if the link is gone or ended. */
export function linkContactUpdate(tableName: string, link: LinkRef, contact: ContactWrite, dueAt: Date, also?: LinkAlso) {
  const contactParts = contactSets(link, contact, dueAt);
  const parts = also
    ? { sets: [...contactParts.sets, ...also.sets], removes: [...contactParts.removes, ...also.removes], values: { ...contactParts.values, ...also.values } }
    : contactParts;
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

/**
 * A joint action's contact (policies/joint-contact.ts): its history entry, then the link's
 * update. The update goes last in the caller's transaction, so the items before it keep
 * their indexes (callers map a refused condition by index), and a refused update (the link
 * gone or ended) is the transaction's last reason.
 */
export function jointContactItems(tableName: string, contact: JointContact) {
  const at = contact.at.toISOString();
  const also: LinkAlso = { sets: [], removes: [], values: {} };
  if (contact.takeoverUntil) {
    also.sets.push('takeoverUntil = :takeoverUntil');
    also.values[':takeoverUntil'] = contact.takeoverUntil;
  } else if (contact.takeoverUntil === null) {
    also.removes.push('takeoverUntil');
  }
  if (contact.activities) {
    also.sets.push('activities = :activities');
    also.values[':activities'] = contact.activities;
  }
  return [
    linkHistoryItem(tableName, contact.link, contact.at, { type: 'contact', by: contact.by, contactAt: at, via: contact.via, ...contact.detail }),
    linkContactUpdate(tableName, contact.link, { at: contact.at, by: contact.by, moveLastContact: true, recordedAt: contact.at }, contact.dueAt, also),
  ];
}

/**
 * A takeover off the link: its day no longer holds the ladder, and the next quiet check is
 * the one computed without it (none: off the due index). Refused only if the link is gone:
 * an ended link may still have its takeover declined or cancelled. Not conditional on the
 * link's `rev`: a check set earlier than needed is harmless (the sweep decides again, and waits).
 */
export function takeoverOffUpdate(tableName: string, off: TakeoverOff) {
  const key = keys.link(off.link.practiceCode, off.link.eventShortName);
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: off.dueAt ? 'SET dueAt = :due, dueShard = :shard REMOVE takeoverUntil ADD rev :one' : 'REMOVE takeoverUntil, dueAt, dueShard ADD rev :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: off.dueAt ? { ':due': off.dueAt.toISOString(), ':shard': dueShard(key.pk, key.sk), ':one': 1 } : { ':one': 1 },
    },
  };
}
