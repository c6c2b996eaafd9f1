/**
 * /links/:linkId/:purpose/:token: the answers in emails. GET shows the page with the
 * answer already chosen and changes nothing (mail scanners open links); POST applies it.
 */
import { Hono, type Context } from 'hono';
import { InvalidTokenError, ValidationError } from '../../core/errors.js';
import { answerPurposes, type AnswerPurpose } from '../../core/magic-links.js';
import { formatDayOf } from '../../core/policies/event-dates.js';
import { parseActivities, parseInTouch, parsePauseMonths, parseSuccessor } from '../../core/policies/link-action-input.js';
import { handOver, openAnswer, pauseLink, recordInTouch, setLinkActivities, todayFor } from '../../core/use-cases/link-actions.js';
import type { AnswerAccess, TokenAccessDeps } from '../../core/use-cases/token-access.js';
import { ActivitiesPage, DonePage, HandOverPage, InTouchPage, PausePage } from '../views/link-pages.js';

function purposeOf(value: string): AnswerPurpose {
  if ((answerPurposes as string[]).includes(value)) return value as AnswerPurpose;
  throw new InvalidTokenError('wrong-link');
}

type FormValues = Record<string, string>;

async function formOf(c: Context): Promise<FormValues> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The page for an answer, with what was typed and any errors when it comes back. */
function answerPage(purpose: AnswerPurpose, access: AnswerAccess, now: Date, query: { months?: string }, values?: FormValues, errors?: Record<string, string>) {
  switch (purpose) {
    case 'in-touch':
      return <InTouchPage context={access} today={todayFor(access, now)} values={values} errors={errors} />;
    case 'activities':
      return <ActivitiesPage context={access} values={values} errors={errors} />;
    case 'pause':
      return <PausePage context={access} months={query.months === '3' || values?.months === '3' ? 3 : 1} errors={errors} />;
    case 'hand-over':
      return <HandOverPage context={access} role={access.grant.role} values={values} errors={errors} />;
  }
}

export function linkRoutes(deps: TokenAccessDeps) {
  return new Hono()
    .get('/:linkId/:purpose/:token', async (c) => {
      const purpose = purposeOf(c.req.param('purpose'));
      const access = await openAnswer(deps, { linkId: c.req.param('linkId'), purpose, token: c.req.param('token') });
      return c.html(answerPage(purpose, access, deps.clock.now(), { months: c.req.query('months') }));
    })
    .post('/:linkId/:purpose/:token', async (c) => {
      const purpose = purposeOf(c.req.param('purpose'));
      const request = { linkId: c.req.param('linkId'), token: c.req.param('token') };
      const values = await formOf(c);
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
            return c.html(done(deps, access, `Handed over to ${handover.to.name}`, `We are emailing ${handover.to.name} a welcome with their own links. You will not get more emails about this from us.`));
          }
        }
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const access = await openAnswer(deps, { ...request, purpose });
        return c.html(answerPage(purpose, access, deps.clock.now(), {}, values, error.fields), 400);
      }
    });
}

/** The done page shows the link as it is now, read back after the write. */
async function done(deps: TokenAccessDeps, access: AnswerAccess, title: string, message: string) {
  const link = (await deps.partnerships.getLink(access.practice.code, access.event.shortName)) ?? access.link;
  const practice = (await deps.partnerships.getPractice(access.practice.code)) ?? access.practice;
  const event = (await deps.events.getEvents([access.event.shortName])).get(access.event.shortName) ?? access.event;
  return <DonePage title={title} message={message} context={{ link, practice, event }} now={deps.clock.now()} />;
}

