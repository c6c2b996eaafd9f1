/**
 * Ports: what the use cases need from the outside world. Adapters in functions/adapters
 * implement them; tests use the in-memory versions in test/support.
 */
import type { BudgetSlot } from './policies/mail-budget.js';
import type {
  ActivityKey,
  ActivityRecord,
  ContactMethod,
  EventDirector,
  EmailKind,
  FeedbackAskState,
  FeedbackReport,
  FeedbackSummaryState,
  FirstTimerCandidate,
  FreshLinkRequest,
  Handover,
  Link,
  LinkHolder,
  NewcomerPlan,
  Period,
  MailKind,
  OptOutScope,
  ParkrunEvent,
  PendingRegistration,
  Practice,
  PracticeIntroduction,
  EventIntroduction,
  Registration,
  Side,
  Takeover,
  TakeoverPromptState,
  TokenPurpose,
} from './model.js';
import type { AnswerLinkSpec } from './magic-links.js';
import type { EventName } from './policies/event-names.js';
import type { FeedFields } from './policies/event-feed.js';
import type { Audience } from './policies/quiet-hours.js';
import type { JointContact, TakeoverOff } from './policies/joint-contact.js';

export interface Clock {
  now(): Date;
}

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

export interface MessageLogEntry {
  kind: MailKind;
  template: string;
  to: string;
  practiceCode?: string;
  eventShortName?: string;
}

/** `claimId` names this claim: only its holder may finish the message. */
export type ClaimResult = { outcome: 'claimed'; claimId: string } | { outcome: 'already-done' } | { outcome: 'in-flight' };

/**
 * The outbox ledger: one record per intended email, keyed by an idempotency key. It is
 * both the guard that makes a send happen once and the message log.
 */
export interface OutboxLedger {
  /** Takes the send lease unless the message was sent (or suppressed) already or another worker holds a live lease. */
  claim(key: string, entry: MessageLogEntry, now: Date, leaseMs: number): Promise<ClaimResult>;
  /** The finishing writes succeed only for the claim's holder: a worker whose lease ran out cannot overwrite another's result. */
  markSent(key: string, claimId: string, result: { messageId: string; subject: string }, at: Date): Promise<void>;
  markSuppressed(key: string, claimId: string, at: Date): Promise<void>;
  /** Gives the lease back after a failed send, so the next attempt can claim it at once. */
  markFailed(key: string, claimId: string, error: string, at: Date): Promise<void>;
}

/** Whose window an email waits for: `policies/quiet-hours.ts`, in the event's time zone. */
export interface MailWindow {
  audience: Audience;
  timeZone: string;
}

/** Where in a held view a link's URL goes: a path to a value, and the link's name. */
export interface LinkSlot {
  path: Array<string | number>;
  link: string;
}

/**
 * An email that arrived outside its reader's window, held whole until it opens. Its answer
 * links are issued only when it goes, so they last their full time; until then the view
 * has an empty value in each link's slot.
 */
export interface HeldMessage {
  idempotencyKey: string;
  kind: MailKind;
  to: string;
  template: string;
  links: Record<string, AnswerLinkSpec>;
  view: Record<string, unknown>;
  /** Where each link's URL goes: only there, never inside text. */
  slots?: LinkSlot[];
  reason: string;
  practiceCode?: string;
  eventShortName?: string;
  window: MailWindow;
  /** Sent only while the recipient is still a contact of this event (see MailRequest.toDirectorOf). */
  toDirectorOf?: string;
  /** When the window opens (or the reader's budget frees): the held-mail job sends it on its first run from then. */
  sendAt: string;
  /** Counts against its reader's budget (policies/mail-budget.ts): due with others, it goes in one round-up. */
  unasked?: true;
  /** When it was first held: a round-up lists parts of the same rank oldest first. */
  heldAt?: string;
  /** Not worth sending after this (MailRequest.staleAfter): dropped if still held then. */
  staleAfter?: string;
}

export interface HeldMail {
  /** False when a message with this key is held already (a trigger fired twice). */
  hold(message: HeldMessage): Promise<boolean>;
  /** Held messages whose window has opened by `now`, a page at a time. */
  due(now: Date): AsyncIterable<HeldMessage[]>;
  release(idempotencyKey: string): Promise<void>;
  /** Moves a held message's send time (its reader's budget is spent until then). */
  postpone(idempotencyKey: string, sendAt: Date): Promise<void>;
}

