/** The takeover pages behind the links in takeover emails. */
import type { LinkContext, Takeover } from '../../core/model.js';
import { formatLongDate, parseIsoDay } from '../../core/policies/event-dates.js';
import { Layout } from './layout.js';
import { ErrorSummary, linkTitle } from './link-pages.js';

const day = (iso: string) => formatLongDate(parseIsoDay(iso));

export function ProposePage(props: { context: LinkContext; choices: string[]; chosen: string[]; errors?: Record<string, string> }) {
  return (
    <Layout title="Choose Saturdays for a takeover">
      <p class="caption">{linkTitle(props.context)}</p>
      <h1>Choose Saturdays for a takeover</h1>
      <ErrorSummary errors={props.errors} />
      <p>Tick every Saturday that might suit your team. We will ask the event team to pick one, and tell you when it is fixed.</p>
      <form method="post" novalidate>
        <fieldset>
          <legend>Saturdays on offer</legend>
          {props.choices.map((date, i) => (
            <div class="choice">
              <input id={i === 0 ? 'f-dates' : `f-dates-${date}`} type="checkbox" name="dates" value={date} checked={props.chosen.includes(date)} />
              <label for={i === 0 ? 'f-dates' : `f-dates-${date}`}>{day(date)}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit">Offer these Saturdays</button>
      </form>
    </Layout>
  );
}

export function NotThisYearPage(props: { context: LinkContext }) {
  return (
    <Layout title="No takeover this year">
      <p class="caption">{linkTitle(props.context)}</p>
      <h1>No takeover this year?</h1>
      <p>We will not ask about a takeover again for a year. You can still plan one any time with the event team.</p>
      <form method="post">
        <button type="submit">Not this year</button>
      </form>
    </Layout>
  );
}

export function OfferPage(props: { context: LinkContext; takeover: Takeover; available: string[]; chosen?: string; errors?: Record<string, string> }) {
  const { practice } = props.context;
  const mailto = `mailto:${encodeURIComponent(practice.champion.email)}?subject=${encodeURIComponent(`Takeover of ${props.context.event.name}`)}`;
  return (
    <Layout title="A takeover offer">
      <p class="caption">{linkTitle(props.context)}</p>
      <h1>{practice.name} would like to take over</h1>
      <ErrorSummary errors={props.errors} />
      <p>
        Their team would fill every volunteer role for a morning, with your event team alongside. Choose the Saturday that suits
        you; we will tell {practice.champion.name} and send both of you reminders as it comes.
      </p>
      {props.available.length > 0 ? (
        <form method="post" novalidate>
          <fieldset>
            <legend>Saturdays they offered</legend>
            {props.available.map((date, i) => (
              <div class="choice">
                <input id={i === 0 ? 'f-date' : `f-date-${date}`} type="radio" name="date" value={date} checked={props.chosen === date} />
                <label for={i === 0 ? 'f-date' : `f-date-${date}`}>{day(date)}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit">Fix this Saturday</button>
        </form>
      ) : (
        <p>None of the Saturdays they offered is still free.</p>
      )}
      <form method="post" class="secondary" novalidate>
        <input type="hidden" name="action" value="decline" />
        <div class={props.errors?.reason ? 'field has-error' : 'field'}>
          <label for="f-reason">None of these suit? Say why, and we will ask {practice.champion.name} for other days</label>
          {props.errors?.reason && <p class="error">{props.errors.reason}</p>}
          <input id="f-reason" name="reason" type="text" maxlength={300} aria-invalid={props.errors?.reason ? 'true' : undefined} />
        </div>
        <button type="submit" class="secondary-button">
          None of these suit
        </button>
      </form>
      <p>
        Or <a href={mailto}>email {practice.champion.name}</a> directly.
      </p>
    </Layout>
  );
}

export function RolesPage(props: { context: LinkContext; takeover: Takeover; answers: Record<string, string>; chosen?: string; errors?: Record<string, string> }) {
  return (
    <Layout title="Roles filled for the takeover">
      <p class="caption">{linkTitle(props.context)}</p>
      <h1>How many roles are filled for {day(props.takeover.date!)}?</h1>
      <ErrorSummary errors={props.errors} />
      <form method="post" novalidate>
        <fieldset>
          <legend>Roles filled</legend>
          {Object.entries(props.answers).map(([value, label], i) => (
            <div class="choice">
              <input id={i === 0 ? 'f-filled' : `f-filled-${value}`} type="radio" name="filled" value={value} checked={props.chosen === value} />
              <label for={i === 0 ? 'f-filled' : `f-filled-${value}`}>{label}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit">Send</button>
      </form>
    </Layout>
  );
}

export function ChangePage(props: { context: LinkContext; takeover: Takeover; moveTo: string[]; errors?: Record<string, string> }) {
  return (
    <Layout title="Move or cancel the takeover">
      <p class="caption">{linkTitle(props.context)}</p>
      <h1>Move or cancel the takeover on {day(props.takeover.date!)}</h1>
      <ErrorSummary errors={props.errors} />
      <p>Both the practice and the event team hear about a change, and the reminders follow the new day.</p>
      <form method="post" novalidate>
        <input type="hidden" name="action" value="move" />
        <fieldset>
          <legend>Move it to</legend>
          {props.moveTo.map((date, i) => (
            <div class="choice">
              <input id={i === 0 ? 'f-date' : `f-date-${date}`} type="radio" name="date" value={date} />
              <label for={i === 0 ? 'f-date' : `f-date-${date}`}>{day(date)}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit">Move the takeover</button>
      </form>
      <form method="post" class="secondary">
        <input type="hidden" name="action" value="cancel" />
        <button type="submit" class="secondary-button">
          Cancel the takeover
        </button>
      </form>
    </Layout>
  );
}

export function OutcomePage(props: { context: LinkContext; takeover: Takeover; values?: Record<string, string>; errors?: Record<string, string> }) {
  const v = props.values ?? {};
  const errors = props.errors ?? {};
  return (
    <Layout title="How did the takeover go?">
      <p class="caption">{linkTitle(props.context)}</p>
      <h1>How did the takeover on {day(props.takeover.date!)} go?</h1>
      <ErrorSummary errors={errors} />
      <form method="post" novalidate>
        <fieldset>
          <legend>Did it happen?</legend>
          <div class="choice">
            <input id="f-happened" type="radio" name="happened" value="yes" checked={v.happened !== 'no'} />
            <label for="f-happened">Yes</label>
          </div>
          <div class="choice">
            <input id="f-happened-no" type="radio" name="happened" value="no" checked={v.happened === 'no'} />
            <label for="f-happened-no">No, it did not go ahead</label>
          </div>
        </fieldset>
        <div class={errors.staffVolunteered ? 'field has-error' : 'field'}>
          <label for="f-staffVolunteered">How many practice staff volunteered?</label>
          <p class="hint" id="f-staffVolunteered-hint">Leave it empty if the takeover did not go ahead.</p>
          {errors.staffVolunteered && <p class="error">{errors.staffVolunteered}</p>}
          <input id="f-staffVolunteered" name="staffVolunteered" type="text" inputmode="numeric" aria-describedby="f-staffVolunteered-hint" value={v.staffVolunteered ?? ''} aria-invalid={errors.staffVolunteered ? 'true' : undefined} />
        </div>
        <fieldset>
          <legend>Would you do it again?</legend>
          <div class="choice">
            <input id="f-again" type="radio" name="again" value="yes" checked={v.again !== 'no'} />
            <label for="f-again">Yes</label>
          </div>
          <div class="choice">
            <input id="f-again-no" type="radio" name="again" value="no" checked={v.again === 'no'} />
            <label for="f-again-no">No</label>
          </div>
        </fieldset>
        <button type="submit">Send</button>
      </form>
    </Layout>
  );
}

export function UnavailablePage(props: { context: LinkContext; days: string[]; marked: string[]; errors?: Record<string, string> }) {
  return (
    <Layout title="Saturdays your event cannot host">
      <p class="caption">{props.context.event.name}</p>
      <h1>Which Saturdays can {props.context.event.name} not host a takeover?</h1>
      <ErrorSummary errors={props.errors} />
      <p>Tick the days (cancellations, special events, a busy season). Practices will not be offered them for a takeover.</p>
      <form method="post" novalidate>
        <fieldset>
          <legend>Not available for a takeover</legend>
          {props.days.map((date, i) => (
            <div class="choice">
              <input id={i === 0 ? 'f-dates' : `f-dates-${date}`} type="checkbox" name="dates" value={date} checked={props.marked.includes(date)} />
              <label for={i === 0 ? 'f-dates' : `f-dates-${date}`}>{day(date)}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit">Save these days</button>
      </form>
    </Layout>
  );
}
