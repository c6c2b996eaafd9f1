/**
 * Pages behind the one-tap links in emails. Each says what will happen before the button
 * and what happened after it; each works without JavaScript on a 360-pixel screen.
 */
import type { Child } from 'hono/jsx';
import {
  activities,
  activityStatuses,
  contactMethods,
  contactMethodNames,
  type ActivityKey,
  type LinkContext,
  type Side,
} from '../../core/model.js';
import { formatDayOf } from '../../core/policies/event-dates.js';
import type { PauseMonths } from '../../core/policies/link-action-input.js';
import { Layout } from './layout.js';

const sideNames: Record<Side | 'head-office', string> = { practice: 'the practice', event: 'the event team', 'head-office': 'parkrun head office' };

export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}${'•'.repeat(Math.max(2, Math.min(6, local.length - 1)))}@${domain}`;
}

export const linkTitle = (context: LinkContext) => `${context.practice.name} and ${context.event.name}`;

/** Where the link stands now: shown after every answer and on a second visit. */
/** `now` is the clock's time, not the machine's: locally the clock may have been moved on. */
export function LinkSummary({ context, now }: { context: LinkContext; now: Date }) {
  const { link, event } = context;
  const day = (iso: string) => formatDayOf(new Date(iso), event.timeZone);
  const answered = Object.entries(link.activities ?? {}) as Array<[ActivityKey, { status: keyof typeof activityStatuses }]>;
  return (
    <section class="summary" aria-labelledby="summary-title">
      <h2 id="summary-title">{linkTitle(context)} now</h2>
      <dl>
        <dt>Last contact</dt>
        <dd>
          {link.lastContactAt
            ? `${day(link.lastContactAt)}, recorded by ${sideNames[link.lastContactBy ?? 'practice']}${link.lastContactHow ? ` (${contactMethodNames[link.lastContactHow].toLowerCase()})` : ''}`
            : 'None recorded yet'}
        </dd>
        {link.pausedUntil && new Date(link.pausedUntil) > now && (
          <>
            <dt>Reminders paused until</dt>
            <dd>{day(link.pausedUntil)}</dd>
          </>
        )}
        <dt>Practice contact</dt>
        <dd>{`${context.practice.champion.name}, ${context.practice.champion.role}`}</dd>
        <dt>Event directors</dt>
        <dd>{event.eventDirectors.map((d) => d.name).join(', ') || 'None on record'}</dd>
        {answered.length > 0 && (
          <>
            <dt>Activities</dt>
            <dd>
              <ul>
                {answered.map(([key, record]) => (
                  <li>{`${activities[key]}: ${activityStatuses[record.status].toLowerCase()}`}</li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** Every problem with what was sent, each linking to its field. */
export function ErrorSummary({ errors }: { errors?: Record<string, string> }) {
  const entries = Object.entries(errors ?? {});
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#f-${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function AnswerPage(props: { title: string; context: LinkContext; errors?: Record<string, string>; children: Child }) {
  return (
    <Layout title={props.errors && Object.keys(props.errors).length ? `Check your answer: ${props.title}` : props.title}>
      <p class="caption">{linkTitle(props.context)}</p>
      <h1>{props.title}</h1>
      <ErrorSummary errors={props.errors ?? {}} />
      {props.children}
    </Layout>
  );
}

export function InTouchPage(props: { context: LinkContext; today: string; values?: { contactedOn?: string; how?: string }; errors?: Record<string, string> }) {
  const errors = props.errors ?? {};
  return (
    <AnswerPage title="Tell us you're in touch" context={props.context} errors={errors}>
      <p>This records that {linkTitle(props.context)} have been in touch, so nobody gets a reminder they do not need.</p>
      <form method="post">
        <div class={errors.contactedOn ? 'field has-error' : 'field'}>
          <label for="f-contactedOn">When?</label>
          <p class="hint" id="f-contactedOn-hint">Today is filled in; change it if it was earlier.</p>
          {errors.contactedOn && <p class="error" id="f-contactedOn-error">{errors.contactedOn}</p>}
          <input
            id="f-contactedOn"
            name="contactedOn"
            type="date"
            value={props.values?.contactedOn ?? props.today}
            max={props.today}
            aria-describedby={errors.contactedOn ? 'f-contactedOn-hint f-contactedOn-error' : 'f-contactedOn-hint'}
            aria-invalid={errors.contactedOn ? 'true' : undefined}
          />
        </div>
        <fieldset class={errors.how ? 'has-error' : undefined}>
          <legend>How? (optional)</legend>
          {errors.how && <p class="error" id="f-how">{errors.how}</p>}
          {Object.entries(contactMethods).map(([value, label], i) => (
            <div class="choice">
              <input id={i === 0 ? 'f-how' : `f-how-${value}`} type="radio" name="how" value={value} checked={props.values?.how === value} />
              <label for={i === 0 ? 'f-how' : `f-how-${value}`}>{label}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit">Record that we're in touch</button>
      </form>
    </AnswerPage>
  );
}

export function ActivitiesPage(props: { context: LinkContext; values?: Record<string, string>; errors?: Record<string, string> }) {
  const current = props.context.link.activities ?? {};
  const value = (key: ActivityKey) => props.values?.[key] ?? current[key]?.status ?? '';
  const errors = props.errors ?? {};
  return (
    <AnswerPage title="What have you done or planned?" context={props.context} errors={errors}>
      <p>
        For each activity, choose where {linkTitle(props.context)} are. Leave any you are not sure about. What is already
        recorded is chosen for you.
      </p>
      <form method="post">
        {(Object.entries(activities) as Array<[ActivityKey, string]>).map(([key, label]) => (
          <fieldset class={errors[key] ? 'activity has-error' : 'activity'}>
            <legend>{label}</legend>
            {errors[key] && <p class="error">{errors[key]}</p>}
            {Object.entries(activityStatuses).map(([status, statusLabel], i) => (
              <div class="choice">
                <input id={i === 0 ? `f-${key}` : `f-${key}-${status}`} type="radio" name={key} value={status} checked={value(key) === status} />
                <label for={i === 0 ? `f-${key}` : `f-${key}-${status}`}>{statusLabel}</label>
              </div>
            ))}
          </fieldset>
        ))}
        {errors.activities && <p class="error" id="f-activities">{errors.activities}</p>}
        <button type="submit">Save activities</button>
      </form>
    </AnswerPage>
  );
}

export function PausePage(props: { context: LinkContext; months: PauseMonths; errors?: Record<string, string> }) {
  return (
    <AnswerPage title="Pause reminders" context={props.context} errors={props.errors}>
      <p>
        We will not send reminders about {linkTitle(props.context)} for a while: for holidays, staff shortages or a busy
        season. You can still tell us you are in touch at any time.
      </p>
      <form method="post">
        <fieldset>
          <legend>Ask me again in</legend>
          {[1, 3].map((m, i) => (
            <div class="choice">
              <input id={i === 0 ? 'f-months' : `f-months-${m}`} type="radio" name="months" value={String(m)} checked={props.months === m} />
              <label for={i === 0 ? 'f-months' : `f-months-${m}`}>{m === 1 ? '1 month' : `${m} months`}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit">Pause reminders</button>
      </form>
    </AnswerPage>
  );
}

export function HandOverPage(props: { context: LinkContext; role: 'champion' | 'event-director'; values?: Record<string, string>; errors?: Record<string, string> }) {
  const errors = props.errors ?? {};
  const what =
    props.role === 'champion'
      ? `the parkrun practice contact for ${props.context.practice.name}, for all its parkrun events`
      : `your place as an event director of ${props.context.event.name}, for all its linked practices`;
  const field = (name: 'name' | 'role' | 'email', label: string, type = 'text', autocomplete?: string) => (
    <div class={errors[name] ? 'field has-error' : 'field'}>
      <label for={`f-${name}`}>{label}</label>
      {errors[name] && <p class="error" id={`f-${name}-error`}>{errors[name]}</p>}
      <input
        id={`f-${name}`}
        name={name}
        type={type}
        value={props.values?.[name] ?? ''}
        autocomplete={autocomplete}
        required
        aria-invalid={errors[name] ? 'true' : undefined}
        aria-describedby={errors[name] ? `f-${name}-error` : undefined}
      />
    </div>
  );
  return (
    <AnswerPage title="Hand over to a colleague" context={props.context} errors={errors}>
      <p>This hands over {what}.</p>
      <p>We email your colleague to accept. Once they do, they get their own links and you stop getting our emails about it; until then, nothing changes.</p>
      <form method="post" novalidate>
        {field('name', 'Their name', 'text', 'off')}
        {field('role', props.role === 'champion' ? 'Their role, such as practice nurse' : 'Their role, such as co-event director')}
        {field('email', 'Their email', 'email', 'off')}
        <button type="submit">Hand over</button>
      </form>
    </AnswerPage>
  );
}

export function DonePage(props: { title: string; message: string; context: LinkContext; now: Date }) {
  return (
    <Layout title={props.title}>
      <div class="done" role="status">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
      </div>
      <LinkSummary context={props.context} now={props.now} />
      <p>You can close this page.</p>
    </Layout>
  );
}

const problemTitles = {
  unknown: 'We do not recognise this link',
  used: 'This link has already been used',
  expired: 'This link has expired',
  'wrong-link': 'This link is for something else',
  'not-contact': 'Someone else looks after this now',
} as const;

/** For every link that cannot be used: what went wrong, that nothing changed, and what to do. */
export function InvalidLinkPage(props: {
  problem: keyof typeof problemTitles;
  message: string;
  context?: LinkContext;
  now?: Date;
  freshLinkAction?: string;
  recipient?: string;
}) {
  return (
    <Layout title={problemTitles[props.problem]}>
      <h1>{problemTitles[props.problem]}</h1>
      <p>{props.message} Nothing has been changed.</p>
      {props.problem === 'not-contact' && <p>If you think this is a mistake, reply to any email from us and we will put it right.</p>}
      {props.freshLinkAction && props.recipient && (
        <form method="post" action={props.freshLinkAction}>
          <p>We can email a new link to {maskEmail(props.recipient)}, the address this one was sent to.</p>
          <button type="submit">Email me a new link</button>
        </form>
      )}
      {!props.freshLinkAction && props.problem !== 'not-contact' && (
        <p>Please use the link in the most recent email from us, or reply to that email and we will help.</p>
      )}
      {props.context && props.now && <LinkSummary context={props.context} now={props.now} />}
    </Layout>
  );
}

export function FreshLinkSentPage(props: { sentTo: string }) {
  return (
    <Layout title="New link on its way">
      <div class="done" role="status">
        <h1>New link on its way</h1>
        <p>We are emailing a new link to {maskEmail(props.sentTo)}. It should arrive in a few minutes and works for 14 days.</p>
      </div>
    </Layout>
  );
}
