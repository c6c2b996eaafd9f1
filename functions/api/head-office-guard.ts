/**
 * Every head-office page but sign-in needs a live session. A browser without one is sent
 * to the sign-in page; a CSV or JSON request gets 401, which a script can act on.
 */
import type { MiddlewareHandler } from 'hono';
import { currentSession, type HeadOfficeAccessDeps } from '../core/use-cases/head-office-access.js';
import type { HeadOfficeSession } from '../core/ports.js';
import { sessionCookieOf } from './routes/head-office-sign-in.js';

export type HeadOfficeEnv = { Variables: { session: HeadOfficeSession } };

export function requireHeadOffice(deps: HeadOfficeAccessDeps): MiddlewareHandler<HeadOfficeEnv> {
  return async (c, next) => {
    const session = await currentSession(deps, sessionCookieOf(c));
    if (!session) {
      const path = c.req.path;
      const wantsData = path.endsWith('.csv') || path.endsWith('.json') || (c.req.header('accept') ?? '').includes('application/json');
      if (wantsData) return c.json({ error: 'unauthorised', message: 'Sign in to the head-office dashboard first.' }, 401);
      return c.redirect('/head-office/sign-in', 303);
    }
    c.set('session', session);
    c.header('Cache-Control', 'no-store');
    await next();
  };
}
