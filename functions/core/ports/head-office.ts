/** Head office: sign-in, sessions, the figures, the audit log, the lists and head office's own actions. */
import type { Link } from '../model.js';
import type { LinkRef } from './partnerships.js';
import type { TokenSpend } from './magic-links.js';

/** Addresses that may sign in to the head-office dashboard. */
export interface HeadOfficeAllowlist {
  includes(email: string): Promise<boolean>;
}

export interface HeadOfficeSession {
  email: string;
  startedAt: string;
  expiresAt: string;
}

/**
 * Head-office sessions: the cookie holds a random id and its signature; the table holds
 * only a keyed hash of the id, so signing out (deleting it) ends the session at once.
 */
export interface SessionStore {
  /** Starts a session for `email` until `expiresAt`, spending the sign-in token in the same write; returns the cookie value. */
  start(email: string, now: Date, expiresAt: Date, spend: TokenSpend): Promise<string>;
  /** The live session a cookie value names; undefined when forged, unknown, ended or expired. */
  find(cookieValue: string, now: Date): Promise<HeadOfficeSession | undefined>;
  end(cookieValue: string): Promise<void>;
}

/** Counters by scope: the running totals (CURRENT) and one item per day of increments. */
export interface MetricsStore {
  /**
   * Adds `deltas` to each scope's running totals and to its day (per-event counters to the
   * totals only: see perEventCounterPrefixes), once per change: a change already applied
   * (a redelivered stream record) is refused, and nothing counted twice.
   */
  apply(changeId: string, day: string, scopes: string[], deltas: Record<string, number>): Promise<'applied' | 'duplicate'>;
  /**
   * apply for many changes at once (a stream batch's), in as few writes as it takes; each
   * change's outcome in order. On failure none or some are applied: apply them all again.
   */
  applyAll(changes: readonly MetricChange[]): Promise<Array<'applied' | 'duplicate'>>;
  /** A scope's running totals and its days from `fromDay` to `toDay` (YYYY-MM-DD), and how many items that took. */
  read(scope: string, fromDay: string, toDay: string): Promise<MetricsRead>;
  /**
   * Adds corrections to a scope's running totals (the rebuild), and to `day` when given
   * (for gauges, so their history reconstructed backwards stays as it was).
   */
  correct(scope: string, day: string | undefined, corrections: Record<string, number>): Promise<void>;
}

/** Every item of some entities, page by page: for the metrics rebuild only, never on a request path or in a job. */
export interface TableScan {
  entities(entityTypes: readonly string[]): AsyncIterable<Array<Record<string, unknown>>>;
}

/** One change's additions to the figures: `deltas` in each scope's totals and its `day`. */
export interface MetricChange {
  /** Unique per change and the same on redelivery. */
  id: string;
  day: string;
  scopes: string[];
  deltas: Record<string, number>;
}

export interface MetricsRead {
  current: Record<string, number>;
  days: Array<{ day: string; values: Record<string, number> }>;
  itemsRead: number;
}

/** One action taken through a magic link or by head office: who, what, when, on which link. */
export interface AuditEntry {
  /** The link id (`A81001.bushy`), or an event or address for actions not about a link. */
  subject: string;
  at: string;
  /** Who acted: the address the link was sent to, or the head-office user. */
  actor: string;
  role?: string;
  /** What, as a purpose (`in-touch`, `takeover-accept`) or a head-office action (`head-office-contact`). */
  action: string;
  /** Stable for the same action, so recording it twice keeps one entry. */
  id: string;
  /** What changed, in words: "added Sarah Okafor <sarah@parkrun.example>". */
  detail?: string;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** A subject's entries, newest first. */
  ofSubject(subject: string, limit: number): Promise<AuditEntry[]>;
}

/** The by-status index attributes an item carries, as the stream shows them. */
export interface ListedAt {
  statusKey?: unknown;
  placeKey?: unknown;
}

/** Head office's lists: links by status within a place, a page at a time. */
export interface LinkLists {
  /**
   * Keeps the link's entry in the by-status index in step with its status and place; a
   * no-op when it already is. `listed` is where the item says it is listed now (from the
   * stream image), when known: an entry already in step then costs no request at all.
   */
  place(link: Pick<Link, 'practiceCode' | 'eventShortName' | 'status'>, placeKey: string, listed?: ListedAt): Promise<void>;
  /** Links with `status` whose place starts with `placePrefix` (`England#London#`), `limit` at a time, from `cursor`. */
  byStatus(status: string, placePrefix: string, limit: number, cursor?: string): Promise<{ links: Link[]; next?: string }>;
}

/** What head office does on a link from the dashboard. */
export interface HeadOfficeActions {
  /**
   * Records contact on the link (by head office), with a history entry and an audit entry,
   * all or nothing; `requestId` (from the form) makes a second submission a no-op.
   */
  logContact(link: LinkRef, contact: { at: Date; how?: string; recordedAt: Date; moveLastContact: boolean }, actor: string, dueAt: Date, requestId: string): Promise<'done' | 'already-done'>;
  /** Records a request to send the link's introduction again (the fresh-link watcher mails it), with an audit entry; once per `requestId`. */
  requestIntroduction(link: LinkRef, actor: string, requestId: string, at: Date): Promise<'done' | 'already-done'>;
}
