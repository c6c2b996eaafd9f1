/** The pages behind the feedback, newcomer and first-timer contact links. Counts and yes/no only on every practice form. */
import type { ConfirmedFirstTimerContact, FeedbackReport, FirstTimerCandidate, LinkContext, NewcomerPlan, ParkrunEvent, Period } from '../../core/model.js';
import { formatLongDate, parseIsoDay } from '../../core/policies/event-dates.js';
import { periodLabel } from '../../core/policies/feedback-calendar.js';
import { eventDayName, maxCount, staffActivities } from '../../core/policies/feedback-input.js';
import { Layout } from './layout.js';
import { AnswerPage, ErrorSummary } from './link-pages.js';

const day = (iso: string) => formatLongDate(parseIsoDay(iso));

/** A labelled input with its hint and error, linked for screen readers. */
export function Field(props: { name: string; label: string; hint?: string; value?: string; errors: Record<string, string>; type?: string; inputmode?: 'numeric' | 'email' | 'text'; required?: boolean; autocomplete?: string }) {
  const error = props.errors[props.name];
  const described = [props.hint && `f-${props.name}-hint`, error && `f-${props.name}-error`].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={`f-${props.name}`}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`f-${props.name}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="error" id={`f-${props.name}-error`}>
          {error}
        </p>
      )}
      <input
        id={`f-${props.name}`}
        name={props.name}
        type={props.type ?? 'text'}
        inputmode={props.inputmode}
        value={props.value ?? ''}
        autocomplete={props.autocomplete ?? 'off'}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
    </div>
  );
}

const noPatientDetails = <p class="notice">Numbers only. Please do not enter names or anything else that could identify a patient: we keep counts and nothing more.</p>;

export function FeedbackPage(props: { context: LinkContext; period: Period; report?: FeedbackReport; values?: Record<string, string>; staff?: string[]; errors?: Record<string, string> }) {
  const errors = props.errors ?? {};
  const month = periodLabel(props.period);
  const value = (name: 'suggested' | 'attended') => props.values?.[name] ?? (props.report ? String(props.report[name]) : '');
  const ticked = props.staff ?? (props.report ? (Object.keys(staffActivities) as Array<keyof typeof staffActivities>).filter((k) => props.report!.staff[k]) : []);
  return (
    <AnswerPage title={`How did ${month} go?`} context={props.context} errors={errors}>
      <p>Roughly is fine. Your answer goes into a short monthly summary for the {props.context.event.name} team.</p>
      {props.report && <p>You answered already; change anything below and save again.</p>}
      {noPatientDetails}
      <form method="post" novalidate>
        <Field name="suggested" label={`How many patients did you suggest parkrun to in ${month}?`} hint={`A number from 0 to ${maxCount}.`} type="text" inputmode="numeric" value={value('suggested')} errors={errors} required />
        <Field name="attended" label="How many of them do you know came?" hint="0 if none, or you do not know of any." type="text" inputmode="numeric" value={value('attended')} errors={errors} required />
        <fieldset class={errors.staff ? 'has-error' : undefined}>
          <legend>Did practice staff take part? Tick any that apply</legend>
          {errors.staff && <p class="error" id="f-staff-error">{errors.staff}</p>}
          {Object.entries(staffActivities).map(([key, label], i) => (
            <div class="choice">
              <input id={i === 0 ? 'f-staff' : `f-staff-${key}`} type="checkbox" name="staff" value={key} checked={ticked.includes(key)} />
              <label for={i === 0 ? 'f-staff' : `f-staff-${key}`}>{label}</label>
            </div>
          ))}
        </fieldset>
        {errors.body && <p class="error" id="f-body">{errors.body}</p>}
        <button type="submit">Send</button>
      </form>
    </AnswerPage>
  );
}

/** Who newcomers should look for: only a confirmed contact is ever shown. */
function WhomToAskFor({ event }: { event: ParkrunEvent }) {
  const contact = event.firstTimerContact;
  return contact ? (
    <p>
      Tell your patients to ask for <strong>{contact.firstName}</strong>, {contact.whereToFind}. The event starts at {event.startTime}.
    </p>
  ) : (
    <p>
      {event.name} has not named a first-timer contact yet: we will ask them. Patients can look for the first timers' welcome just before the {event.startTime} start.
    </p>
  );
}

export function NewcomersPage(props: { context: LinkContext; days: string[]; plans: NewcomerPlan[]; values?: Record<string, string>; errors?: Record<string, string> }) {
  const errors = props.errors ?? {};
  const { event } = props.context;
  const dayName = eventDayName(event.weekday);
  return (
    <AnswerPage title="Patients coming to parkrun" context={props.context} errors={errors}>
      <p>
        If some patients plan to come to {event.name} on a {dayName}, tell us roughly how many. We let the event's first-timer contact know to expect them,
        and remind you on the Thursday before whom they should ask for.
      </p>
      <WhomToAskFor event={event} />
      {noPatientDetails}
      {props.plans.length > 0 && (
        <section aria-labelledby="plans-title">
          <h2 id="plans-title">Already planned</h2>
          <ul class="plans">
            {props.plans.map((plan) => (
              <li>
                <form method="post">
                  <input type="hidden" name="action" value="cancel" />
                  <input type="hidden" name="date" value={plan.date} />
                  {`${day(plan.date)}: about ${plan.count} patient${plan.count === 1 ? '' : 's'} `}
                  <button type="submit" class="secondary-button" aria-label={`Cancel ${day(plan.date)}`}>
                    Cancel
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      )}
      <form method="post" novalidate>
        <input type="hidden" name="action" value="plan" />
        <div class={errors.date ? 'field has-error' : 'field'}>
          <label for="f-date">Which {dayName}?</label>
          {errors.date && (
            <p class="error" id="f-date-error">
              {errors.date}
            </p>
          )}
          <select id="f-date" name="date" aria-invalid={errors.date ? 'true' : undefined} aria-describedby={errors.date ? 'f-date-error' : undefined}>
            {props.days.map((d) => (
              <option value={d} selected={props.values?.date === d}>
                {day(d)}
              </option>
            ))}
          </select>
        </div>
        <Field name="count" label="About how many patients?" hint={`A number from 1 to ${maxCount}. A rough idea is fine.`} inputmode="numeric" value={props.values?.count} errors={errors} required />
        {errors.body && <p class="error" id="f-body">{errors.body}</p>}
        <button type="submit">Tell the event team</button>
      </form>
    </AnswerPage>
  );
}

export function FirstTimerContactPage(props: { context: LinkContext; values?: Record<string, string>; errors?: Record<string, string> }) {
  const errors = props.errors ?? {};
  const { event } = props.context;
  const current = event.firstTimerContact;
  const candidate = event.firstTimerCandidate;
  return (
    <AnswerPage title="Your first-timer contact" context={props.context} errors={errors}>
      <p>
        Practices tell patients coming for the first time whom to ask for. Name a volunteer: we ask them to confirm by their own link, and share their
        details with practices only after that.
      </p>
      {current && <p>Now: {`${current.firstName}, ${current.whereToFind}`} (confirmed).</p>}
      {candidate && <p>Waiting for {candidate.firstName} to confirm. Naming someone again replaces that request.</p>}
      <form method="post" novalidate>
        <Field name="firstName" label="Their first name" value={props.values?.firstName} errors={errors} required />
        <Field name="whereToFind" label="How newcomers find them on the day" hint='For example: "by the start funnel in a pink First Timers vest at 08:50".' value={props.values?.whereToFind} errors={errors} required />
        <Field name="email" label="Their email (optional)" hint="We send them the link to confirm, and tell them when patients are coming. Without it, we send you the link to pass on." type="email" value={props.values?.email} errors={errors} />
        {errors.body && <p class="error" id="f-body">{errors.body}</p>}
        <button type="submit">Ask them to confirm</button>
      </form>
    </AnswerPage>
  );
}

/** The volunteer's own page: confirm or say no while named; step down once confirmed. */
export function VolunteerPage(props: { event: ParkrunEvent; as: 'candidate' | 'contact'; details: FirstTimerCandidate | ConfirmedFirstTimerContact }) {
  const { event, details } = props;
  const title = props.as === 'candidate' ? `First-timer contact at ${event.name}?` : `First-timer contact at ${event.name}`;
  return (
    <Layout title={title}>
      <p class="caption">{event.name}</p>
      <h1>{title}</h1>
      <ErrorSummary errors={{}} />
      <p>Practices would tell patients coming for the first time: "Ask for {details.firstName}, {details.whereToFind}."</p>
      {props.as === 'candidate' ? (
        <>
          {!details.email && <p>This link was sent to an event director to pass on: only {details.firstName} should confirm.</p>}
          <p>Nothing is shared until you confirm. You can step down at any time from this link or any email we send you.</p>
          <form method="post">
            <input type="hidden" name="action" value="confirm" />
            <button type="submit">Yes, I'll be the first-timer contact</button>
          </form>
          <form method="post">
            <input type="hidden" name="action" value="step-down" />
            <button type="submit" class="secondary-button">No, not me</button>
          </form>
        </>
      ) : (
        <>
          <p>You confirmed. If you step down, your details are removed and practices are no longer given them.</p>
          <form method="post">
            <input type="hidden" name="action" value="step-down" />
            <button type="submit" class="secondary-button">Step down</button>
          </form>
        </>
      )}
    </Layout>
  );
}

export function VolunteerDonePage(props: { title: string; message: string }) {
  return (
    <Layout title={props.title}>
      <div class="done" role="status">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
      </div>
      <p>You can close this page.</p>
    </Layout>
  );
}
