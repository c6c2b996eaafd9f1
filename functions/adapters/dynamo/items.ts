/**
 * How each entity is laid out in the one table: its keys and its attributes. The access
 * patterns these keys serve are listed in docs/data-model.md; keep the two in step.
 */
import { createHash } from 'node:crypto';
import type { FeedbackReport, Link, ParkrunEvent, Practice, Registration } from '../../core/model.js';
import { tableDefinition } from './table-definition.js';

export const keys = {
  event: (shortName: string) => ({ pk: `EVENT#${shortName}`, sk: 'EVENT' }),
  practice: (code: string) => ({ pk: `PRACTICE#${code}`, sk: 'PRACTICE' }),
  link: (practiceCode: string, eventShortName: string) => ({ pk: `PRACTICE#${practiceCode}`, sk: `LINK#${eventShortName}` }),
  registration: (id: string) => ({ pk: `REGISTRATION#${id}`, sk: 'REGISTRATION' }),
  /** A registration awaiting its champion's confirmation (and, once answered, how). */
  pendingRegistration: (id: string) => ({ pk: `PENDING-REGISTRATION#${id}`, sk: 'PENDING-REGISTRATION' }),
  /** Head office refused registrations naming this address (rejected as not genuine). */
  registrationBlock: (email: string) => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: 'REGISTRATION-BLOCK' }),
  message: (idempotencyKey: string) => ({ pk: `MESSAGE#${idempotencyKey}`, sk: 'MESSAGE' }),
  /** An email held for its reader's window, by its idempotency key. */
  heldMessage: (idempotencyKey: string) => ({ pk: `HELD#${idempotencyKey}`, sk: 'HELD' }),
  preferences: (email: string) => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: 'PREFERENCES' }),
  suppression: (email: string) => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: 'SUPPRESSION' }),
  rateWindow: (key: string, windowStart: number) => ({ pk: `RATE#${key}`, sk: `WINDOW#${windowStart}` }),
  handover: (id: string) => ({ pk: `HANDOVER#${id}`, sk: 'HANDOVER' }),
  freshLinkRequest: (id: string) => ({ pk: `LINKREQUEST#${id}`, sk: 'LINKREQUEST' }),
  /** A link's history: contacts, activities, pauses, hand-overs, in time order. */
  history: (practiceCode: string, eventShortName: string, at: string, id: string) => ({
    pk: `PRACTICE#${practiceCode}`,
    sk: `HISTORY#${eventShortName}#${at}#${id}`,
  }),
  token: (hash: string) => ({ pk: `TOKEN#${hash}`, sk: 'TOKEN' }),
  /** An event director's digest: its head (when due, when last sent) and one entry per link. */
  digestHead: (email: string) => ({ pk: `DIGEST#${email.toLowerCase()}`, sk: 'HEAD' }),
  digestEntry: (email: string, linkId: string) => ({ pk: `DIGEST#${email.toLowerCase()}`, sk: `ENTRY#${linkId}` }),
  /** A person's nudge slot: the per-person cap on nudge emails. */
  nudgeSlot: (email: string) => ({ pk: `EMAIL#${email.toLowerCase()}`, sk: 'NUDGE-SLOT' }),
  takeover: (id: string) => ({ pk: `TAKEOVER#${id}`, sk: 'TAKEOVER' }),
  /** One per event and day: its conditional put is what makes a Saturday "taken". */
  takeoverDate: (eventShortName: string, date: string) => ({ pk: `EVENT#${eventShortName}`, sk: `TAKEOVER-DATE#${date}` }),
  takeoverPrompt: (practiceCode: string, eventShortName: string) => ({ pk: `PRACTICE#${practiceCode}`, sk: `TAKEOVER-PROMPT#${eventShortName}` }),
  /** Where a link is in the monthly feedback cycle. */
  feedbackAsk: (practiceCode: string, eventShortName: string) => ({ pk: `PRACTICE#${practiceCode}`, sk: `FEEDBACK-ASK#${eventShortName}` }),
  /** A practice's answer about a month, for one link. */
  feedbackReport: (practiceCode: string, eventShortName: string, period: string) => ({ pk: `PRACTICE#${practiceCode}`, sk: `FEEDBACK#${eventShortName}#${period}` }),
  /** An event's summary of a month's answers, due when it goes to the directors. */
  feedbackSummary: (eventShortName: string, period: string) => ({ pk: `EVENT#${eventShortName}`, sk: `FEEDBACK-SUMMARY#${period}` }),
  /** Patients (a count) planning to come on an event day, per link and day. */
  newcomerPlan: (practiceCode: string, eventShortName: string, date: string) => ({ pk: `PRACTICE#${practiceCode}`, sk: `NEWCOMERS#${eventShortName}#${date}` }),
  /** A director named a first-timer contact: its insert wakes the first-timer watcher. */
  firstTimerNaming: (id: string) => ({ pk: `FIRST-TIMER-NAMING#${id}`, sk: 'FIRST-TIMER-NAMING' }),
  /** A scope's running totals (`CURRENT`) and daily increments (`DAY#<YYYY-MM-DD>`, UK calendar). */
  metric: (scope: string, item: MetricItem) => ({ pk: `METRIC#${scope}`, sk: item }),
  /** That a stream record's change was counted: the guard against counting it twice. */
  metricApplied: (changeId: string) => ({ pk: `METRIC-APPLIED#${changeId}`, sk: 'APPLIED' }),
  /** Head office asked for a link's introduction to be sent again: its insert wakes the fresh-link watcher. */
  introductionRequest: (id: string) => ({ pk: `INTRODUCTION#${id}`, sk: 'INTRODUCTION' }),
  /** A head-office form's one-time id: its conditional put makes a second submission a no-op. */
  headOfficeRequest: (id: string) => ({ pk: `HO-REQUEST#${id}`, sk: 'HO-REQUEST' }),
  /** One entry of the audit log: per link (or address), in time order. */
  audit: (subject: string, at: string, id: string) => ({ pk: `AUDIT#${subject}`, sk: `${at}#${id}` }),
  /** A head-office session, by a keyed hash of the id its cookie holds. */
  session: (hash: string) => ({ pk: `SESSION#${hash}`, sk: 'SESSION' }),
  /** An imported practice's introduction, and an event team's, waiting for their day (the sweep sends them). */
  practiceIntroduction: (practiceCode: string) => ({ pk: `INTRODUCE#PRACTICE#${practiceCode}`, sk: 'INTRODUCE' }),
  eventIntroduction: (eventShortName: string) => ({ pk: `INTRODUCE#EVENT#${eventShortName}`, sk: 'INTRODUCE' }),
  /** A failure kept for running again (`npm run cli -- failures`): few, so one partition, read whole. */
  failure: (id: string) => ({ pk: 'FAILURE', sk: id }),
  /** A fixed key read by /health: proves the table answers, whether or not it exists. */
  health: { pk: 'HEALTH', sk: 'HEALTH' },
};

