/** The successor's side of a hand-over: what is offered and one button; then what happens next. */
import type { HandoverAccess } from '../../core/use-cases/handover-acceptance.js';
import { Layout } from './layout.js';

export function AcceptHandoverPage({ access }: { access: HandoverAccess }) {
  const { handover, roleDescription } = access;
  return (
    <Layout title="Accept the hand-over">
      <h1>Accept the hand-over</h1>
      <p>
        {handover.from.name} would like you to take over as {roleDescription}.
      </p>
      <dl>
        <dt>Your name</dt>
        <dd>{handover.to.name}</dd>
        <dt>Your role</dt>
        <dd>{handover.to.role}</dd>
      </dl>
      <form method="post">
        <button type="submit">Accept the hand-over</button>
      </form>
      <p class="small">If this is not for you, close this page: nothing changes, and {handover.from.name} stays the contact.</p>
    </Layout>
  );
}

export function HandoverAcceptedPage({ access }: { access: HandoverAccess }) {
  return (
    <Layout title="Hand-over accepted">
      <div class="done" role="status">
        <h1>Thank you, you are {access.roleDescription}</h1>
        <p>We are emailing you now with whom to contact and your own links. {access.handover.from.name} stops getting our emails about it.</p>
      </div>
    </Layout>
  );
}