export interface EmailPreferences {
  /** Kinds this address has stopped; `all` stops every kind. */
  stopped: OptOutScope[];
  updatedAt?: string;
}

export interface OptOutStore {
  /** Stopped by the person's choice, or suppressed after a bounce or complaint. */
  isOptedOut(email: string, kind: EmailKind): Promise<boolean>;
  /** Bounced for good or complained: no mail at all, not even mail they ask for. */
  isSuppressed(email: string): Promise<boolean>;
  getPreferences(email: string): Promise<EmailPreferences>;
  /** Stops all mail to an address that bounced for good or complained; kept apart from the person's own choices, which cannot undo it. */
  suppress(email: string, reason: 'bounce' | 'complaint', at: Date): Promise<void>;
  /** Replaces the address's preferences and updates the token that allowed it, in one transaction. */
  setPreferences(email: string, stopped: OptOutScope[], at: Date, source: string, spend: TokenSpend): Promise<void>;
}

// In the model, so magic-links.ts need not import the ports (which import it); here too for the adapters.
export type { TokenPurpose } from './model.js';

export interface TokenGrant {
  purpose: TokenPurpose;
  /** What the token acts on: a link id (`A81001.bushy`) for answers, the address for unsubscribe. */
  subject: string;
  recipient: string;
  /** Whom an answer link was issued to; absent for unsubscribe. */
  role?: LinkHolder;
  /** What else the link is about, such as `{ takeoverId }`: part of the grant, not of the URL, so it cannot be changed. */
  detail?: Record<string, string>;
  expiresAt: Date;
}

export type TokenState = 'valid' | 'used' | 'expired';

export interface TokenLookup {
  grant: TokenGrant;
  state: TokenState;
  usedAt?: Date;
  /** Opaque reference to the stored token, for spending it. */
  ref: string;
}

/**
 * Spending (single use) or touching (reusable) a token inside the write that applies its
 * action: which one, its purpose decides (magic-links.ts singleUseLinks), so what a link
 * does when used is declared once, and emails that say so read the same table.
 */
export interface TokenSpend {
  ref: string;
  purpose: TokenPurpose;
  now: Date;
}

export interface LinkTokens {
  /** Returns the raw token; only its keyed hash is stored. */
  issue(grant: TokenGrant, now: Date): Promise<string>;
  /** Several at once, in one write where the store allows: an email's links, in order. */
  issueAll(grants: TokenGrant[], now: Date): Promise<string[]>;
  /** What a token grants and whether it is still usable; undefined when unknown or tampered. */
  lookup(token: string, now: Date): Promise<TokenLookup | undefined>;
}

/** Fresh-link requests, recorded by the API and mailed by the fresh-link watcher. */
export interface FreshLinkRequests {
  record(request: FreshLinkRequest): Promise<void>;
}

export interface RateLimiter {
  /** Counts one use of `key` in the current window; false (and not counted) once `limit` is reached. */
  take(key: string, limit: number, windowMs: number, now: Date): Promise<boolean>;
  /**
   * Counts one use of every counter, or of none: -1 when all were under their limits (and
   * are now counted), else the index of the first that was at its limit (nothing counted).
   */
  takeAll(counters: ReadonlyArray<{ key: string; limit: number; windowMs: number }>, now: Date): Promise<number>;
}

export interface OutgoingEmail {
  to: string;
  from: string;
  replyTo: string;
  subject: string;
  text: string;
  html: string;
  headers: Array<{ name: string; value: string }>;
  /**
   * What the email is, for the mail service's own records (SES message tags: in bounce and
   * complaint events, and per-tag sending figures): `kind`, `template` (for a round-up,
   * `round-up`, with its parts' templates in `parts`) and `budget` (`unasked` or `outside`).
   * Values are letters, digits, `-` and `_` only, as SES requires.
   */
  tags: Array<{ name: string; value: string }>;
}

