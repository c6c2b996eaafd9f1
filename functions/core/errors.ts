import { answerLinkDays, formatLifetime } from './magic-links.js';
import type { LinkContext } from './model.js';
import type { TokenLookup } from './ports.js';

/**
 * Typed domain errors. Use cases throw these; the HTTP layer maps them to status codes
 * in one place (functions/api/error-handler.ts) and the watchers report them per record.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that fails validation, with one message per field. */
export class ValidationError extends DomainError {
  readonly code = 'invalid-input';
  constructor(readonly fields: Record<string, string>) {
    super(`Invalid input: ${Object.keys(fields).join(', ')}`);
  }
}

/**
 * Names that match no event (or only one that has gone from parkrun's feed), each with up
 * to three event names closest to what was typed.
 */
export class UnknownEventError extends DomainError {
  readonly code = 'unknown-event';
  constructor(
    readonly shortNames: string[],
    readonly suggestions: Record<string, string[]> = {},
    /** Of `shortNames`, those that are events no longer in the feed. */
    readonly gone: string[] = [],
  ) {
    const unknown = shortNames.filter((n) => !gone.includes(n));
    const parts = [
      ...(unknown.length ? [`Unknown parkrun event${unknown.length > 1 ? 's' : ''}: ${unknown.map((n) => `${n}${suggestions[n]?.length ? ` (did you mean ${suggestions[n]!.join(', ')}?)` : ''}`).join('; ')}`] : []),
      ...(gone.length ? [`No longer a parkrun event: ${gone.join(', ')}`] : []),
    ];
    super(parts.join('. '));
  }
}

/**
 * The practice is linked with the event already. Its message names nothing (not the
 * practice, not the event): a stranger must not learn from it which partnerships exist.
 */
export class LinkAlreadyExistsError extends DomainError {
  readonly code = 'link-exists';
  constructor(
    readonly practiceCode: string,
    readonly eventShortNames: string[],
  ) {
    super('This practice is linked with that event already, so nothing was changed. Its parkrun champion has the partnership in their emails.');
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not-found';
}

/** The thing changed between reading and writing; nothing was written, try again. */
export class ConflictError extends DomainError {
  readonly code = 'conflict';
}

export type TokenProblem = 'unknown' | 'used' | 'expired' | 'wrong-link' | 'not-contact';

/**
 * A magic link that cannot be used: unknown or tampered with, already used, expired, for
 * another action or link, or held by someone who has since handed over. Nothing changes.
 */
export class InvalidTokenError extends DomainError {
  readonly code = 'invalid-token';
  constructor(
    readonly problem: TokenProblem,
    /** What is known despite the problem, so a page can offer a fresh link and show the link as it stands. */
    readonly detail: { lookup?: TokenLookup; context?: LinkContext; now?: Date } = {},
    message = invalidTokenMessages[problem],
  ) {
    super(message);
  }
}

const invalidTokenMessages: Record<TokenProblem, string> = {
  unknown: 'It may have been copied incompletely, or changed.',
  used: 'Each answer link works once, so an answer is never recorded twice by accident.',
  expired: `Answer links work for ${formatLifetime(answerLinkDays * 24 * 60)}, so an old or forwarded email cannot be used to change anything.`,
  'wrong-link': 'It belongs to a different question or a different partnership.',
  'not-contact': 'It was sent to someone who has since handed over to a colleague.',
};

/** Too many requests of one kind for one address; try again later. */
export class RateLimitedError extends DomainError {
  readonly code = 'rate-limited';
}

/**
 * Another worker holds the send lease for this message. Not a failure of the message:
 * the caller retries later and will then find it sent.
 */
export class MessageInFlightError extends DomainError {
  readonly code = 'message-in-flight';
  constructor(readonly idempotencyKey: string) {
    super(`Message ${idempotencyKey} is being sent by another worker`);
  }
}

/**
 * A request body that cannot be read as what the route takes: a form whose multipart
 * encoding is broken, say. The sender's mistake, so a 400 with a message, never a 500.
 */
export class UnreadableBodyError extends DomainError {
  readonly code = 'unreadable-body';
}

/** A body of a type the route does not take: JSON sent to a form, a form sent to the JSON API. Nothing is read from it. */
export class UnsupportedContentTypeError extends DomainError {
  readonly code = 'unsupported-content-type';
}

/** A request body larger than anything the product takes: refused before it is read. */
export class BodyTooLargeError extends DomainError {
  readonly code = 'body-too-large';
}

/**
 * The mail service refused a recipient's address itself, at sending ("Illegal address", a
 * missing domain): no retry can help, and no bounce will ever come back for it. The mailer
 * treats it as a permanent bounce (core/mailer.ts). The address stays out of the message,
 * which goes to logs and the ledger.
 */
export class RecipientRejectedError extends DomainError {
  readonly code = 'recipient-rejected';
  constructor(reason: string) {
    super(`The mail service refused the recipient's address: ${reason}`);
  }
}

/** Another practice already has a takeover fixed on that day at that event. */
export class DateTakenError extends DomainError {
  readonly code = 'date-taken';
}

/**
 * An import's file cannot be used as a whole: not the format it should be, a required
 * column missing, cut off part way. Nothing is stored from it.
 */
export class UnusableFileError extends DomainError {
  readonly code = 'unusable-file';
}
