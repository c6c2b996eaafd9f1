/**
 * The one place domain errors become HTTP statuses. JSON for /api, a plain page for
 * people; an unexpected error is logged whole and answered without its details.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  BodyTooLargeError,
  ConflictError,
  DateTakenError,
  DomainError,
  InvalidTokenError,
  LinkAlreadyExistsError,
  MessageInFlightError,
  NotFoundError,
  RateLimitedError,
  UnknownEventError,
  UnsupportedContentTypeError,
  ValidationError,
} from '../core/errors.js';
import { log, redactPath } from '../log.js';
import { messagePage } from './views/layout.js';
import { InvalidLinkPage } from './views/link-pages.js';

/** The last path segment of every magic-link URL is its token. */
const tokenIn = (path: string) => path.split('/').filter(Boolean).pop() ?? '';

/**
 * A link that cannot be used gets a page that says why and that nothing changed; a used
 * or expired link whose holder is still the contact also gets "email me a new link".
 */
function invalidLinkPage(error: InvalidTokenError, path: string) {
  const { lookup, context, now } = error.detail;
  const refreshable = lookup && (error.problem === 'used' || error.problem === 'expired') && !path.startsWith('/fresh-links/');
  return InvalidLinkPage({
    problem: error.problem,
    message: error.message,
    ...(context && now ? { context, now } : {}),
    ...(refreshable ? { freshLinkAction: `/fresh-links/${tokenIn(path)}`, recipient: lookup.grant.recipient } : {}),
  });
}

export function statusFor(error: DomainError): ContentfulStatusCode {
  if (error instanceof ValidationError) return 400;
  if (error instanceof InvalidTokenError) return tokenStatus[error.problem];
  if (error instanceof NotFoundError) return 404;
  if (error instanceof LinkAlreadyExistsError || error instanceof ConflictError || error instanceof DateTakenError) return 409;
  if (error instanceof RateLimitedError) return 429;
  if (error instanceof UnknownEventError) return 422;
  if (error instanceof MessageInFlightError) return 503;
  if (error instanceof BodyTooLargeError) return 413;
  if (error instanceof UnsupportedContentTypeError) return 415;
  return 400;
}

const tokenStatus = { unknown: 404, 'wrong-link': 404, used: 410, expired: 410, 'not-contact': 403 } as const;

export function errorBody(error: DomainError): Record<string, unknown> {
  const body: Record<string, unknown> = { error: error.code, message: error.message };
  if (error instanceof ValidationError) body.fields = error.fields;
  if (error instanceof UnknownEventError) {
    body.events = error.shortNames;
    body.suggestions = error.suggestions;
  }
  return body;
}

export function handleError(error: Error, c: Context): Response | Promise<Response> {
  const wantsJson = c.req.path.startsWith('/api/');
  if (error instanceof HTTPException) return error.getResponse();
  if (error instanceof DomainError) {
    const status = statusFor(error);
    if (wantsJson) return c.json(errorBody(error), status);
    if (error instanceof InvalidTokenError) return c.html(invalidLinkPage(error, c.req.path), status);
    // A person is told what is wrong with each field, not which fields were invalid.
    const message = error instanceof ValidationError ? Object.values(error.fields).join(' ') : error.message;
    return c.html(messagePage({ title: error instanceof RateLimitedError ? 'Please wait a while' : 'Something is not right', message }), status);
  }
  log.error('Unhandled error', error, { path: redactPath(c.req.path), method: c.req.method });
  const message = 'Something went wrong on our side. Nothing was lost; please try again in a minute.';
  if (wantsJson) return c.json({ error: 'internal', message }, 500);
  return c.html(messagePage({ title: 'Sorry, something went wrong', message }), 500);
}
