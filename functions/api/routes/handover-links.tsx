/**
 * /handovers/:linkId/accept/:token: the successor's acceptance. GET shows the offer and
 * changes nothing (mail scanners open links); POST accepts it, and the welcome follows
 * from the stream.
 */
import { Hono, type Context } from 'hono';
import { acceptHandover, openHandover, type HandoverAcceptanceDeps } from '../../core/use-cases/handover-acceptance.js';
import { AcceptHandoverPage, HandoverAcceptedPage } from '../views/handover-pages.js';

const requestOf = (c: Context) => ({ linkId: c.req.param('linkId') ?? '', token: c.req.param('token') ?? '' });

export function handoverLinkRoutes(deps: HandoverAcceptanceDeps) {
  return new Hono()
    .get('/:linkId/accept/:token', async (c) => c.html(<AcceptHandoverPage access={await openHandover(deps, requestOf(c))} />))
    .post('/:linkId/accept/:token', async (c) => c.html(<HandoverAcceptedPage access={await acceptHandover(deps, requestOf(c))} />));
}
