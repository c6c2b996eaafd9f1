/** Sending email exactly once: the outbox ledger, held mail, opt-outs, each person's budget, and the wire to the mail service. */
import type { BudgetSlot } from '../policies/mail-budget.js';
import type { EmailKind, MailKind, OptOutScope } from '../model.js';
import type { AnswerLinkSpec } from '../magic-links.js';
import type { Audience } from '../policies/quiet-hours.js';
import type { TokenSpend } from './magic-links.js';

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


/** The per-person budget (policies/mail-budget.ts): one unasked email per person per period. */
/** Each person's budget of unasked email as stored; the policy that spends it is policies/mail-budget.ts spendSlot. */
export interface BudgetSlots {
  read(email: string): Promise<BudgetSlot | undefined>;
  /** Writes the slot if it is still `seen` (absent: only if there is none); false, and nothing written, if it changed. */
  write(email: string, next: BudgetSlot, seen: BudgetSlot | undefined): Promise<boolean>;
}
