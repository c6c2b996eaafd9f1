/** /fresh-links/:token: "email me a new link", offered on the page of a used or expired link. */
import { Hono } from 'hono';
import { requestFreshLink, type RequestFreshLinkDeps } from '../../core/use-cases/fresh-link.js';
import { FreshLinkSentPage } from '../views/link-pages.js';
import { sourceAddressOf } from '../source-address.js';

export function freshLinkRoutes(deps: RequestFreshLinkDeps) {
  return new Hono().post('/:token', async (c) => {
    const source = sourceAddressOf(c);
    const { sentTo } = await requestFreshLink(deps, c.req.param('token'), source ? { source } : {});
    return c.html(<FreshLinkSentPage sentTo={sentTo} />, 202);
  });
}
