/**
 * The registration watcher's handler, built from its dependencies so tests and the
 * local runtime can run it over their own. The Lambda entry is registration-watcher.ts.
 */
import * as z from '../core/zod.js';
import { introduceRegistration, type IntroduceRegistrationDeps } from '../core/use-cases/introduce-registration.js';
import { log } from '../log.js';
import { newItemWatcher } from './stream-batch.js';

/** What a registration item must hold; anything else is a fault, retried then dead-lettered. */
const registrationImage = z.object({
  entityType: z.literal('Registration'),
  id: z.string().check(z.minLength(1)),
  practice: z.object({
    code: z.string(),
    name: z.string(),
    postcode: z.string(),
    champion: z.object({ name: z.string(), role: z.string(), email: z.string(), phone: z.optional(z.string()) }),
  }),
  eventShortNames: z.array(z.string()).check(z.minLength(1)),
  contactedEventTeam: z.boolean(),
  submittedAt: z.string(),
});

export function createRegistrationWatcher(deps: IntroduceRegistrationDeps) {
  return newItemWatcher(registrationImage, async (registration) => {
    const result = await introduceRegistration(deps, registration);
    log.info('Registration introduced', {
      registrationId: registration.id,
      practiceCode: registration.practice.code,
      emails: result.emails.map((e) => `${e.template}:${e.outcome}`),
      ...(result.missingEvents.length ? { missingEvents: result.missingEvents } : {}),
    });
  });
}
