/** Head office's view of events: the lists to act on, and one event's team, which head office keeps true. */
import type { ParkrunEvent } from '../../core/model.js';
import { formatDayOf } from '../../core/policies/event-dates.js';
import type { Scope } from '../../core/policies/metric-deltas.js';
import type { EventList } from '../../core/use-cases/head-office-links.js';
import type { EventTeamView } from '../../core/use-cases/event-teams.js';
import { scopeName, scopeParam } from './dashboard-page.js';
import { HeadOfficeLayout } from './head-office-layout.js';
import { auditAction } from './head-office-link-pages.js';
import { Notice, Table } from './head-office-parts.js';
import { ErrorSummary } from './link-pages.js';

export const eventListTitles: Record<EventList, string> = {
  'without-links': 'Events with no linked practice',
  'without-directors': 'Events with no named director',
  'left-feed': "Events no longer in parkrun's feed",
};

const eventListExplanations: Record<EventList, string> = {
  'without-links': 'No practice is linked with these events yet.',
  'without-directors': "Mail for these events goes to the event team's own address until a director is named: add one from the event's page, or with the teams import.",
  'left-feed': 'These events have gone from parkrun’s events feed. They are kept, with their links, so nothing is lost; they are no longer offered to practices registering.',
};

const contactsOf = (e: ParkrunEvent) => (e.eventDirectors.length ? e.eventDirectors.map((d) => `${d.name}, ${d.email}`).join('; ') : `team address ${e.teamEmail ?? '(none)'}`);

export function EventListPage(props: { email: string; scope: Scope; list: EventList; events: ParkrunEvent[] }) {
  const title = `${eventListTitles[props.list]} in ${scopeName(props.scope)}`;
  const q = `list=${props.list}&scope=${encodeURIComponent(scopeParam(props.scope))}`;
  return (
    <HeadOfficeLayout title={title} email={props.email}>
      <p>
        <a href={`/head-office?scope=${encodeURIComponent(scopeParam(props.scope))}`}>Back to the dashboard</a>
      </p>
      <h1>{title}</h1>
      <p>{eventListExplanations[props.list]}</p>
      <p>
        <a href={`/head-office/events.csv?${q}`}>Download this list as CSV</a>
      </p>
      <Table
        columns={['Event', 'Region', 'Who gets its email']}
        empty="None here."
        rows={props.events.map((e) => [<a href={`/head-office/events/${e.shortName}`}>{e.name}</a>, e.region, contactsOf(e)])}
      />
    </HeadOfficeLayout>
  );
}

const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { timeZone: 'Europe/London' });

export function EventTeamPage(props: { email: string; view: EventTeamView; requestIds: { add: string; remove: string }; notice?: string; errors?: Record<string, string>; values?: { name?: string; email?: string } }) {
  const { event, mailedAt, audit } = props.view;
  const errors = props.errors ?? {};
  const feed = event.feed;
  return (
    <HeadOfficeLayout title={`${event.name}: the team`} email={props.email}>
      <p>
        <a href={`/head-office?scope=${encodeURIComponent(`event:${event.shortName}`)}`}>{event.name} on the dashboard</a>
      </p>
      <h1>{event.name}</h1>
      <ErrorSummary errors={errors} />
      <Notice text={props.notice} />
      <dl>
        <dt>Short name</dt>
        <dd>{event.shortName}</dd>
        {event.location && (
          <>
            <dt>Where</dt>
            <dd>{event.location}</dd>
          </>
        )}
        <dt>Region</dt>
        <dd>{`${event.region}, ${event.country}`}</dd>
        <dt>When</dt>
        <dd>{`${event.weekday === 0 ? 'Sundays' : 'Saturdays'} at ${event.startTime} (${event.timeZone})`}</dd>
        <dt>In parkrun's feed</dt>
        <dd>{!feed ? 'Not loaded from the feed' : feed.inFeed ? 'Yes' : `No: gone since ${feed.leftFeedAt ? formatDayOf(new Date(feed.leftFeedAt), 'Europe/London') : 'the last import'}`}</dd>
        <dt>Team address</dt>
        <dd>{event.teamEmail ?? 'none'}</dd>
      </dl>

      <h2>Who gets this event's email</h2>
      {event.eventDirectors.length === 0 ? (
        <p>
          No director is named, so the event's email goes to its team address, <strong>{mailedAt[0]?.email ?? 'none on record: nobody hears of its practices'}</strong>.
        </p>
      ) : (
        <ul class="team">
          {event.eventDirectors.map((d) => (
            <li>
              <span>{`${d.name}, ${d.email}`}</span>{' '}
              <form method="post" action={`/head-office/events/${event.shortName}/directors/remove`} class="inline">
                <input type="hidden" name="requestId" value={props.requestIds.remove} />
                <input type="hidden" name="email" value={d.email} />
                <button type="submit" aria-label={`Remove ${d.name} as an event director`}>
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <p class="hint">A director taken off gets no more email about the event, and the links in their emails stop working.</p>

      <form method="post" action={`/head-office/events/${event.shortName}/directors`} novalidate>
        <input type="hidden" name="requestId" value={props.requestIds.add} />
        <fieldset>
          <legend>Add an event director</legend>
          {(['name', 'email'] as const).map((field) => (
            <div class={errors[field] ? 'field has-error' : 'field'}>
              <label for={`f-${field}`}>{field === 'name' ? 'Full name' : 'Email'}</label>
              {errors[field] && (
                <p class="error" id={`f-${field}-error`}>
                  {errors[field]}
                </p>
              )}
              <input
                id={`f-${field}`}
                name={field}
                type={field === 'email' ? 'email' : 'text'}
                value={props.values?.[field] ?? ''}
                autocomplete={field === 'email' ? 'email' : 'name'}
                aria-invalid={errors[field] ? 'true' : undefined}
                aria-describedby={errors[field] ? `f-${field}-error` : undefined}
              />
            </div>
          ))}
          <button type="submit">Add the director</button>
        </fieldset>
      </form>

      <h2>Links</h2>
      <p>
        <a href={`/head-office/links?status=active&scope=${encodeURIComponent(`event:${event.shortName}`)}`}>The event's active links</a> ·{' '}
        <a href={`/head-office/links?status=quiet&scope=${encodeURIComponent(`event:${event.shortName}`)}`}>quiet</a> ·{' '}
        <a href={`/head-office/links?status=at-risk&scope=${encodeURIComponent(`event:${event.shortName}`)}`}>at risk</a>
      </p>

      <h2>Changes to the team</h2>
      <Table
        columns={['When', 'Who', 'What', 'Change']}
        empty="No changes yet."
        rows={audit.map((a) => [when(a.at), a.actor, auditAction(a), a.detail ?? ''])}
      />
    </HeadOfficeLayout>
  );
}
