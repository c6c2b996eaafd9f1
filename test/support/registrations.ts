/**
 * Registering as a practice does it now: the form or API takes the registration, the
 * champion gets "Confirm your parkrun practice registration", and confirms from the link
 * in it. Returns the registration as confirmed, which the introductions follow from.
 */
import type { OutgoingEmail } from '../../functions/core/ports.js';
import type { PendingRegistration, Registration } from '../../functions/core/model.js';
import { parseRegistrationInput } from '../../functions/core/policies/registration-input.js';
import { confirmRegistration, sendConfirmationRequest, type ConfirmationDeps } from '../../functions/core/use-cases/registration-confirmation.js';
import { submitRegistration, type SubmitRegistrationDeps } from '../../functions/core/use-cases/submit-registration.js';
import type { Mailer } from '../../functions/core/mailer.js';

/** The registration and token of the confirmation link in an email. */
export function confirmationIn(email: OutgoingEmail): { registrationId: string; token: string } {
  const match = /\/registrations\/([^/\s]+)\/confirm\/([A-Za-z0-9_-]+)/.exec(email.text);
  if (!match) throw new Error(`no confirmation link in "${email.subject}"`);
  return { registrationId: match[1]!, token: match[2]! };
}

export const isConfirmationRequest = (email: OutgoingEmail) => email.subject === 'Confirm your parkrun practice registration';

export const asRegistration = ({ status: _s, practiceOnRecord: _p, confirmedAt: _c, rejectedAt: _r, ...registration }: PendingRegistration): Registration => registration;

export async function registerAndConfirm(deps: SubmitRegistrationDeps & ConfirmationDeps & { mailer: Mailer }, sent: OutgoingEmail[], body: unknown): Promise<Registration> {
  const pending = await submitRegistration(deps, parseRegistrationInput(body));
  await sendConfirmationRequest(deps, pending);
  const request = [...sent].reverse().find(isConfirmationRequest);
  if (!request) throw new Error('no confirmation request was sent');
  await confirmRegistration(deps, confirmationIn(request));
  return asRegistration(pending);
}
