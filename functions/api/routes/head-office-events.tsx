/**
 * /head-office/events: the events head office may need to act on (no linked practice, no
 * named director, gone from the feed), and each event's team, which head office keeps
 * true as volunteers change. Behind the session guard; every change is audited.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { ConflictError, ValidationError } from '../../core/errors.js';
import { addDirector, eventTeam, removeDirector, type EventTeamDeps } from '../../core/use-cases/event-teams.js';
import { eventsIn, parseRequestId, type EventList, type HeadOfficeLinkDeps } from '../../core/use-cases/head-office-links.js';
import { csvResponse } from '../csv.js';
import type { HeadOfficeEnv } from '../head-office-guard.js';
import { EventListPage, EventTeamPage, eventListTitles } from '../views/head-office-event-pages.js';
import { formOf } from './answer-forms.js';
import { scopeFrom } from './head-office-dashboard.js';

function listFrom(c: Context): EventList {
  const list = c.req.query('list') ?? 'without-directors';
  if (list in eventListTitles) return list as EventList;
  throw new ValidationError({ list: `Choose a list: ${Object.keys(eventListTitles).join(', ')}` });
}

export function headOfficeEventRoutes(deps: HeadOfficeLinkDeps & EventTeamDeps) {
  // Fresh one-time ids for the page's forms each time it is drawn: a form sent twice acts once.
  const page = async (shortName: string, email: string, extra: { notice?: string; errors?: Record<string, string>; values?: { name?: string; email?: string } } = {}) => (
    <EventTeamPage email={email} view={await eventTeam(deps, shortName)} requestIds={{ add: randomUUID(), remove: randomUUID() }} {...extra} />
  );
  /** A change refused for bad input or a race shows the page again with the reason; anything else is the error handler's. */
  const change = async (c: Context<HeadOfficeEnv>, act: (values: Record<string, string>, actor: string) => Promise<string>) => {
    const shortName = c.req.param('shortName')!;
    const email = c.get('session').email;
    const { values } = await formOf(c);
    try {
      return c.html(await page(shortName, email, { notice: await act(values, email) }));
    } catch (error) {
      if (error instanceof ValidationError) return c.html(await page(shortName, email, { errors: error.fields, values: { name: values.name, email: values.email } }), 400);
      if (error instanceof ConflictError) return c.html(await page(shortName, email, { errors: { team: error.message } }), 409);
      throw error;
    }
  };
  return new Hono<HeadOfficeEnv>()
    .get('/events', async (c) => {
      const scope = scopeFrom(c);
      const list = listFrom(c);
      return c.html(<EventListPage email={c.get('session').email} scope={scope} list={list} events={await eventsIn(deps, scope, list)} />);
    })
    .get('/events.csv', async (c) => {
      const scope = scopeFrom(c);
      const list = listFrom(c);
      const events = await eventsIn(deps, scope, list);
      return csvResponse(
        c,
        `events-${list}-${scope.replace('#', '-').toLowerCase()}.csv`,
        ['event', 'name', 'region', 'country', 'event_directors', 'team_address', 'in_feed'],
        events.map((e) => [e.shortName, e.name, e.region, e.country, e.eventDirectors.map((d) => `${d.name} <${d.email}>`).join('; '), e.teamEmail, e.feed ? String(e.feed.inFeed) : '']),
      );
    })
    .get('/events/:shortName', async (c) => c.html(await page(c.req.param('shortName'), c.get('session').email)))
    .post('/events/:shortName/directors', (c) =>
      change(c, async (values, actor) => {
        const requestId = parseRequestId(values.requestId);
        const added = await addDirector(deps, c.req.param('shortName'), values, actor, requestId);
        return `${added.name} is now an event director. They get the event's email from now on.`;
      }),
    )
    .post('/events/:shortName/directors/remove', (c) =>
      change(c, async (values, actor) => {
        const requestId = parseRequestId(values.requestId);
        const removed = await removeDirector(deps, c.req.param('shortName'), values.email, actor, requestId);
        return `${removed.name} is no longer an event director: no more email about the event, and their links for it stop working.`;
      }),
    );
}
