/** /head-office/registrations: those waiting for confirmation, and rejecting one as not genuine. Behind the session guard. */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { awaitingRegistrations, rejectRegistration, type RegistrationReviewDeps } from '../../core/use-cases/registration-review.js';
import { parseRequestId } from '../../core/use-cases/head-office-links.js';
import type { HeadOfficeEnv } from '../head-office-guard.js';
import { AwaitingRegistrationsPage } from '../views/head-office-registration-pages.js';
import { formOf } from './answer-forms.js';

export function headOfficeRegistrationRoutes(deps: RegistrationReviewDeps) {
  const page = async (email: string, notice?: string) => {
    const waiting = await awaitingRegistrations(deps);
    return <AwaitingRegistrationsPage email={email} waiting={waiting} requestIds={waiting.map(() => randomUUID())} {...(notice ? { notice } : {})} />;
  };
  return new Hono<HeadOfficeEnv>()
    .get('/registrations', async (c) => c.html(await page(c.get('session').email)))
    .post('/registrations/:id/reject', async (c) => {
      const email = c.get('session').email;
      const { values } = await formOf(c);
      const rejected = await rejectRegistration(deps, c.req.param('id'), email, parseRequestId(values.requestId));
      return c.html(await page(email, `The registration of ${rejected.practice.name} is rejected: its links, if any, are ended, nobody was told, and registrations naming ${rejected.practice.champion.email} are refused from now on.`));
    });
}
