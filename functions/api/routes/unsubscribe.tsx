/**
 * /unsubscribe/:token, the List-Unsubscribe header's target. GET only shows a button
 * (mail scanners open links); POST stops all mail, and answers a mail provider's RFC 8058
 * one-click POST with a plain 200, no redirect, no cookie.
 */
import { Hono } from 'hono';
import { openPreferences, unsubscribeAll, type PreferencesDeps } from '../../core/use-cases/email-preferences.js';
import { UnsubscribePage } from '../views/preference-pages.js';

export function unsubscribeRoutes(deps: PreferencesDeps) {
  return new Hono()
    .get('/:token', async (c) => {
      const { email } = await openPreferences(deps, c.req.param('token'));
      return c.html(<UnsubscribePage email={email} />);
    })
    .post('/:token', async (c) => {
      const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const oneClick = body['List-Unsubscribe'] === 'One-Click';
      const { email } = await unsubscribeAll(deps, c.req.param('token'), oneClick ? 'one-click' : 'unsubscribe-page');
      return oneClick ? c.text('Unsubscribed', 200) : c.html(<UnsubscribePage email={email} done />);
    });
}
