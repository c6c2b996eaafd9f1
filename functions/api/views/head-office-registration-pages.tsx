/** Registrations waiting for their champion's confirmation, each with head office's one action: reject it as not genuine. */
import { formatDayOf } from '../../core/policies/event-dates.js';
import type { AwaitingRegistration } from '../../core/use-cases/registration-review.js';
import { HeadOfficeLayout } from './head-office-layout.js';
import { Notice, Table } from './head-office-parts.js';

export function RejectRegistrationForm(props: { id: string; requestId: string; label: string }) {
  return (
    <form method="post" action={`/head-office/registrations/${props.id}/reject`} class="inline">
      <input type="hidden" name="requestId" value={props.requestId} />
      <button type="submit" aria-label={props.label}>
        Reject as not genuine
      </button>
    </form>
  );
}

export function AwaitingRegistrationsPage(props: { email: string; waiting: AwaitingRegistration[]; requestIds: string[]; notice?: string }) {
  return (
    <HeadOfficeLayout title="Registrations waiting for confirmation" email={props.email}>
      <p>
        <a href="/head-office">Back to the dashboard</a>
      </p>
      <h1>Registrations waiting for confirmation</h1>
      <Notice text={props.notice} />
      <p>
        Each has asked the practice's champion to confirm it; nothing has reached an event team. One never confirmed goes after 7 days.
        Rejecting one as not genuine tells nobody, and refuses registrations naming that address from then on.
      </p>
      <Table
        columns={['Submitted', 'Practice', 'Events', 'Champion named', '']}
        empty="None waiting."
        rows={props.waiting.map(({ registration: r, eventNames }, i) => [
          formatDayOf(new Date(r.submittedAt), 'Europe/London'),
          `${r.practice.name} (${r.practice.code})${r.practiceOnRecord ? ', on record: its champion on record confirms' : ''}`,
          eventNames.join(', '),
          `${r.practice.champion.name}, ${r.practice.champion.email}`,
          <RejectRegistrationForm id={r.id} requestId={props.requestIds[i]!} label={`Reject the registration of ${r.practice.name} as not genuine`} />,
        ])}
      />
    </HeadOfficeLayout>
  );
}
