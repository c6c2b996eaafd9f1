/** The lists behind the dashboard's figures, and one link's whole story with what head office can do about it. */
import { contactMethods, contactMethodNames, linkId, type LinkStatus, type ParkrunEvent } from '../../core/model.js';
import { formatDayOf } from '../../core/policies/event-dates.js';
import { jointActions } from '../../core/policies/joint-contact.js';
import type { Scope } from '../../core/policies/metric-deltas.js';
import type { LinkRow, LinkStory } from '../../core/use-cases/head-office-links.js';
import { actionLabels } from '../../core/use-cases/fresh-link.js';
import type { AuditEntry } from '../../core/ports.js';
import { scopeName, scopeParam, statusNames } from './dashboard-page.js';
import { HeadOfficeLayout } from './head-office-layout.js';
import { ErrorSummary } from './link-pages.js';
import { RejectRegistrationForm } from './head-office-registration-pages.js';
import { Notice, Table } from './head-office-parts.js';

const directorsOf = (event?: Pick<ParkrunEvent, 'eventDirectors' | 'teamEmail'>) =>
  event?.eventDirectors.map((d) => `${d.name}, ${d.email}`).join('; ') || (event?.teamEmail ? `none named: team address ${event.teamEmail}` : 'none on record');

const day = (iso?: string) => (iso ? formatDayOf(new Date(iso), 'Europe/London') : 'none recorded');

const headOfficeActionNames: Record<string, string> = {
  'head-office-contact': 'Head office logged a contact',
  'head-office-introduction': 'Head office had the introduction sent again',
  'team-add': 'Head office added a director',
  'team-remove': 'Head office took a director off',
  'team-import': 'The teams import changed the team',
  import: 'Brought in by the practices import',
};

export const auditAction = (entry: Pick<AuditEntry, 'action'>) => headOfficeActionNames[entry.action] ?? (actionLabels as Record<string, string>)[entry.action] ?? entry.action;

export function LinksPage(props: { email: string; scope: Scope; status: LinkStatus; rows: LinkRow[]; next?: string; cursor?: string }) {
  const q = `status=${props.status}&scope=${encodeURIComponent(scopeParam(props.scope))}`;
  const title = `${statusNames[props.status]} links in ${scopeName(props.scope)}`;
  return (
    <HeadOfficeLayout title={title} email={props.email}>
      <p>
        <a href={`/head-office?scope=${encodeURIComponent(scopeParam(props.scope))}`}>Back to the dashboard</a>
      </p>
      <h1>{title}</h1>
      <p>
        <a href={`/head-office/links.csv?${q}`}>Download this list as CSV</a>
      </p>
      <Table
        columns={['Practice', 'Event', 'Practice contact', 'Event directors', 'Last contact']}
        empty={`No links ${props.cursor ? 'on this page' : 'here'}.`}
        rows={props.rows.map(({ link, practice, event }) => [
          <a href={`/head-office/links/${linkId(link.practiceCode, link.eventShortName)}`}>{practice?.name ?? link.practiceCode}</a>,
          event?.name ?? link.eventShortName,
          practice ? `${practice.champion.name}, ${practice.champion.role}, ${practice.champion.email}` : '',
          directorsOf(event),
          day(link.lastContactAt),
        ])}
      />
      <nav class="pager" aria-label="Pages">
        {props.cursor && <a href={`/head-office/links?${q}`}>First page</a>}
        {props.next && <a href={`/head-office/links?${q}&after=${props.next}`}>Next page</a>}
      </nav>
    </HeadOfficeLayout>
  );
}

