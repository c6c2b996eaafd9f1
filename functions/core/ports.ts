/**
 * Ports: what the use cases need from the outside world. Adapters in functions/adapters
 * implement them; tests use the in-memory versions in test/support.
 */
import type { EmailKind, Link, OptOutScope, ParkrunEvent, Practice, Registration } from './model.js';

export interface Clock {
  now(): Date;
}

export interface EventDirectory {
  /** The events that exist, keyed by short name; unknown names are simply absent. */
  getEvents(shortNames: string[]): Promise<Map<string, ParkrunEvent>>;
  /** Every event, ordered by name, for choosing from. */
  listEvents(): Promise<ParkrunEvent[]>;
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
  /** Creates the link or moves it from `registered` to `introduced`; no-op if further on. */
  markIntroduced(link: Pick<Link, 'practiceCode' | 'eventShortName' | 'registrationId' | 'initialContact'>, at: Date): Promise<void>;
  getPractice(code: string): Promise<Practice | undefined>;
  getLink(practiceCode: string, eventShortName: string): Promise<Link | undefined>;
}

export interface MessageLogEntry {
  kind: EmailKind;
  template: string;
  to: string;
  practiceCode?: string;
  eventShortName?: string;
}

export type ClaimResult = 'claimed' | 'already-done' | 'in-flight';

/**
 * The outbox ledger: one record per intended email, keyed by an idempotency key. It is
 * both the guard that makes a send happen once and the message log.
 */
export interface OutboxLedger {
  /** Takes the send lease unless the message was sent (or suppressed) already or another worker holds a live lease. */
  claim(key: string, entry: MessageLogEntry, now: Date, leaseMs: number): Promise<ClaimResult>;
  markSent(key: string, result: { messageId: string; subject: string }, at: Date): Promise<void>;
  markSuppressed(key: string, at: Date): Promise<void>;
  /** Gives the lease back after a failed send, so the next attempt can claim it at once. */
  markFailed(key: string, error: string, at: Date): Promise<void>;
}

export interface OptOutStore {
  isOptedOut(email: string, kind: EmailKind): Promise<boolean>;
  optOut(email: string, scope: OptOutScope, at: Date, source: string): Promise<void>;
}

export type TokenPurpose = 'unsubscribe';

export interface TokenGrant {
  purpose: TokenPurpose;
  /** What the token acts on: a link key, a person, or an email kind. */
  subject: string;
  recipient: string;
  expiresAt: Date;
}

export interface LinkTokens {
  /** Returns the raw token; only its keyed hash is stored. */
  issue(grant: TokenGrant, now: Date): Promise<string>;
  /** The grant behind a token, if it exists, is for this purpose and has not expired. */
  find(token: string, purpose: TokenPurpose, now: Date): Promise<TokenGrant | undefined>;
}

export interface OutgoingEmail {
  to: string;
  from: string;
  replyTo: string;
  subject: string;
  text: string;
  html: string;
  headers: Array<{ name: string; value: string }>;
}

/** The wire to the mail service (SES in AWS, the local mailbox in development). */
export interface MailTransport {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
