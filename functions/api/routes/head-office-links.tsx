/**
 * /head-office/links: the lists behind the figures (and their CSV), one link's story, its
 * audit log as CSV, and head office's two actions on a link. Behind the session guard.
 * (Lists of events are /head-office/events: routes/head-office-events.tsx.)
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { ValidationError } from '../../core/errors.js';
import { isoDayOf } from '../../core/policies/event-dates.js';
import { parseInTouch } from '../../core/policies/link-action-input.js';
import { exportLinks, linkStory, listLinks, logContact, parseRequestId, parseStatus, requestIntroduction, type HeadOfficeLinkDeps } from '../../core/use-cases/head-office-links.js';
import { csvResponse } from '../csv.js';
import type { HeadOfficeEnv } from '../head-office-guard.js';
import { auditAction, LinksPage, LinkStoryPage } from '../views/head-office-link-pages.js';
import { formOf } from './answer-forms.js';
import { scopeFrom } from './head-office-dashboard.js';

export function headOfficeLinkRoutes(deps: HeadOfficeLinkDeps) {
  const today = () => isoDayOf(deps.clock.now(), 'Europe/London');
  // Each drawing of the page gets fresh one-time ids for its forms, so a form sent twice acts once.
  const story = async (id: string, email: string, extra: { notice?: string; errors?: Record<string, string> } = {}) => (
    <LinkStoryPage email={email} story={await linkStory(deps, id)} today={today()} requestIds={{ contact: randomUUID(), introduction: randomUUID(), reject: randomUUID() }} {...extra} />
  );
  return new Hono<HeadOfficeEnv>()
    .get('/links', async (c) => {
      const scope = scopeFrom(c);
      const status = parseStatus(c.req.query('status'));
      const cursor = c.req.query('after');
      const { rows, next } = await listLinks(deps, scope, status, cursor);
      return c.html(<LinksPage email={c.get('session').email} scope={scope} status={status} rows={rows} next={next} cursor={cursor} />);
    })
    .get('/links.csv', async (c) => {
      const scope = scopeFrom(c);
      const status = parseStatus(c.req.query('status'));
      const { rows, truncated } = await exportLinks(deps, scope, status);
      // More than a spreadsheet-sized export: say so, so nobody takes a cut list for the whole.
      if (truncated) c.header('X-Rows-Truncated', `the first ${rows.length}; choose a smaller place for the rest`);
      return csvResponse(
        c,
        `links-${status}-${scope.replace('#', '-').toLowerCase()}.csv`,
        ['link', 'practice', 'practice_code', 'event', 'region', 'country', 'status', 'last_contact', 'champion', 'champion_role', 'champion_email', 'event_directors'],
        rows.map(({ link, practice, event }) => [
          `${link.practiceCode}.${link.eventShortName}`,
          practice?.name,
          link.practiceCode,
          event?.name ?? link.eventShortName,
          event?.region,
          event?.country,
          link.status,
          link.lastContactAt?.slice(0, 10),
          practice?.champion.name,
          practice?.champion.role,
          practice?.champion.email,
          event?.eventDirectors.map((d) => `${d.name} <${d.email}>`).join('; '),
        ]),
      );
    })
    .get('/links/:linkId', async (c) => c.html(await story(c.req.param('linkId'), c.get('session').email)))
    .get('/links/:linkId/audit.csv', async (c) => {
      const { audit } = await linkStory(deps, c.req.param('linkId'), 1000);
      return csvResponse(
        c,
        `audit-${c.req.param('linkId')}.csv`,
        ['when', 'who', 'role', 'what', 'action'],
        audit.map((a) => [a.at, a.actor, a.role, auditAction(a), a.action]),
      );
    })
    .post('/links/:linkId/contact', async (c) => {
      const id = c.req.param('linkId');
      const email = c.get('session').email;
      const { values } = await formOf(c);
      try {
        const context = await logContact(deps, id, parseInTouch(values, today()), email, parseRequestId(values.requestId));
        return c.html(await story(id, email, { notice: `Contact logged for ${context.practice.name} and ${context.event.name}.` }));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return c.html(await story(id, email, { errors: error.fields }), 400);
      }
    })
    .post('/links/:linkId/introduction', async (c) => {
      const id = c.req.param('linkId');
      const email = c.get('session').email;
      const { values } = await formOf(c);
      try {
        const context = await requestIntroduction(deps, id, email, parseRequestId(values.requestId));
        return c.html(await story(id, email, { notice: `We are emailing the introduction again to ${context.practice.champion.name} and the ${context.event.name} event directors.` }));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return c.html(await story(id, email, { errors: error.fields }), 400);
      }
    });
}