export function LinkStoryPage(props: { email: string; story: LinkStory; notice?: string; errors?: Record<string, string>; today: string; requestIds: { contact: string; introduction: string; reject: string } }) {
  const { context, history, audit } = props.story;
  const { link, practice, event } = context;
  const id = linkId(practice.code, event.shortName);
  const errors = props.errors ?? {};
  return (
    <HeadOfficeLayout title={`${practice.name} and ${event.name}`} email={props.email}>
      <p>
        <a href={`/head-office/links?status=${link.status}&scope=${encodeURIComponent(`event:${event.shortName}`)}`}>Other {statusNames[link.status].toLowerCase()} links of {event.name}</a>
      </p>
      <h1>
        {practice.name} and {event.name}
      </h1>
      <ErrorSummary errors={errors} />
      <Notice text={props.notice} />
      <dl>
        <dt>Status</dt>
        <dd>{statusNames[link.status]}</dd>
        <dt>Last contact</dt>
        <dd>{day(link.lastContactAt)}</dd>
        <dt>Practice contact</dt>
        <dd>{`${practice.champion.name}, ${practice.champion.role}, ${practice.champion.email}${practice.champion.phone ? `, ${practice.champion.phone}` : ''}`}</dd>
        <dt>Event directors</dt>
        <dd>
          {directorsOf(event)} (<a href={`/head-office/events/${event.shortName}`}>the event's team</a>)
        </dd>
      </dl>
      <div class="actions">
        <form method="post" action={`/head-office/links/${id}/contact`} novalidate>
          <input type="hidden" name="requestId" value={props.requestIds.contact} />
          <fieldset>
            <legend>Log a contact you heard of</legend>
            <div class={errors.contactedOn ? 'field has-error' : 'field'}>
              <label for="f-contactedOn">When?</label>
              {errors.contactedOn && (
                <p class="error" id="f-contactedOn-error">
                  {errors.contactedOn}
                </p>
              )}
              <input id="f-contactedOn" name="contactedOn" type="date" value={props.today} max={props.today} aria-invalid={errors.contactedOn ? 'true' : undefined} aria-describedby={errors.contactedOn ? 'f-contactedOn-error' : undefined} />
            </div>
            <div class="field">
              <label for="f-how">How?</label>
              <select id="f-how" name="how">
                <option value="">Not known</option>
                {Object.entries(contactMethods).map(([value, label]) => (
                  <option value={value}>{label}</option>
                ))}
              </select>
            </div>
            <button type="submit">Log the contact</button>
          </fieldset>
        </form>
        <form method="post" action={`/head-office/links/${id}/introduction`}>
          <input type="hidden" name="requestId" value={props.requestIds.introduction} />
          <fieldset>
            <legend>Introduce them again</legend>
            <p>Both sides get the introduction email again, with the contacts as they are now.</p>
            <button type="submit">Re-send the introduction</button>
          </fieldset>
        </form>
        {link.registrationId && link.createdBy === 'registration' && link.status !== 'ended' && (
          <fieldset>
            <legend>Not a real practice's registration?</legend>
            <p>Rejecting it ends the links it made and refuses registrations naming its champion's address. Nobody is told.</p>
            <RejectRegistrationForm id={link.registrationId} requestId={props.requestIds.reject} label="Reject this registration as not genuine" />
          </fieldset>
        )}
      </div>
      <h2>History</h2>
      <Table
        columns={['When', 'What', 'By']}
        empty="Nothing recorded yet."
        rows={history.map((h) => [
          day(h.at),
          h.type === 'contact' ? `Contact${h.how ? `: ${(contactMethodNames as Record<string, string>)[h.how] ?? h.how}` : ''}${typeof h.via === 'string' && Object.hasOwn(jointActions, h.via) ? ` (${jointActions[h.via as keyof typeof jointActions]})` : ''}` : h.type,
          String(h.by ?? ''),
        ])}
      />
      <h2>Audit log</h2>
      <p>
        <a href={`/head-office/links/${id}/audit.csv`}>Download the audit log as CSV</a>
      </p>
      <Table
        columns={['When', 'Who', 'What']}
        empty="No actions yet."
        rows={audit.map((a) => [new Date(a.at).toLocaleString('en-GB', { timeZone: 'Europe/London' }), `${a.actor}${a.role ? ` (${a.role})` : ''}`, auditAction(a)])}
      />
    </HeadOfficeLayout>
  );
}
