/** Events, practices, registrations and the links between them: what the registration watcher, the imports and every magic-link action read and write. */
import type { ActivityKey, ActivityRecord, ContactMethod, EventDirector, Handover, Link, ParkrunEvent, PendingRegistration, Practice, Registration, Side } from '../model.js';
import type { EventName } from '../policies/event-names.js';
import type { FeedFields } from '../policies/event-feed.js';
import type { TokenSpend } from './magic-links.js';
import type { AuditEntry } from './head-office.js';

export interface EventDirectory {
  /**
   * The events that exist, keyed by short name; unknown names are simply absent.
   * `consistent` reads the latest write (a first-timer contact named a moment ago).
   */
  getEvents(shortNames: string[], options?: { consistent?: boolean }): Promise<Map<string, ParkrunEvent>>;
  /** Every event, ordered by name, for choosing from. */
  listEvents(): Promise<ParkrunEvent[]>;
  /** Every event's names and place only (a smaller read): for finding an event by its long name, and suggesting the closest. */
  eventNames(): Promise<EventName[]>;
}

/** Head office's writes to the events and their teams: the go-live imports and the dashboard. */
export interface EventRegistry {
  /**
   * Stores an event from the feed: creates it (no directors yet) when `stored` is absent,
   * otherwise sets only the feed's fields, keeping its directors and everything else.
   */
  saveFeedEvent(fields: FeedFields, stored: ParkrunEvent | undefined): Promise<void>;
  /** The event has gone from the feed: kept, with its links, and marked so. */
  markLeftFeed(shortName: string, at: Date): Promise<void>;
  /**
   * Replaces the event's directors, if they are still `previous` (ConflictError if someone
   * changed them since they were read), with an audit entry in the same write.
   */
  replaceTeam(shortName: string, directors: EventDirector[], previous: EventDirector[], audit: Omit<AuditEntry, 'subject'>): Promise<void>;
}

/** A practice from head office's spreadsheet, checked, with the links to add for it. */
export interface ImportedPractice {
  practice: Practice;
  /** The practice is new: stored with its links. Otherwise only `links` are added, and its details stay as on record. */
  isNew: boolean;
  links: Link[];
  /** Quiet-link checks, takeover prompts and feedback asks, per new link: when each first falls due. */
  firstPromptAt: Date;
  firstAskAt: Date;
  /** With --introduce: when the champion's and each event team's introduction fall due. */
  introductions?: { practiceAt: Date; events: Record<string, Date> };
  at: Date;
  actor: string;
}

/** What the practices import reads and writes. */
export interface PracticeImports {
  /** The practice as on record and the events it is linked with already (`undefined` when not on record). */
  existing(practiceCode: string): Promise<{ practice?: Practice; linkedEvents: string[] }>;
  /**
   * Stores the practice (when new), its new links with their first checks, prompt and ask
   * states, history and audit entries, and any introductions: all or nothing. ConflictError
   * when the practice or a link appeared since `existing` was read (a registration racing).
   */
  store(practice: ImportedPractice): Promise<void>;
}

export interface PartnershipStore {
  /** Of the given events, those the practice is already linked with. */
  findLinkedEvents(practiceCode: string, eventShortNames: string[]): Promise<string[]>;
  /**
   * Stores the registration, the practice and a `registered` link per event, all or
   * nothing. Throws LinkAlreadyExistsError if any of the links exists (even one created
   * by a concurrent registration a moment earlier).
   */
  recordRegistration(registration: Registration): Promise<void>;
  /** Creates the link or moves it from `registered` to `introduced`, due for its first quiet check at `dueAt`; no-op if further on. */
  markIntroduced(link: Pick<Link, 'practiceCode' | 'eventShortName' | 'registrationId' | 'initialContact'>, at: Date, dueAt: Date): Promise<void>;
  getPractice(code: string): Promise<Practice | undefined>;
  /** Practices whose champion has this address. */
  practicesByContact(email: string): Promise<Practice[]>;
  /** The practice's contact cannot be reached: the link is flagged and leaves the ladder. */
  markContactLost(link: LinkRef, at: Date): Promise<void>;
  /** A new contact for a link whose contact was lost: active again, back on the ladder from `dueAt`. */
  restoreContact(link: LinkRef, dueAt: Date): Promise<void>;
  /** Many practices in one read, for a sweep page. */
  getPractices(codes: string[]): Promise<Map<string, Practice>>;
  getLink(practiceCode: string, eventShortName: string): Promise<Link | undefined>;
  /**
   * The link, its practice and its event as they are now, read together: what every
   * magic-link page and answer needs, in one request rather than three.
   */
  getLinkContext(practiceCode: string, eventShortName: string): Promise<{ link?: Link; practice?: Practice; event?: ParkrunEvent }>;
  /** Every link of an event (its practices), for an event director's welcome. */
  linksOfEvent(eventShortName: string): Promise<Link[]>;
  /** Every link of a practice, for a champion's welcome. */
  linksOfPractice(practiceCode: string): Promise<Link[]>;
  /** A link's history (contacts, activities, pauses, hand-overs), newest first, at most `limit`. */
  historyOf(link: LinkRef, limit: number): Promise<LinkHistoryEntry[]>;

