/**
 * /first-timers/:event/:token: the first-timer volunteer's own link. GET shows what they
 * were named as; POST confirms, says "not me", or steps down (details removed at once).
 */
import { Hono } from 'hono';
import * as z from '../../core/zod.js';
import { parseWith, strictForm } from '../../core/policies/feedback-input.js';
import { authoriseVolunteer, confirmFirstTimerContact, standDownFirstTimerContact, type VolunteerDeps } from '../../core/use-cases/first-timer-contact.js';
import { VolunteerDonePage, VolunteerPage } from '../views/first-timer-pages.js';
import { strictFormOf } from './answer-forms.js';

/** The page's two buttons, and nothing else. */
const volunteerForm = strictForm({ action: z.enum(['confirm', 'step-down'], { error: 'Choose to confirm or to step down' }) });

export function firstTimerRoutes(deps: VolunteerDeps) {
  return new Hono()
    .get('/:event/:token', async (c) => {
      const access = await authoriseVolunteer(deps, { eventShortName: c.req.param('event'), token: c.req.param('token') });
      return c.html(<VolunteerPage event={access.event} as={access.as} details={access.details} />);
    })
    .post('/:event/:token', async (c) => {
      const request = { eventShortName: c.req.param('event'), token: c.req.param('token') };
      // The link first: someone holding a dead or wrong link is told so, not asked to fix the form.
      await authoriseVolunteer(deps, request);
      const { action } = parseWith(volunteerForm, (await strictFormOf(c)).input);
      if (action === 'confirm') {
        const { event, details } = await confirmFirstTimerContact(deps, request);
        return c.html(<VolunteerDonePage title="Thank you for confirming" message={`Practices linked with ${event.name} will tell newcomers to ask for ${details.firstName}, ${details.whereToFind}. We will email you when a practice expects patients.`} />);
      }
      const { event, as } = await standDownFirstTimerContact(deps, request);
      return c.html(
        <VolunteerDonePage
          title={as === 'candidate' ? 'No problem' : 'You have stepped down'}
          message={`Your details are removed, and practices will not be given them. The ${event.name} event directors can name someone else.`}
        />,
      );
    });
}
