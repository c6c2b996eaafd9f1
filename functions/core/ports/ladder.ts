/** The quiet-link ladder and the directors' digests: what the sweep reads and writes, and what it counts. */
import type { Link, Period, PracticeIntroduction, EventIntroduction } from '../model.js';

/** An event director's digest: due when it may next be sent, holding the links needing attention. */
export interface DigestHead {
  email: string;
  name: string;
  /** The event team's address standing in for directors (greeted by its whole name). */
  team?: true;
  eventShortName: string;
  timeZone: string;
  dueAt?: string;
  lastSentAt?: string;
  rev?: number;
}

export interface DigestEntry {
  /**
   * A quiet link waiting for an answer (the default), a practice's takeover offer, the
   * month's feedback summary of an event (`period`), a request to name a first-timer
   * contact because patients are coming, a takeover six weeks ahead, or one just done and
   * not yet told how it went.
   */
  kind?: 'quiet-link' | 'takeover-proposal' | 'feedback-summary' | 'first-timer-contact-needed' | 'new-practice' | 'takeover-coming' | 'takeover-outcome';
  practiceCode: string;
  eventShortName: string;
  takeoverId?: string;
  period?: Period;
  addedAt: string;
}

/**
 * One entry per kind and link in a director's digest; one feedback summary per event and
 * month; one request to name a first-timer contact per event, however many practices'
 * notices found none at once.
 */
export function digestEntryId(e: Pick<DigestEntry, 'kind' | 'practiceCode' | 'eventShortName' | 'period'>): string {
  if (e.kind === 'feedback-summary') return `feedback-summary#${e.eventShortName}#${e.period ?? ''}`;
  if (e.kind === 'first-timer-contact-needed') return `first-timer-contact-needed#${e.eventShortName}`;
  return `${e.kind ?? 'quiet-link'}#${e.practiceCode}.${e.eventShortName}`;
}

export type DueWork =
  | { kind: 'link'; link: Link }
  | { kind: 'digest'; digest: DigestHead }
  | { kind: 'introduce-practice'; intro: PracticeIntroduction }
  | { kind: 'introduce-event'; intro: EventIntroduction };

/** What the quiet-link sweep reads and writes. */
export interface LadderStore {
  /** Pages of work due by `now`, from the sparse due index, oldest first; memory stays one page. */
  dueWork(now: Date): AsyncIterable<DueWork[]>;
  /**
   * Moves a link on the ladder (or just reschedules it) if it has not changed since it was
   * read (its `rev`); false when it has, and nothing was written. `dueAt: undefined` takes
   * the link out of the due index.
   */
  stepLink(link: Link, next: { ladder?: Link['ladder']; status?: Link['status']; atRiskAt?: string; dueAt: Date | undefined }): Promise<boolean>;
  getDigest(email: string): Promise<DigestHead | undefined>;
  /** Adds a link to a director's digest, and makes the digest due at `dueAt` unless it is already due sooner. */
  addToDigest(head: Omit<DigestHead, 'dueAt' | 'lastSentAt' | 'rev'>, entry: DigestEntry, dueAt: Date): Promise<void>;
  digestEntries(email: string): Promise<DigestEntry[]>;
  /**
   * After sending (or finding nothing to send): removes the entries sent, records when, and
   * takes the head out of the due index. If links were added meanwhile, the head stays due
   * at `nextAllowed` (a week on), so they go in the next digest, within the digest interval.
   * With `keepDueAt`, entries not given (kept for later) are waiting: the head stays due then.
   */
  completeDigest(head: DigestHead, entries: DigestEntry[], sentAt: Date | undefined, nextAllowed: Date | undefined, keepDueAt?: Date): Promise<void>;
  /** Puts a digest off until `dueAt` (quiet hours), if unchanged since read. */
  rescheduleDigest(head: DigestHead, dueAt: Date): Promise<boolean>;
  /** An imported introduction has gone out: removed, if unchanged since read (an import that added to it meanwhile leaves it due). */
  completeIntroduction(work: Extract<DueWork, { kind: 'introduce-practice' | 'introduce-event' }>): Promise<boolean>;
}


/**
 * Operational counts for CloudWatch alarms and dashboards (how much mail went out, how
 * people answer, how far quiet links climb), not head office's figures (MetricsStore).
 * Counting never waits and never throws: it must not slow or fail what it counts.
 */
export interface Telemetry {
  /** An email the provider accepted, by its template's name (`quiet-link-nudge`). */
  emailSent(template: string): void;
  /** A magic link used: an answer recorded, by the link's purpose (`in-touch`, `pause`, `unsubscribe`…). */
  answerRecorded(purpose: string): void;
  /** A quiet link moved up the ladder: rungs 1 and 2 nudge the champion, rung 3 marks the link at risk. */
  nudged(rung: number): void;
}
