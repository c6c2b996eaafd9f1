/**
 * /registrations/:id/confirm/:token: the champion's confirmation. GET shows what was
 * registered and changes nothing (mail scanners open links); POST confirms it, and the
 * introductions follow from the stream.
 */
import { Hono, type Context } from 'hono';
import { LinkAlreadyExistsError } from '../../core/errors.js';
import { formatDayOf } from '../../core/policies/event-dates.js';
import { confirmableUntil, confirmRegistration, openConfirmation, type ConfirmationDeps } from '../../core/use-cases/registration-confirmation.js';
import { messagePage } from '../views/layout.js';
import { ConfirmRegistrationPage, RegistrationConfirmedPage } from '../views/registration-pages.js';

const requestOf = (c: Context) => ({ registrationId: c.req.param('id') ?? '', token: c.req.param('token') ?? '' });

export function registrationLinkRoutes(deps: ConfirmationDeps) {
  return new Hono()
    .get('/:id/confirm/:token', async (c) => {
      const access = await openConfirmation(deps, requestOf(c));
      return c.html(<ConfirmRegistrationPage access={access} until={formatDayOf(confirmableUntil(access.pending), 'Europe/London')} />);
    })
    .post('/:id/confirm/:token', async (c) => {
      try {
        return c.html(<RegistrationConfirmedPage access={await confirmRegistration(deps, requestOf(c))} />);
      } catch (error) {
        // Linked meanwhile (the champion confirmed another registration for the same event): nothing more to do.
        if (!(error instanceof LinkAlreadyExistsError)) throw error;
        return c.html(messagePage({ title: 'Already linked', message: error.message }), 409);
      }
    });
}
