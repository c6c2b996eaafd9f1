/**
 * The one place domain errors become HTTP statuses. JSON for /api, a plain page for
 * people; an unexpected error is logged whole and answered without its details.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  DomainError,
  InvalidTokenError,
  LinkAlreadyExistsError,
  MessageInFlightError,
  NotFoundError,
  UnknownEventError,
  ValidationError,
} from '../core/errors.js';
import { log } from '../log.js';
import { messagePage } from './views/layout.js';

export function statusFor(error: DomainError): ContentfulStatusCode {
  if (error instanceof ValidationError) return 400;
  if (error instanceof InvalidTokenError || error instanceof NotFoundError) return 404;
  if (error instanceof LinkAlreadyExistsError) return 409;
  if (error instanceof UnknownEventError) return 422;
  if (error instanceof MessageInFlightError) return 503;
  return 400;
}

export function errorBody(error: DomainError): Record<string, unknown> {
  const body: Record<string, unknown> = { error: error.code, message: error.message };
  if (error instanceof ValidationError) body.fields = error.fields;
  if (error instanceof UnknownEventError) body.events = error.shortNames;
  if (error instanceof LinkAlreadyExistsError) body.events = error.eventShortNames;
  return body;
}

export function handleError(error: Error, c: Context): Response | Promise<Response> {
  const wantsJson = c.req.path.startsWith('/api/');
  if (error instanceof HTTPException) return error.getResponse();
  if (error instanceof DomainError) {
    const status = statusFor(error);
    if (wantsJson) return c.json(errorBody(error), status);
    return c.html(messagePage({ title: 'Something is not right', message: error.message }), status);
  }
  log.error('Unhandled error', error, { path: c.req.path, method: c.req.method });
  const message = 'Something went wrong on our side. Nothing was lost; please try again in a minute.';
  if (wantsJson) return c.json({ error: 'internal', message }, 500);
  return c.html(messagePage({ title: 'Sorry, something went wrong', message }), 500);
}
