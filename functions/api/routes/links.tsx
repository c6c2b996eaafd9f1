/**
 * /links/:linkId/:purpose/:token: the answers in emails. GET shows the page with the
 * answer already chosen and changes nothing (mail scanners open links); POST applies it.
 */
import { Hono } from 'hono';
import { InvalidTokenError, ValidationError } from '../../core/errors.js';
import { answerPurposes, type AnswerPurpose } from '../../core/magic-links.js';
import { formatDayOf, formatLongDate, parseIsoDay } from '../../core/policies/event-dates.js';
import { parseActivities, parseInTouch, parsePauseMonths, parseSuccessor } from '../../core/policies/link-action-input.js';
import { handOver, openAnswer, pauseLink, recordInTouch, setLinkActivities, todayFor, type AnswerRequest } from '../../core/use-cases/link-actions.js';
import {
  cancelTakeover,
  moveTakeover,
  openChange,
  openOutcome,
  openRoles,
  recordRolesFilled,
  recordTakeoverOutcome,
  rolesFilledAnswers,
} from '../../core/use-cases/takeover-countdown.js';
import {
  acceptTakeover,
  declineForThisYear,
  declineOffer,
  openOffer,
  openProposal,
  openUnavailable,
  proposeTakeover,
  saveUnavailable,
  type TakeoverDeps,
} from '../../core/use-cases/takeover-planning.js';
import { ChangePage, NotThisYearPage, OfferPage, OutcomePage, ProposePage, RolesPage, UnavailablePage } from '../views/takeover-pages.js';
import { done, formOf, type FormValues } from './answer-forms.js';
import { sourceAddressOf } from '../source-address.js';
import type { LimitDeps } from '../../core/use-cases/abuse-limits.js';
import { firstTimerPurposes, type FirstTimerPurpose } from './first-timer-links.js';
import { ActivitiesPage, HandOverPage, InTouchPage, PausePage } from '../views/link-pages.js';
import { partnershipPurpose, type PartnershipPurpose } from './partnership-links.js';

/**
 * The answers this router serves; feedback, newcomers and first-timer contacts have their
 * own (first-timer-links.tsx), and so does the partnership page, which answers nothing
 * (partnership-links.tsx).
 */
type LinkPurpose = Exclude<AnswerPurpose, FirstTimerPurpose | PartnershipPurpose>;

function purposeOf(value: string): LinkPurpose {
  const elsewhere = [...firstTimerPurposes, partnershipPurpose] as readonly string[];
  if ((answerPurposes as string[]).includes(value) && !elsewhere.includes(value)) return value as LinkPurpose;
  throw new InvalidTokenError('wrong-link');
}

/** The page for an answer, with what was typed and any errors when it comes back. */
async function answerPage(deps: TakeoverDeps, purpose: LinkPurpose, request: AnswerRequest, query: Record<string, string | undefined>, values?: FormValues, errors?: Record<string, string>) {
  const now = deps.clock.now();
  switch (purpose) {
    case 'in-touch': {
      const access = await openAnswer(deps, { ...request, purpose });
      return <InTouchPage context={access} today={todayFor(access, now)} values={values} errors={errors} />;
    }
    case 'activities':
      return <ActivitiesPage context={await openAnswer(deps, { ...request, purpose })} values={values} errors={errors} />;
    case 'pause':
      return <PausePage context={await openAnswer(deps, { ...request, purpose })} months={query.months === '3' || values?.months === '3' ? 3 : 1} errors={errors} />;
    case 'hand-over': {
      const access = await openAnswer(deps, { ...request, purpose });
      return <HandOverPage context={access} role={access.grant.role} values={values} errors={errors} />;
    }
    case 'takeover-propose': {
      const { access, choices } = await openProposal(deps, request);
      const chosen = values ? (values.dates ?? '').split(',').filter(Boolean) : query.date ? [query.date] : [];
      return <ProposePage context={access} choices={choices} chosen={chosen} errors={errors} />;
    }
    case 'takeover-not-this-year':
      return <NotThisYearPage context={await openAnswer(deps, { ...request, purpose })} />;
    case 'takeover-accept': {
      const { access, takeover, available } = await openOffer(deps, request);
      return <OfferPage context={access} takeover={takeover} available={available} chosen={values?.date} errors={errors} />;
    }
    case 'takeover-outcome': {
      const { access, takeover } = await openOutcome(deps, request);
      return <OutcomePage context={access} takeover={takeover} values={values} errors={errors} />;
    }
    case 'takeover-roles': {
      const { access, takeover } = await openRoles(deps, request);
      return <RolesPage context={access} takeover={takeover} answers={rolesFilledAnswers} chosen={values?.filled ?? query.filled} errors={errors} />;
    }
    case 'takeover-change': {
      const { access, takeover, moveTo } = await openChange(deps, request);
      return <ChangePage context={access} takeover={takeover} moveTo={moveTo} errors={errors} />;
    }
    case 'event-unavailable': {
      const { access, days, marked } = await openUnavailable(deps, request);
      return <UnavailablePage context={access} days={days} marked={values ? (values.dates ?? '').split(',').filter(Boolean) : marked} errors={errors} />;
    }
  }
}

