/**
 * /links/:linkId/<purpose>/:token: the answers in emails, one GET and one POST route per
 * purpose. GET shows the page with the answer already chosen and changes nothing (mail
 * scanners open links); POST applies it.
 */
import { Hono } from 'hono';
import { InvalidTokenError, ValidationError } from '../../core/errors.js';
import type { AnswerPurpose } from '../../core/magic-links.js';
import { formatDayOf, formatLongDate, parseIsoDay } from '../../core/policies/event-dates.js';
import { parseActivities, parseInTouch, parsePauseMonths, parseSuccessor, parseTakeoverOutcome } from '../../core/policies/link-action-input.js';
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
} from '../../core/use-cases/takeover-answers.js';
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
import type { FirstTimerPurpose } from './first-timer-links.js';
import { ActivitiesPage, HandOverPage, InTouchPage, PausePage } from '../views/link-pages.js';
import type { PartnershipPurpose } from './partnership-links.js';

/**
 * The answers this router serves; feedback, newcomers and first-timer contacts have their
 * own (first-timer-links.tsx), and so does the partnership page, which answers nothing
 * (partnership-links.tsx).
 */
type LinkPurpose = Exclude<AnswerPurpose, FirstTimerPurpose | PartnershipPurpose>;


/** A rendered page, as c.html takes it. */
type Page = Awaited<ReturnType<typeof done>>;

/** What the page was sent, for showing it again with its errors. */
interface Sent {
  values: FormValues;
  lists: Record<string, string[]>;
}

/**
 * One answer: its page (GET, and again with what was typed and the errors when a POST is
 * refused), and what a POST does. GET never changes anything: mail scanners open links.
 */
interface Answer {
  page(request: AnswerRequest, query: Record<string, string | undefined>, sent?: Sent, errors?: Record<string, string>): Promise<Page>;
  apply(request: AnswerRequest, sent: Sent): Promise<Page>;
}

