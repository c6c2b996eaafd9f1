/**
 * /unsubscribe/:token, the link in every email's footer and List-Unsubscribe header.
 * GET only shows a button (mail scanners open links); POST stops the mail, and answers
 * a mail provider's RFC 8058 one-click POST with a plain 200, no redirect, no cookie.
 */
import { Hono } from 'hono';
import { InvalidTokenError } from '../../core/errors.js';
import { findUnsubscribeGrant, unsubscribe, type UnsubscribeDeps } from '../../core/use-cases/unsubscribe.js';
import { Layout, messagePage } from '../views/layout.js';

const invalidLinkPage = () =>
  messagePage({
    title: 'This link has expired or is not valid',
    message: 'Nothing has changed. To stop our emails, use the link at the foot of the most recent email we sent you, or reply to it and we will stop them for you.',
  });

export function unsubscribeRoutes(deps: UnsubscribeDeps) {
  return new Hono()
    .get('/:token', async (c) => {
      try {
        const grant = await findUnsubscribeGrant(deps, c.req.param('token'));
        return c.html(
          <Layout title="Stop emails">
            <h1>Stop emails from parkrun practice nudges?</h1>
            <p>
              We will stop sending emails to <strong>{grant.recipient}</strong>.
            </p>
            <form method="post">
              <button type="submit">Stop all emails</button>
            </form>
          </Layout>,
        );
      } catch (error) {
        if (error instanceof InvalidTokenError) return c.html(invalidLinkPage(), 404);
        throw error;
      }
    })
    .post('/:token', async (c) => {
      const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const oneClick = body['List-Unsubscribe'] === 'One-Click';
      try {
        const grant = await unsubscribe(deps, c.req.param('token'), oneClick ? 'one-click' : 'unsubscribe-page');
        if (oneClick) return c.text('Unsubscribed', 200);
        return c.html(
          messagePage({
            title: 'Done: you will not get more emails from us',
            message: `We will not email ${grant.recipient} again. If this was a mistake, reply to any of our emails and we will put it right.`,
          }),
        );
      } catch (error) {
        if (error instanceof InvalidTokenError) return oneClick ? c.text('Link not valid', 404) : c.html(invalidLinkPage(), 404);
        throw error;
      }
    });
}
