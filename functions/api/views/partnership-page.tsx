/**
 * The page both sides of a link share: the same for the champion and for the event's
 * directors. It shows, and offers nothing to do: answers are given from the buttons in the
 * emails (each a GET that shows and a POST that acts). Readable on a 360-pixel screen
 * without sideways scrolling, with no script.
 */
import { activityStatuses, contactMethodNames, type Side } from '../../core/model.js';
import { formatLongDate, isoDayOf, parseIsoDay } from '../../core/policies/event-dates.js';
import { periodLabel } from '../../core/policies/feedback-calendar.js';
import type { PartnershipView, PlannedSend, Recipient, TakeoverRow } from '../../core/use-cases/partnership-view.js';
import { rolesFilledAnswers } from '../../core/use-cases/takeover-answers.js';
import { Layout } from './layout.js';

const sideNames: Record<Side | 'head-office', string> = { practice: 'the practice', event: 'the event team', 'head-office': "parkrun's health team" };

/** "Dr Jane Smith", "Sarah Okafor and Tom Whitley", "A, B and C". */
function names(people: Recipient[]): string {
  const all = people.map((p) => p.name);
  return all.length <= 1 ? (all[0] ?? '') : `${all.slice(0, -1).join(', ')} and ${all.at(-1)}`;
}

