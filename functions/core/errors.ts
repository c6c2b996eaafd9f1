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

export class UnknownEventError extends DomainError {
  readonly code = 'unknown-event';
  constructor(readonly shortNames: string[]) {
    super(`Unknown parkrun event${shortNames.length > 1 ? 's' : ''}: ${shortNames.join(', ')}`);
  }
}

export class LinkAlreadyExistsError extends DomainError {
  readonly code = 'link-exists';
  constructor(
    readonly practiceCode: string,
    readonly eventShortNames: string[],
  ) {
    super(`Practice ${practiceCode} is already linked with ${eventShortNames.join(', ')}`);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not-found';
}

/** A link token that is unknown, tampered with, expired, spent or for another purpose. */
export class InvalidTokenError extends DomainError {
  readonly code = 'invalid-token';
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