  // Magic-link actions. Each applies its change, writes a history entry and spends the
  // token in one transaction: all happen or none (TokenUsedError if the token was spent).
  /** Records contact; a newer contact resets the quiet-link ladder. `dueAt`: the link's next quiet check. */
  recordContact(link: LinkRef, contact: ContactRecord, spend: TokenSpend, dueAt: Date): Promise<void>;
  setActivities(link: LinkRef, updates: Partial<Record<ActivityKey, ActivityRecord>>, by: Side, spend: TokenSpend): Promise<void>;
  pause(link: LinkRef, until: Date, by: Side, spend: TokenSpend, dueAt: Date): Promise<void>;
  /** Records a hand-over offered to a successor, with its history entry and the token: the contact stays as it is. */
  offerHandover(handover: Handover, spend: TokenSpend): Promise<void>;
  getHandover(id: string): Promise<Handover | undefined>;
  /**
   * The successor accepts: the champion (on the practice) or the director (on the event) is
   * replaced, if still the one who offered (ConflictError otherwise), and the hand-over marked
   * accepted, with the successor's token: all or nothing.
   */
  acceptHandover(handover: Handover, at: Date, spend: TokenSpend): Promise<void>;
}

/** Registrations waiting for their champion's confirmation, and what head office does about them. */
export interface RegistrationStore {
  /** Stores a registration awaiting confirmation, with an audit entry; nothing else is written. */
  submit(pending: PendingRegistration): Promise<void>;
  get(id: string): Promise<PendingRegistration | undefined>;
  /**
   * Confirms it: marked confirmed, and the registration, its practice and links written as
   * a registration always is (its insert makes the introductions), with the token spent and
   * an audit entry: all or nothing. LinkAlreadyExistsError if one of its links exists by
   * now; ConflictError if it is no longer awaiting confirmation.
   */
  confirm(pending: PendingRegistration, at: Date, by: string, spend: TokenSpend): Promise<void>;
  /** Those awaiting confirmation, submitted since `since`, newest first, at most `limit`. */
  awaiting(since: Date, limit: number): Promise<PendingRegistration[]>;
  /**
   * Head office rejects it as not genuine: marked so, the links it made ended (and out of
   * every job), the champion's address refused for registrations, audited; nobody is told.
   * Once per `requestId`.
   */
  reject(pending: PendingRegistration, at: Date, actor: string, requestId: string): Promise<'done' | 'already-done'>;
  /** Head office refused registrations naming this address. */
  isBlocked(email: string): Promise<boolean>;
}

export interface LinkRef {
  practiceCode: string;
  eventShortName: string;
}

export interface LinkHistoryEntry {
  at: string;
  type: string;
  by?: string;
  how?: string;
  contactAt?: string;
  [detail: string]: unknown;
}

export interface ContactRecord {
  /** When contact happened (may be earlier than now). */
  at: Date;
  by: Side;
  how?: ContactMethod;
  /** False when an older contact is recorded: it goes into the history but does not move lastContactAt back. */
  moveLastContact: boolean;
  recordedAt: Date;
}