/** gsi1 partitions. */
export const gsi1 = {
  allEvents: 'EVENTS',
  eventLinks: (shortName: string) => `EVENT#${shortName}`,
  /** An event's feedback reports share its partition, sorted `FEEDBACK#<period>#<practice>`. */
  eventFeedback: (shortName: string) => `EVENT#${shortName}`,
  practiceHistory: (code: string) => `PRACTICE#${code}`,
  contact: (email: string) => `CONTACT#${email.toLowerCase()}`,
  /** Registrations awaiting confirmation, by when they came: head office's list. */
  awaitingRegistrations: 'REGISTRATIONS#AWAITING',
};

const keyAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'entityType', 'expiresAt', 'dueShard', 'statusKey', 'placeKey'] as const;

/** The jobs that read the due index, each from its own partitions. */
export type DueJob = 'DUE' | 'PROMPT' | 'FEEDBACK' | 'HELD';

/**
 * The due-index partition for an item: the job's prefix (`DUE` for the quiet-link sweep,
 * `PROMPT` for takeover planning prompts, `FEEDBACK` for the monthly feedback asks and
 * summaries, `HELD` for mail held for its reader's window) and a stable hash of the key, so each job reads only its own work and
 * writes spread over the shards.
 */
export function dueShard(pk: string, sk: string, job: DueJob = 'DUE'): string {
  const n = createHash('sha1').update(`${pk}|${sk}`).digest().readUInt32BE(0) % tableDefinition.due.shards;
  return `${job}#${n}`;
}

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
  return { ...keys.practice(practice.code), ...contactIndex(practice), entityType: 'Practice', ...practice, registeredAt: at, updatedAt: at };
}

/** Practices by their champion's address, so a bounce can find whose contact was lost. */
/** A month's feedback answer, under its practice and in its event's month (the summary's index). */
export function feedbackReportItem(report: FeedbackReport) {
  return {
    ...keys.feedbackReport(report.practiceCode, report.eventShortName, report.period),
    gsi1pk: gsi1.eventFeedback(report.eventShortName),
    gsi1sk: `FEEDBACK#${report.period}#${report.practiceCode}`,
    entityType: 'FeedbackReport',
    ...report,
  };
}

export const contactIndex = (practice: Practice) => ({ gsi1pk: gsi1.contact(practice.champion.email), gsi1sk: `PRACTICE#${practice.code}` });

/**
 * A link's key in head office's by-status lists. Every write that changes a link's status
 * sets it too, so the head-office watcher has to write only a new link's place.
 */
/** A scope's running totals, its per-event totals (see perEventCounterPrefixes), or one day's increments. */
export type MetricItem = 'CURRENT' | 'CURRENT#EVENTS' | `DAY#${string}`;

export const statusKeyOf = (status: string) => `STATUS#${status}`;

export function linkItem(link: Link) {
  const key = keys.link(link.practiceCode, link.eventShortName);
  return {
    ...key,
    gsi1pk: gsi1.eventLinks(link.eventShortName),
    gsi1sk: `LINK#${link.practiceCode}`,
    entityType: 'Link',
    statusKey: statusKeyOf(link.status),
    ...(link.dueAt ? { dueShard: dueShard(key.pk, key.sk) } : {}),
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
