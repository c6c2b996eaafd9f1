/**
 * /links/:linkId/{feedback,newcomers,first-timer-contact}/:token: a practice's monthly
 * feedback, its newcomers, and the event's first-timer contact. GET shows the page and
 * changes nothing; POST applies it. Every form is strict: a field it does not name is
 * refused with a clear message, so nothing else (a patient's details) can be stored.
 */
import { Hono, type Context } from 'hono';
import { ValidationError } from '../../core/errors.js';
import { formatLongDate, parseIsoDay } from '../../core/policies/event-dates.js';
import { parseFeedback, parseNewcomers } from '../../core/policies/feedback-input.js';
import { parseFirstTimerContact } from '../../core/policies/first-timer-input.js';
import { describeReport, openFeedback, recordFeedback, type FeedbackAnswerDeps } from '../../core/use-cases/attendance-feedback.js';
import { nameFirstTimerContact, openContactNaming, type FirstTimerDeps } from '../../core/use-cases/first-timer-contact.js';
import { openNewcomers, planNewcomers, type NewcomerDeps } from '../../core/use-cases/newcomer-notice.js';
import { FeedbackPage, FirstTimerContactPage, NewcomersPage } from '../views/first-timer-pages.js';
import { done, strictFormOf, type FormValues } from './answer-forms.js';
import { sourceAddressOf } from '../source-address.js';
import type { LimitDeps } from '../../core/use-cases/abuse-limits.js';

export const firstTimerPurposes = ['feedback', 'newcomers', 'first-timer-contact'] as const;
export type FirstTimerPurpose = (typeof firstTimerPurposes)[number];

type Deps = FeedbackAnswerDeps & NewcomerDeps & FirstTimerDeps & LimitDeps;

const requestOf = (c: Context) => {
  const source = sourceAddressOf(c);
  return { linkId: c.req.param('linkId') ?? '', token: c.req.param('token') ?? '', ...(source ? { source } : {}) };
};

async function page(deps: Deps, purpose: FirstTimerPurpose, c: Context, values?: FormValues, errors?: Record<string, string>, staff?: string[]) {
  const request = requestOf(c);
  switch (purpose) {
    case 'feedback': {
      const { access, period, report } = await openFeedback(deps, request);
      return <FeedbackPage context={access} period={period} report={report} values={values} staff={staff} errors={errors} />;
    }
    case 'newcomers': {
      const { access, days, plans } = await openNewcomers(deps, request);
      return <NewcomersPage context={access} days={days} plans={plans} values={values} errors={errors} />;
    }
    case 'first-timer-contact':
      return <FirstTimerContactPage context={await openContactNaming(deps, request)} values={values} errors={errors} />;
  }
}

export function firstTimerLinkRoutes(deps: Deps) {
  const app = new Hono();
  for (const purpose of firstTimerPurposes) {
    app.get(`/:linkId/${purpose}/:token`, async (c) => c.html(await page(deps, purpose, c)));
  }
  return app
    .post('/:linkId/feedback/:token', async (c) => {
      let form: Awaited<ReturnType<typeof strictFormOf>> | undefined;
      try {
        form = await strictFormOf(c, ['staff']);
        const { access, report } = await recordFeedback(deps, requestOf(c), parseFeedback(form.input));
        return c.html(await done(deps, access, 'Thank you', `We have recorded that you ${describeReport(report)}. It counts as contact with ${access.event.name}.`));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return c.html(await page(deps, 'feedback', c, form?.values, error.fields, form?.lists.staff ?? []), 400);
      }
    })
    .post('/:linkId/newcomers/:token', async (c) => {
      let form: Awaited<ReturnType<typeof strictFormOf>> | undefined;
      try {
        form = await strictFormOf(c);
        const before = await openNewcomers(deps, requestOf(c));
        const { access, plan } = await planNewcomers(deps, requestOf(c), parseNewcomers(form.input, before.access.event, deps.clock.now()));
        const day = formatLongDate(parseIsoDay(plan.date));
        const contact = access.event.firstTimerContact;
        const message =
          plan.status === 'cancelled'
            ? `We have cancelled ${day}; nobody will be told to expect your patients.`
            : `About ${plan.count} on ${day}. ${contact ? `Tell them to ask for ${contact.firstName}, ${contact.whereToFind}. ` : ''}We will remind you on the Thursday before${contact?.email ? ` and let ${contact.firstName} know` : ''}.`;
        return c.html(await done(deps, access, plan.status === 'cancelled' ? 'Cancelled' : 'Thank you: the event team will expect them', message));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return c.html(await page(deps, 'newcomers', c, form?.values, error.fields), 400);
      }
    })
    .post('/:linkId/first-timer-contact/:token', async (c) => {
      let form: Awaited<ReturnType<typeof strictFormOf>> | undefined;
      try {
        form = await strictFormOf(c);
        const { access, candidate } = await nameFirstTimerContact(deps, requestOf(c), parseFirstTimerContact(form.input));
        const message = candidate.email
          ? `We have emailed ${candidate.firstName} a link to confirm. Practices get their details only after that.`
          : `We are emailing you a link for ${candidate.firstName} to confirm: please pass it on. Practices get their details only after that.`;
        return c.html(await done(deps, access, `${candidate.firstName} named`, message));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return c.html(await page(deps, 'first-timer-contact', c, form?.values, error.fields), 400);
      }
    });
}
