/**
 * How each entity is laid out in the one table: its keys and its attributes. The access
 * patterns these keys serve are listed in docs/data-model.md; keep the two in step.
 */
import type { Link, ParkrunEvent, Practice, Registration } from '../../core/model.js';

export const keys = {
  event: (shortName: string) => ({ pk: `EVENT#${shortName}`, sk: 'EVENT' }),
  practice: (code: string) => ({ pk: `PRACTICE#${code}`, sk: 'PRACTICE' }),
  link: (practiceCode: string, eventShortName: string) => ({ pk: `PRACTICE#${practiceCode}`, sk: `LINK#${eventShortName}` }),
  registration: (id: string) => ({ pk: `REGISTRATION#${id}`, sk: 'REGISTRATION' }),
  message: (idempotencyKey: string) => ({ pk: `MESSAGE#${idempotencyKey}`, sk: 'MESSAGE' }),
  preferences: (email: string) => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: 'PREFERENCES' }),
  rateWindow: (key: string, windowStart: number) => ({ pk: `RATE#${key}`, sk: `WINDOW#${windowStart}` }),
  handover: (id: string) => ({ pk: `HANDOVER#${id}`, sk: 'HANDOVER' }),
  freshLinkRequest: (id: string) => ({ pk: `LINKREQUEST#${id}`, sk: 'LINKREQUEST' }),
  /** A link's history: contacts, activities, pauses, hand-overs, in time order. */
  history: (practiceCode: string, eventShortName: string, at: string, id: string) => ({
    pk: `PRACTICE#${practiceCode}`,
    sk: `HISTORY#${eventShortName}#${at}#${id}`,
  }),
  token: (hash: string) => ({ pk: `TOKEN#${hash}`, sk: 'TOKEN' }),
  /** A fixed key read by /health: proves the table answers, whether or not it exists. */
  health: { pk: 'HEALTH', sk: 'HEALTH' },
};

/** gsi1 partitions. */
export const gsi1 = {
  allEvents: 'EVENTS',
  eventLinks: (shortName: string) => `EVENT#${shortName}`,
  practiceHistory: (code: string) => `PRACTICE#${code}`,
};

const keyAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'entityType', 'expiresAt'] as const;

/** The entity's own attributes, without the table's bookkeeping. */
export function strip<T>(item: Record<string, unknown>): T {
  const copy: Record<string, unknown> = { ...item };
  for (const k of keyAttributes) delete copy[k];
  return copy as T;
}

export function eventItem(event: ParkrunEvent) {
  return {
    ...keys.event(event.shortName),
    gsi1pk: gsi1.allEvents,
    gsi1sk: `${event.name.toLowerCase()}#${event.shortName}`,
    entityType: 'Event',
    ...event,
  };
}

export function practiceItem(practice: Practice, at: string) {
  return { ...keys.practice(practice.code), entityType: 'Practice', ...practice, registeredAt: at, updatedAt: at };
}

export function linkItem(link: Link) {
  return {
    ...keys.link(link.practiceCode, link.eventShortName),
    gsi1pk: gsi1.eventLinks(link.eventShortName),
    gsi1sk: `LINK#${link.practiceCode}`,
    entityType: 'Link',
    ...link,
  };
}

export function registrationItem(registration: Registration) {
  return {
    ...keys.registration(registration.id),
    gsi1pk: gsi1.practiceHistory(registration.practice.code),
    gsi1sk: `REGISTRATION#${registration.submittedAt}#${registration.id}`,
    entityType: 'Registration',
    ...registration,
  };
}