/** The wire to the mail service (SES in AWS, the local mailbox in development). */
export interface MailTransport {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

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

/** The per-person budget (policies/mail-budget.ts): one unasked email per person per period. */
/** Each person's budget of unasked email as stored; the policy that spends it is policies/mail-budget.ts spendSlot. */
export interface BudgetSlots {
  read(email: string): Promise<BudgetSlot | undefined>;
  /** Writes the slot if it is still `seen` (absent: only if there is none); false, and nothing written, if it changed. */
  write(email: string, next: BudgetSlot, seen: BudgetSlot | undefined): Promise<boolean>;
}

/** The jobs a one-time reminder can wake. */
export type ReminderJob = 'takeover-reminder' | 'first-timer-notice';

export interface ReminderRequest {
  /**
   * Deterministic, from what the reminder is for (e.g. takeover, which reminder, date):
   * scheduling the same reminder twice is harmless, and cancelling can name it.
   */
  name: string;
  at: Date;
  /** The event's time zone: the schedule fires at this local time. */
  timeZone: string;
  job: ReminderJob;
  payload: Record<string, string>;
}

/** One-time reminders at a date: EventBridge Scheduler in AWS, the local scheduler locally. */
export interface Reminders {
  /** Creates the reminder; one that exists already is left as it is. */
  schedule(reminder: ReminderRequest): Promise<void>;
  /** Deletes the reminder; one that has gone already (fired, or cancelled) is fine. */
  cancel(name: string): Promise<void>;
}

/** Takeovers, the days they hold, and when each link's champion may next be invited to plan one. */
export interface TakeoverStore {
  /** Pages of prompt states due by `now`, from the due index's own PROMPT partition. */
  promptsDue(now: Date): AsyncIterable<TakeoverPromptState[]>;
  getPromptState(link: LinkRef): Promise<TakeoverPromptState | undefined>;
  /** Writes the state if unchanged since read (`rev`); false, and nothing written, if it changed. */
  savePromptState(state: TakeoverPromptState): Promise<boolean>;
  /** Days already fixed for takeovers at an event. */
  takenDates(eventShortName: string): Promise<string[]>;
  getTakeover(id: string): Promise<Takeover | undefined>;
  /**
   * Stores a new proposal, marks the link's prompt state planned (refused if it already
   * is) and due for a look at `checkAt`, records `contact` on the link (with its takeover
   * day; NotFoundError if the link has ended) and spends the token: all or nothing.
   */
  propose(takeover: Takeover, spend: TokenSpend, checkAt: Date, contact: JointContact): Promise<void>;
  /** An offer no director answered: declined on their behalf, with `reason`, and `off` the link if given; no token involved. */
  expireOffer(takeover: Takeover, reason: string, at: Date, nextPromptAt: Date, off?: TakeoverOff): Promise<void>;
  /**
   * Fixes a proposed takeover on `date`: holds the day for this practice (DateTakenError if
   * another practice has it), marks the reminders pending, records `contact` on the link
   * (NotFoundError if it has ended), spends the token. All or nothing.
   */
  fix(takeover: Takeover, date: string, at: Date, spend: TokenSpend, contact: JointContact): Promise<void>;
  /** Records which reminders now exist. */
  markReminders(id: string, reminders: Takeover['reminders']): Promise<void>;
  /** Records that a proposed takeover's offer is in the directors' digests; false if it was already, or is no longer proposed. */
  markOffered(id: string, at: Date): Promise<boolean>;
  /**
   * The event directors cannot do any offered day: the choice goes back to the champion,
   * and the link is no longer "planned", so prompts resume at `nextPromptAt` if they do not offer again.
   */
  decline(takeover: Takeover, reason: string, at: Date, spend: TokenSpend, nextPromptAt: Date, off: TakeoverOff): Promise<void>;
  /**
   * Moves a fixed takeover to another free day (DateTakenError if taken): the old day is
   * released, reminders pending again, `contact` recorded on the link (NotFoundError if it has ended).
   */
  move(takeover: Takeover, date: string, at: Date, spend: TokenSpend, contact: JointContact): Promise<void>;
  /** Cancels a fixed takeover: the day is released, the takeover `off` the link, and prompts may come again in a quarter. */
  cancel(takeover: Takeover, at: Date, spend: TokenSpend, nextPromptAt: Date, off: TakeoverOff): Promise<void>;
  recordRoles(takeover: Takeover, filled: NonNullable<Takeover['rolesFilled']>, at: Date, spend: TokenSpend): Promise<void>;
  /** The days an event cannot host a takeover, as its director set them, with the token; refused if they changed since `previous` was read. */
  setUnavailableDates(eventShortName: string, dates: string[], previous: string[] | undefined, spend: TokenSpend): Promise<void>;
  /**
   * Records how it went and moves the prompt state on, and the takeover comes off the link:
   * when it happened, as `contact` (with the activity done); when it did not, as `off`.
   * All in one transaction with the token.
   */
  recordOutcome(takeover: Takeover, outcome: NonNullable<Takeover['outcome']>, at: Date, spend: TokenSpend, nextPromptAt: Date, link: { contact: JointContact } | { off: TakeoverOff }): Promise<void>;
}

/** A link's takeovers, read only: what the page both sides share shows (use-cases/partnership-view.ts). */
export interface LinkTakeovers {
  /** Every takeover the link has had or has planned, oldest first. */
  ofLink(link: LinkRef): Promise<Takeover[]>;
}

export type FeedbackWork = { kind: 'ask'; state: FeedbackAskState } | { kind: 'summary'; state: FeedbackSummaryState };

/** The monthly feedback cycle: asks per link, answers, and each event's summary. */
export interface FeedbackStore {
  /** Pages of asks and summaries due by `now`, from the due index's own FEEDBACK partition. */
  feedbackDue(now: Date): AsyncIterable<FeedbackWork[]>;
  getAskState(link: LinkRef): Promise<FeedbackAskState | undefined>;
  /** Writes the state if unchanged since read (`rev`; absent: only if none exists); false, and nothing written, if it changed. */
  saveAskState(state: FeedbackAskState): Promise<boolean>;
  /** Creates the event's summary for the month, due at `dueAt`, unless it exists already. */
  ensureSummary(state: FeedbackSummaryState): Promise<void>;
  /** The summary was queued for the directors (or had nothing to say): out of the due index. */
  completeSummary(state: FeedbackSummaryState, at: Date): Promise<void>;
  getReport(link: LinkRef, period: Period): Promise<FeedbackReport | undefined>;
  /** What the event's practices reported about the month. */
  reportsOf(eventShortName: string, period: Period): Promise<FeedbackReport[]>;
  /**
   * Stores the answer (replacing an earlier one for the month), records it on the link as
   * contact from the practice (active again, the ladder reset, next quiet check at
   * `dueAt`) with a history entry, and spends the token: all or nothing.
   */
  recordReport(report: FeedbackReport, spend: TokenSpend, dueAt: Date): Promise<void>;
}

/** First-timer contacts (on the event) and the newcomer plans that lead to their details being shared. */
export interface FirstTimerStore {
  /**
   * Names a candidate, replacing any earlier one not yet confirmed, and records the naming
   * (ids only) for the watcher, and `contact` on the link named from if given; with the token.
   */
  nameCandidate(eventShortName: string, candidate: FirstTimerCandidate, spend: TokenSpend, contact?: JointContact): Promise<void>;
  /**
   * The candidate confirms and becomes the contact, replacing the previous one, with
   * `contact` on the link they were named from if given; ConflictError if someone else was
   * named since, or that link ended a moment ago.
   */
  confirm(eventShortName: string, candidateId: string, at: Date, spend: TokenSpend, contact?: JointContact): Promise<void>;
  /** Removes the candidate or the contact with this id, details and all; ConflictError if they were replaced meanwhile. */
  standDown(eventShortName: string, id: string, as: 'candidate' | 'contact', spend: TokenSpend): Promise<void>;
  /** Records that the directors were asked to name a contact; false if they had been already. */
  markAskedForContact(eventShortName: string, at: Date): Promise<boolean>;
  getPlan(link: LinkRef, date: string): Promise<NewcomerPlan | undefined>;
  /** The link's plans for days from `fromDate` on, in date order. */
  plansOf(link: LinkRef, fromDate: string): Promise<NewcomerPlan[]>;
  /**
   * Stores the plan (new, changed or cancelled) and touches the (reusable) token, with
   * `contact` on the link if given (NotFoundError if it has ended).
   */
  savePlan(plan: NewcomerPlan, spend: TokenSpend, contact?: JointContact): Promise<void>;
}

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