export function PartnershipPage({ view }: { view: PartnershipView }) {
  const year = view.today.slice(0, 4);
  // A day in the event's time zone, with its year when it is not this one.
  const onDay = (isoDay: string) => `${formatLongDate(parseIsoDay(isoDay))}${isoDay.slice(0, 4) === year ? '' : ` ${isoDay.slice(0, 4)}`}`;
  const dayOf = (instant: string) => onDay(isoDayOf(new Date(instant), view.timeZone));
  const title = `${view.practiceName} and ${view.eventName}`;
  const { champion, eventContacts, firstTimerContact } = view.contacts;
  return (
    <Layout title={`Your partnership: ${title}`}>
      <div class="partnership">
        <p class="caption">{title}</p>
        <h1>Your partnership</h1>
        <p>
          The same page for {view.practiceName} and the {view.eventName} team: what each side has told us, and what we will
          send next.
        </p>
        {view.ended && (
          <p class="notice" role="status">
            This partnership has ended. We no longer send reminders or questions about it; what is below is how it stood.
          </p>
        )}
        {view.pausedUntil && <p class="notice">Reminders are paused until {dayOf(view.pausedUntil)}.</p>}

        <section aria-labelledby="contacts-title">
          <h2 id="contacts-title">Who to talk to</h2>
          <h3>{view.practiceName}</h3>
          <ul class="plain">
            <li>
              {`${champion.name}, ${champion.role}: `}
              <a href={`mailto:${champion.email}`}>{champion.email}</a>
              {champion.phone && (
                <>
                  {', '}
                  <a href={`tel:${champion.phone.replace(/[^+\d]/g, '')}`}>{champion.phone}</a>
                </>
              )}
            </li>
          </ul>
          <h3>{view.eventName}</h3>
          <ul class="plain">
            {eventContacts.length === 0 && <li>No event director on record yet: parkrun's health team will put you in touch.</li>}
            {eventContacts.map((d) => (
              <li>
                {d.team ? 'Event team: ' : `Event director ${d.name}: `}
                <a href={`mailto:${d.email}`}>{d.email}</a>
              </li>
            ))}
            {firstTimerContact && (
              <li>
                {`First-timer contact ${firstTimerContact.firstName}, ${firstTimerContact.whereToFind}`}
                {firstTimerContact.email && (
                  <>
                    {': '}
                    <a href={`mailto:${firstTimerContact.email}`}>{firstTimerContact.email}</a>
                  </>
                )}
              </li>
            )}
          </ul>
        </section>

        <section aria-labelledby="contact-title">
          <h2 id="contact-title">Last contact</h2>
          <p>
            {view.lastContact
              ? `${dayOf(view.lastContact.at)}, recorded by ${view.lastContact.by ? sideNames[view.lastContact.by] : 'one of you'}${view.lastContact.how ? ` (${contactMethodNames[view.lastContact.how].toLowerCase()})` : ''}.`
              : 'None recorded yet.'}
          </p>
        </section>

        <section aria-labelledby="activities-title">
          <h2 id="activities-title">What you have done or planned</h2>
          <p class="small">The seven activities parkrun's survey of event teams asks about, and who told us.</p>
          <ul class="activities">
            {view.activities.map((a) => (
              <li>
                <strong>{a.label}</strong>
                <br />
                {a.status
                  ? `${activityStatuses[a.status]}${a.by ? `, recorded by ${sideNames[a.by]}` : ''}${a.at ? ` on ${dayOf(a.at)}` : ''}`
                  : 'Nothing recorded yet'}
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="takeovers-title">
          <h2 id="takeovers-title">Takeovers</h2>
          {view.takeovers.planned.length === 0 && view.takeovers.past.length === 0 && <p>None yet.</p>}
          {view.takeovers.planned.length > 0 && (
            <>
              <h3>Planned</h3>
              <ul>
                {view.takeovers.planned.map((t) => (
                  <li>{describeTakeover(t, onDay)}</li>
                ))}
              </ul>
            </>
          )}
          {view.takeovers.past.length > 0 && (
            <>
              <h3>Before</h3>
              <ul>
                {view.takeovers.past.map((t) => (
                  <li>{describeTakeover(t, onDay)}</li>
                ))}
              </ul>
            </>
          )}
        </section>

        <section aria-labelledby="feedback-title">
          <h2 id="feedback-title">Patients pointed to parkrun in {view.feedback.year}</h2>
          <p>
            {view.feedback.monthsReported === 0
              ? `No month reported yet in ${view.feedback.year}.`
              : `${view.practiceName} told us about ${count(view.feedback.monthsReported, 'month')}: ${count(view.feedback.suggested, 'patient')} suggested parkrun, ${view.feedback.attended} known to have come. Staff took part in ${view.feedback.monthsStaffTookPart} of those months.`}
          </p>
          <p class="small">Numbers only: we never know who.</p>
        </section>

        <section aria-labelledby="next-title">
          <h2 id="next-title">What we will send next</h2>
          {view.nextSends.length === 0 ? (
            <p>Nothing is planned.</p>
          ) : (
            <>
              <p class="small">As things stand today: any contact or answer changes it.</p>
              <ul>
                {view.nextSends.map((send) => (
                  <li>
                    <strong>{`From ${dayOf(send.at)}: `}</strong>
                    {describeSend(send, onDay)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>

        <p class="notice">This page only shows your partnership. Use the buttons in your latest email to answer.</p>
      </div>
    </Layout>
  );
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function describeTakeover(t: TakeoverRow, onDay: (isoDay: string) => string): string {
  const roles = t.rolesFilled ? ` ${rolesFilledAnswers[t.rolesFilled]}.` : '';
  switch (t.status) {
    case 'proposed':
      return `Offered by the practice for ${t.proposedDates.map(onDay).join(', ')}: waiting for the event team to choose a day.`;
    case 'fixed':
      return `Fixed for ${t.date ? onDay(t.date) : 'a day to be confirmed'}.${roles}`;
    case 'declined':
      return `Offered for ${t.proposedDates.map(onDay).join(', ')}; the event team could not do those days${t.declineReason ? `: "${t.declineReason}"` : ''}.`;
    case 'cancelled':
      return `Cancelled${t.date ? ` (it was fixed for ${onDay(t.date)})` : ''}.`;
    case 'done': {
      const o = t.outcome;
      const how = o ? ` ${count(o.staffVolunteered, 'member')} of staff volunteered; ${o.wouldDoAgain ? 'they would do it again' : 'they would not do it again'} (told us by ${sideNames[o.by]}).` : '';
      return `Done${t.date ? ` on ${onDay(t.date)}` : ''}.${roles}${how}`;
    }
    case 'did-not-happen':
      return `Did not go ahead${t.date ? ` on ${onDay(t.date)}` : ''}${t.outcome ? ` (told us by ${sideNames[t.outcome.by]})` : ''}.`;
  }
}

const reminderWords: Record<Extract<PlannedSend, { kind: 'takeover-reminder' }>['reminder'], (day: string) => string> = {
  '6-weeks': (day) => `six weeks to go: a reminder about the takeover on ${day}`,
  '2-weeks': (day) => `two weeks to go: how many roles are filled for the takeover on ${day}`,
  '3-days': (day) => `the final check before the takeover on ${day}`,
  after: (day) => `asking how the takeover on ${day} went`,
};

function describeSend(send: PlannedSend, onDay: (isoDay: string) => string): string {
  switch (send.kind) {
    case 'quiet-nudge':
      return `a${send.second ? ' second' : ''} reminder to say hello, to ${names(send.to)}${send.alsoDigest.length ? `, and a mention in the next summary to ${names(send.alsoDigest)}` : ''}, if there has been no contact by then.`;
    case 'at-risk':
      return `the partnership shown to ${names(send.to)} as at risk, if there has been no contact by then.`;
    case 'takeover-reminder':
      return `${reminderWords[send.reminder](onDay(send.takeoverDate))}, to ${names(send.to)}, if the takeover still stands.`;
    case 'feedback-reminder':
      return `the one reminder about ${periodLabel(send.period)}'s numbers, to ${names(send.to)}, if they have not come by then.`;
    case 'feedback-ask':
      return `the monthly question about ${periodLabel(send.period)}: how many patients were pointed to parkrun (numbers only), to ${names(send.to)}.`;
  }
}