function answers(deps: TakeoverDeps & LimitDeps): Record<LinkPurpose, Answer> {
  const now = () => deps.clock.now();
  const listed = (sent: Sent | undefined, fallback: string[]) => (sent ? (sent.lists.dates ?? []) : fallback);
  return {
    'in-touch': {
      async page(request, _query, sent, errors) {
        const access = await openAnswer(deps, { ...request, purpose: 'in-touch' });
        return <InTouchPage context={access} today={todayFor(access, now())} values={sent?.values} errors={errors} />;
      },
      async apply(request, { values }) {
        const before = await openAnswer(deps, { ...request, purpose: 'in-touch' });
        const access = await recordInTouch(deps, request, parseInTouch(values, todayFor(before, now())));
        return done(deps, access, "Thank you: you're in touch", 'We have recorded it. Nobody will be reminded about this link for a good while.');
      },
    },
    activities: {
      async page(request, _query, sent, errors) {
        return <ActivitiesPage context={await openAnswer(deps, { ...request, purpose: 'activities' })} values={sent?.values} errors={errors} />;
      },
      async apply(request, { values }) {
        const access = await setLinkActivities(deps, request, parseActivities(values));
        return done(deps, access, 'Activities saved', 'Thank you. Head office sees these when it looks at how links are going.');
      },
    },
    pause: {
      async page(request, query, sent, errors) {
        return <PausePage context={await openAnswer(deps, { ...request, purpose: 'pause' })} months={query.months === '3' || sent?.values.months === '3' ? 3 : 1} errors={errors} />;
      },
      async apply(request, { values }) {
        const { access, until } = await pauseLink(deps, request, parsePauseMonths(values.months));
        return done(deps, access, 'Reminders paused', `We will not send reminders about this link until ${formatDayOf(until, access.event.timeZone)}.`);
      },
    },
    'hand-over': {
      async page(request, _query, sent, errors) {
        const access = await openAnswer(deps, { ...request, purpose: 'hand-over' });
        return <HandOverPage context={access} role={access.grant.role} values={sent?.values} errors={errors} />;
      },
      async apply(request, { values }) {
        const before = await openAnswer(deps, { ...request, purpose: 'hand-over' });
        const { access, handover } = await handOver(deps, request, parseSuccessor(values, before.grant.recipient));
        return done(
          deps,
          access,
          `We have asked ${handover.to.name} to accept`,
          `We are emailing ${handover.to.name} a link to accept the hand-over. Until they do, you stay the contact and your links keep working; once they accept, they get their own links and you stop getting our emails about it.`,
        );
      },
    },
    'takeover-propose': {
      async page(request, query, sent, errors) {
        const { access, choices } = await openProposal(deps, request);
        return <ProposePage context={access} choices={choices} chosen={listed(sent, query.date ? [query.date] : [])} errors={errors} />;
      },
      async apply(request, { lists }) {
        const { access, takeover } = await proposeTakeover(deps, request, lists.dates ?? []);
        const days = takeover.proposedDates.map((d) => formatLongDate(parseIsoDay(d))).join(', ');
        return done(deps, access, 'Saturdays offered', `We will ask the event team to choose from ${days}, and tell you when a day is fixed.`);
      },
    },
    'takeover-not-this-year': {
      async page(request) {
        return <NotThisYearPage context={await openAnswer(deps, { ...request, purpose: 'takeover-not-this-year' })} />;
      },
      async apply(request) {
        const access = await declineForThisYear(deps, request);
        return done(deps, access, 'Not this year', 'We will not ask about a takeover again for a year.');
      },
    },
    'takeover-accept': {
      async page(request, _query, sent, errors) {
        const { access, takeover, available } = await openOffer(deps, request);
        return <OfferPage context={access} takeover={takeover} available={available} chosen={sent?.values.date} errors={errors} />;
      },
      async apply(request, { values }) {
        if (values.action === 'decline') {
          const { access } = await declineOffer(deps, request, values.reason ?? '');
          return done(deps, access, 'Thank you', `We will ask ${access.practice.champion.name} to choose other Saturdays.`);
        }
        const { access, takeover } = await acceptTakeover(deps, request, values.date ?? '');
        return done(deps, access, `Takeover fixed for ${formatLongDate(parseIsoDay(takeover.date!))}`, `Thank you. We will send you and ${access.practice.champion.name} reminders as the day comes.`);
      },
    },
    'takeover-roles': {
      async page(request, query, sent, errors) {
        const { access, takeover } = await openRoles(deps, request);
        return <RolesPage context={access} takeover={takeover} answers={rolesFilledAnswers} chosen={sent?.values.filled ?? query.filled} errors={errors} />;
      },
      async apply(request, { values }) {
        const { access } = await recordRolesFilled(deps, request, values.filled ?? '');
        return done(deps, access, 'Thank you', 'We will pass it on to the event team with their final check before the day.');
      },
    },
    'takeover-change': {
      async page(request, _query, _sent, errors) {
        const { access, takeover, moveTo } = await openChange(deps, request);
        return <ChangePage context={access} takeover={takeover} moveTo={moveTo} errors={errors} />;
      },
      async apply(request, { values }) {
        if (values.action === 'cancel') {
          const { access } = await cancelTakeover(deps, request);
          return done(deps, access, 'Takeover cancelled', 'The day is free again and the reminders are cancelled. We may ask about another takeover in a few months.');
        }
        const { access, takeover } = await moveTakeover(deps, request, values.date ?? '');
        return done(deps, access, `Takeover moved to ${formatLongDate(parseIsoDay(takeover.date!))}`, 'The reminders now follow the new day.');
      },
    },
    'takeover-outcome': {
      async page(request, _query, sent, errors) {
        const { access, takeover } = await openOutcome(deps, request);
        return <OutcomePage context={access} takeover={takeover} values={sent?.values} errors={errors} />;
      },
      async apply(request, { values }) {
        const outcome = parseTakeoverOutcome(values);
        const { access } = await recordTakeoverOutcome(deps, request, outcome);
        return done(deps, access, 'Thank you for telling us', outcome.happened ? 'We have recorded the takeover as done.' : 'We have recorded that it did not go ahead.');
      },
    },
    'event-unavailable': {
      async page(request, _query, sent, errors) {
        const { access, days, marked } = await openUnavailable(deps, request);
        return <UnavailablePage context={access} days={days} marked={listed(sent, marked)} errors={errors} />;
      },
      async apply(request, { lists }) {
        const access = await saveUnavailable(deps, request, lists.dates ?? []);
        return done(deps, access, 'Saved', 'Practices will not be offered those Saturdays for a takeover.');
      },
    },
  };
}

/** One GET and one POST route per answer; any other purpose here is a link for something else. */
export function linkRoutes(deps: TakeoverDeps & LimitDeps) {
  const app = new Hono();
  for (const [purpose, answer] of Object.entries(answers(deps))) {
    app.get(`/:linkId/${purpose}/:token`, async (c) => {
      const request = { linkId: c.req.param('linkId'), token: c.req.param('token') };
      return c.html(await answer.page(request, { months: c.req.query('months'), date: c.req.query('date'), filled: c.req.query('filled') }));
    });
    app.post(`/:linkId/${purpose}/:token`, async (c) => {
      const source = sourceAddressOf(c);
      const request = { linkId: c.req.param('linkId'), token: c.req.param('token'), ...(source ? { source } : {}) };
      const { values, lists } = await formOf(c);
      try {
        return c.html(await answer.apply(request, { values, lists }));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return c.html(await answer.page(request, {}, { values, lists }, error.fields), 400);
      }
    });
  }
  app.all('/:linkId/:purpose/:token', () => {
    throw new InvalidTokenError('wrong-link');
  });
  return app;
}
