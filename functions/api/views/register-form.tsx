/**
 * The registration form, for a practice manager at an NHS desk: plain fields, errors
 * next to the field they are about, nothing lost when the form comes back with an error.
 */
import type { EventName } from '../../core/policies/event-names.js';
import { unassignedRegion } from '../../core/policies/event-feed.js';
import { maxEventsPerRegistration } from '../../core/policies/registration-input.js';
import { Layout } from './layout.js';

export interface RegisterFormValues {
  practiceCode?: string;
  practiceName?: string;
  postcode?: string;
  championName?: string;
  championRole?: string;
  championEmail?: string;
  championPhone?: string;
  events?: string[];
  contactedEventTeam?: string;
}

export interface RegisterFormProps {
  /** The events still in parkrun's feed, to choose from. */
  events: EventName[];
  values: RegisterFormValues;
  errors: Record<string, string>;
  /** A problem with the registration as a whole (already linked, unknown event). */
  problem?: string;
}

const eventSlots = 3;

/**
 * The events by region, regions in alphabetical order (events with no region last), each
 * region's events by name: a native list with groups, which needs no script, reads out
 * its group with each option in a screen reader, and lets a person type to jump.
 */
function byRegion(events: readonly EventName[]): Array<[string, EventName[]]> {
  const groups = new Map<string, EventName[]>();
  for (const e of events) groups.set(e.region, [...(groups.get(e.region) ?? []), e]);
  return [...groups.entries()]
    .map(([region, list]): [string, EventName[]] => [region, list.sort((a, b) => a.name.localeCompare(b.name, 'en-GB'))])
    .sort(([a], [b]) => (a === unassignedRegion ? 1 : b === unassignedRegion ? -1 : a.localeCompare(b, 'en-GB')));
}

function Field(props: {
  name: keyof RegisterFormValues;
  label: string;
  hint?: string;
  error?: string;
  value?: string;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  list?: string;
}) {
  const id = `f-${props.name}`;
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.hint && <p class="hint" id={`${id}-hint`}>{props.hint}</p>}
      {props.error && (
        <p class="error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        required={props.required}
        list={props.list}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
    </div>
  );
}

export function RegisterForm({ events, values, errors, problem }: RegisterFormProps) {
  const chosen = values.events ?? [];
  const regions = byRegion(events);
  const errorCount = Object.keys(errors).length;
  return (
    <Layout title={errorCount || problem ? 'Check your registration' : 'Register your parkrun practice'}>
      <h1>Register your parkrun practice</h1>
      <p>
        Tell us who looks after parkrun at your practice and which parkrun event you are linking with. We email the practice's
        parkrun champion to confirm, then introduce them to the event team.
      </p>
      {(errorCount > 0 || problem) && (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
          <h2 id="error-summary-title">There is a problem</h2>
          {problem && <p>{problem}</p>}
          {errorCount > 0 && (
            <ul>
              {Object.entries(errors).map(([field, message]) => (
                <li>
                  <a href={`#f-${field}`}>{message}</a>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <form method="post" action="/register" novalidate>
        <fieldset>
          <legend>Your practice</legend>
          <Field name="practiceCode" label="Practice code" hint="Your ODS code, such as A81001" value={values.practiceCode} error={errors.practiceCode} required />
          <Field name="practiceName" label="Practice name" value={values.practiceName} error={errors.practiceName} autocomplete="organization" required />
          <Field name="postcode" label="Postcode" value={values.postcode} error={errors.postcode} autocomplete="postal-code" required />
        </fieldset>
        <fieldset>
          <legend>Your parkrun champion</legend>
          <p class="hint">The person the event team should talk to. You can hand over to a colleague later.</p>
          <Field name="championName" label="Full name" value={values.championName} error={errors.championName} autocomplete="name" required />
          <Field name="championRole" label="Role" hint="For example GP, practice nurse, practice manager or social prescribing link worker" value={values.championRole} error={errors.championRole} list="roles" required />
          <datalist id="roles">
            <option value="GP" />
            <option value="Practice nurse" />
            <option value="Practice manager" />
            <option value="Social prescribing link worker" />
            <option value="Health care assistant" />
          </datalist>
          <Field name="championEmail" label="Email" type="email" value={values.championEmail} error={errors.championEmail} autocomplete="email" required />
          <Field name="championPhone" label="Phone (optional)" type="tel" value={values.championPhone} error={errors.championPhone} autocomplete="tel" />
        </fieldset>
        <fieldset>
          <legend>Your parkrun event{eventSlots > 1 ? 's' : ''}</legend>
          <p class="hint" id="events-hint">
            Events are listed by region. Link with up to {maxEventsPerRegistration} events (three here; more later from your emails); most practices link with one or two.
          </p>
          {errors.events && (
            <p class="error" id="f-events-error">
              {errors.events}
            </p>
          )}
          {Array.from({ length: eventSlots }, (_, i) => (
            <div class="field">
              <label for={i === 0 ? 'f-events' : `f-events-${i}`}>{i === 0 ? 'parkrun event' : 'Another event (optional)'}</label>
              <select id={i === 0 ? 'f-events' : `f-events-${i}`} name="events" required={i === 0} aria-describedby="events-hint" aria-invalid={errors.events ? 'true' : undefined}>
                <option value="" selected={!chosen[i]}>
                  {i === 0 ? 'Choose your event' : 'None'}
                </option>
                {regions.map(([region, list]) => (
                  <optgroup label={region}>
                    {list.map((e) => (
                      <option value={e.shortName} selected={chosen[i] === e.shortName}>
                        {e.name}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </div>
          ))}
        </fieldset>
        <fieldset class={errors.contactedEventTeam ? 'has-error' : undefined} aria-describedby={errors.contactedEventTeam ? 'f-contactedEventTeam-error' : undefined}>
          <legend>Have you already contacted the event team?</legend>
          {errors.contactedEventTeam && (
            <p class="error" id="f-contactedEventTeam-error">
              {errors.contactedEventTeam}
            </p>
          )}
          <div class="choice">
            <input id="f-contactedEventTeam" type="radio" name="contactedEventTeam" value="yes" checked={values.contactedEventTeam === 'yes'} />
            <label for="f-contactedEventTeam">Yes, we have been in touch</label>
          </div>
          <div class="choice">
            <input id="f-contactedEventTeam-no" type="radio" name="contactedEventTeam" value="no" checked={values.contactedEventTeam === 'no'} />
            <label for="f-contactedEventTeam-no">No, please introduce us</label>
          </div>
        </fieldset>
        <button type="submit">Register the practice</button>
      </form>
      <p class="small">
        We keep your name and work contact details only to run this partnership, and every email we send has a link to stop
        them. Never enter anything about a patient.
      </p>
    </Layout>
  );
}

/**
 * After the form: the confirmation goes to the practice's champion (for a practice on
 * record, its champion on record), so the page names no address: it must not tell anyone
 * who that is.
 */
export function RegistrationReceived(props: { practiceName: string; eventNames: string[] }) {
  return (
    <Layout title="Registration received: check your email">
      <h1>Thank you: now check your email</h1>
      <p>
        We have sent the parkrun champion of {props.practiceName} an email to confirm the registration with{' '}
        {props.eventNames.join(' and ')}. Nothing else happens until they confirm; then we introduce them to the event team.
      </p>
      <p>The email comes from parkrun practice nudges in the next few minutes. If it does not, look in the junk folder.</p>
    </Layout>
  );
}