export function linkRoutes(deps: TakeoverDeps & LimitDeps) {
  return new Hono()
    .get('/:linkId/:purpose/:token', async (c) => {
      const purpose = purposeOf(c.req.param('purpose'));
      const request = { linkId: c.req.param('linkId'), token: c.req.param('token') };
      return c.html(await answerPage(deps, purpose, request, { months: c.req.query('months'), date: c.req.query('date'), filled: c.req.query('filled') }));
    })
    .post('/:linkId/:purpose/:token', async (c) => {
      const purpose = purposeOf(c.req.param('purpose'));
      const source = sourceAddressOf(c);
      const request = { linkId: c.req.param('linkId'), token: c.req.param('token'), ...(source ? { source } : {}) };
      const { values, lists } = await formOf(c);
      try {
        switch (purpose) {
          case 'in-touch': {
            const before = await openAnswer(deps, { ...request, purpose });
            const access = await recordInTouch(deps, request, parseInTouch(values, todayFor(before, deps.clock.now())));
            return c.html(done(deps, access, "Thank you: you're in touch", 'We have recorded it. Nobody will be reminded about this link for a good while.'));
          }
          case 'activities': {
            const access = await setLinkActivities(deps, request, parseActivities(values));
            return c.html(done(deps, access, 'Activities saved', 'Thank you. Head office sees these when it looks at how links are going.'));
          }
          case 'pause': {
            const { access, until } = await pauseLink(deps, request, parsePauseMonths(values.months));
            return c.html(done(deps, access, 'Reminders paused', `We will not send reminders about this link until ${formatDayOf(until, access.event.timeZone)}.`));
          }
          case 'hand-over': {
            const before = await openAnswer(deps, { ...request, purpose });
            const { access, handover } = await handOver(deps, request, parseSuccessor(values, before.grant.recipient));
            return c.html(done(deps, access, `We have asked ${handover.to.name} to accept`, `We are emailing ${handover.to.name} a link to accept the hand-over. Until they do, you stay the contact and your links keep working; once they accept, they get their own links and you stop getting our emails about it.`));
          }
          case 'takeover-propose': {
            const { access, takeover } = await proposeTakeover(deps, request, lists.dates ?? []);
            const days = takeover.proposedDates.map((d) => formatLongDate(parseIsoDay(d))).join(', ');
            return c.html(done(deps, access, 'Saturdays offered', `We will ask the event team to choose from ${days}, and tell you when a day is fixed.`));
          }
          case 'takeover-not-this-year': {
            const access = await declineForThisYear(deps, request);
            return c.html(done(deps, access, 'Not this year', 'We will not ask about a takeover again for a year.'));
          }
          case 'takeover-accept': {
            if (values.action === 'decline') {
              const { access } = await declineOffer(deps, request, values.reason ?? '');
              return c.html(done(deps, access, 'Thank you', `We will ask ${access.practice.champion.name} to choose other Saturdays.`));
            }
            const { access, takeover } = await acceptTakeover(deps, request, values.date ?? '');
            return c.html(done(deps, access, `Takeover fixed for ${formatLongDate(parseIsoDay(takeover.date!))}`, `Thank you. We will send you and ${access.practice.champion.name} reminders as the day comes.`));
          }
          case 'takeover-roles': {
            const { access } = await recordRolesFilled(deps, request, values.filled ?? '');
            return c.html(done(deps, access, 'Thank you', 'We will pass it on to the event team with their final check before the day.'));
          }
          case 'takeover-change': {
            if (values.action === 'cancel') {
              const { access } = await cancelTakeover(deps, request);
              return c.html(done(deps, access, 'Takeover cancelled', 'The day is free again and the reminders are cancelled. We may ask about another takeover in a few months.'));
            }
            const { access, takeover } = await moveTakeover(deps, request, values.date ?? '');
            return c.html(done(deps, access, `Takeover moved to ${formatLongDate(parseIsoDay(takeover.date!))}`, 'The reminders now follow the new day.'));
          }
          case 'event-unavailable': {
            const access = await saveUnavailable(deps, request, lists.dates ?? []);
            return c.html(done(deps, access, 'Saved', 'Practices will not be offered those Saturdays for a takeover.'));
          }
          case 'takeover-outcome': {
            const staff = values.staffVolunteered?.trim() ?? '';
            const problems: Record<string, string> = {};
            if (!/^\d{1,3}$/.test(staff) || Number(staff) > 200) problems.staffVolunteered = 'Enter a number of people from 0 to 200';
            // The radios send yes or no: anything else is refused, not recorded as a yes.
            for (const name of ['happened', 'again'] as const) if (values[name] !== undefined && values[name] !== 'yes' && values[name] !== 'no') problems[name] = 'Choose yes or no';
            if (Object.keys(problems).length > 0) throw new ValidationError(problems);
            const { access } = await recordTakeoverOutcome(deps, request, { happened: values.happened !== 'no', staffVolunteered: Number(staff), wouldDoAgain: values.again !== 'no' });
            return c.html(done(deps, access, 'Thank you for telling us', values.happened !== 'no' ? 'We have recorded the takeover as done.' : 'We have recorded that it did not go ahead.'));
          }
        }
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return c.html(await answerPage(deps, purpose, request, {}, { ...values, ...(lists.dates ? { dates: lists.dates.join(',') } : {}) }, error.fields), 400);
      }
    });
}
