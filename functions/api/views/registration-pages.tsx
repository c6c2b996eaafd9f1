/** The champion's confirmation of a registration: what was registered and one button; then what happens next. */
import type { ConfirmationAccess } from '../../core/use-cases/registration-confirmation.js';
import { Layout } from './layout.js';

export function ConfirmRegistrationPage({ access, until }: { access: ConfirmationAccess; until: string }) {
  const { pending, practice, eventNames } = access;
  return (
    <Layout title="Confirm your parkrun practice registration">
      <h1>Confirm your parkrun practice registration</h1>
      <dl>
        <dt>Practice</dt>
        <dd>{`${practice.name} (${practice.code}), ${practice.postcode}`}</dd>
        <dt>parkrun champion</dt>
        <dd>{`${practice.champion.name}, ${practice.champion.role}`}</dd>
        <dt>Linked with</dt>
        <dd>{eventNames.join(' and ')}</dd>
      </dl>
      <p>
        When you confirm, we introduce you to the event team{eventNames.length > 1 ? 's' : ''} by email, and send you whom to contact there.
        {pending.contactedEventTeam ? '' : ' You said you have not been in touch yet: the introduction makes the first contact for you.'}
      </p>
      <form method="post">
        <button type="submit">Confirm the registration</button>
      </form>
      <p class="small">If this is not right, close this page: nothing happens, and we forget the registration after {until}.</p>
    </Layout>
  );
}

export function RegistrationConfirmedPage({ access }: { access: ConfirmationAccess }) {
  return (
    <Layout title="Registration confirmed">
      <h1>Thank you, {access.practice.name} is registered</h1>
      <p>
        We are introducing you to the team at {access.eventNames.join(' and ')} now. Look out for an email with your event director's
        details and what to do next.
      </p>
    </Layout>
  );
}
