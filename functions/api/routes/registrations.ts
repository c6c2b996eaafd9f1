/** POST /api/registrations: the JSON way in, for scripts and integrations. */
import { Hono } from 'hono';
import { UnsupportedContentTypeError, ValidationError } from '../../core/errors.js';
import { parseRegistrationInput } from '../../core/policies/registration-input.js';
import { submitRegistration, type SubmitRegistrationDeps } from '../../core/use-cases/submit-registration.js';
import { sourceAddressOf } from '../source-address.js';

export function registrationRoutes(deps: SubmitRegistrationDeps) {
  return new Hono().post('/', async (c) => {
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') throw new UnsupportedContentTypeError('Send the registration as a JSON object, with Content-Type: application/json.');
    const body: unknown = await c.req.json().catch(() => {
      throw new ValidationError({ body: 'Send the registration as a JSON object (Content-Type: application/json)' });
    });
    const source = sourceAddressOf(c);
    const registration = await submitRegistration(deps, parseRegistrationInput(body), source ? { source } : {});
    return c.json(
      {
        registrationId: registration.id,
        practiceCode: registration.practice.code,
        events: registration.eventShortNames,
        status: 'awaiting-confirmation',
        message: "A confirmation email is on its way to the practice's parkrun champion. Nothing else happens until they confirm; then we introduce them to the event team.",
      },
      201,
    );
  });
}
