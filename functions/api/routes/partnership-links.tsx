/**
 * /links/:linkId/partnership/:token: the page both sides of a link share. A GET shows it
 * and changes nothing (not even the token); there is nothing to POST: a POST is refused,
 * and changes nothing either. Mounted before the answers' router (links.tsx), whose
 * `/:purpose` would otherwise take the path.
 */
import { Hono } from 'hono';
import { openPartnership, type PartnershipViewDeps } from '../../core/use-cases/partnership-view.js';
import { messagePage } from '../views/layout.js';
import { PartnershipPage } from '../views/partnership-page.js';

export const partnershipPurpose = 'partnership' as const;
export type PartnershipPurpose = typeof partnershipPurpose;

export function partnershipLinkRoutes(deps: PartnershipViewDeps) {
  return new Hono()
    .get('/:linkId/partnership/:token', async (c) => {
      const view = await openPartnership(deps, { linkId: c.req.param('linkId'), token: c.req.param('token') });
      return c.html(<PartnershipPage view={view} />);
    })
    .post('/:linkId/partnership/:token', (c) =>
      c.html(
        messagePage({
          title: 'This page only shows your partnership',
          message: 'Nothing can be changed from it, and nothing was. Use the buttons in your latest email to answer.',
        }),
        405,
        { Allow: 'GET' },
      ),
    );
}
