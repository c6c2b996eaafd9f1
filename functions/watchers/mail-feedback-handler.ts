/**
 * The bounce and complaint handler: SES publishes the configuration set's events to
 * EventBridge, and a rule sends bounces and complaints here. Built from its
 * dependencies; the Lambda entry is mail-feedback.ts.
 */
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import * as z from '../core/zod.js';
import { handleMailFeedback, type MailFeedback, type MailFeedbackDeps } from '../core/use-cases/mail-feedback.js';
import { log } from '../log.js';

const recipient = z.object({ emailAddress: z.string() });
/** Event publishing tags each record with the configuration set it was sent through. */
const mailTags = z.object({ mail: z.optional(z.object({ tags: z.optional(z.record(z.string(), z.array(z.string()))) })) });
const sesEvent = z.union([
  z.object({
    eventType: z.literal('Bounce'),
    bounce: z.object({ bounceType: z.string(), bouncedRecipients: z.array(recipient).check(z.minLength(1)), timestamp: z.string() }),
  }),
  z.object({
    eventType: z.literal('Complaint'),
    complaint: z.object({ complainedRecipients: z.array(recipient).check(z.minLength(1)), timestamp: z.string() }),
  }),
]);

/** SES's event, as what it means for us. A malformed event throws: Lambda retries, then its dead-letter queue keeps it. */
export function parseSesEvent(detail: unknown): MailFeedback {
  const event = sesEvent.parse(detail);
  if (event.eventType === 'Bounce') {
    return {
      kind: 'bounce',
      permanent: event.bounce.bounceType === 'Permanent',
      recipients: event.bounce.bouncedRecipients.map((r) => r.emailAddress),
      at: new Date(event.bounce.timestamp),
    };
  }
  return { kind: 'complaint', permanent: true, recipients: event.complaint.complainedRecipients.map((r) => r.emailAddress), at: new Date(event.complaint.timestamp) };
}

/** False for an event from another configuration set in the same account: not ours to act on. */
export function isFromConfigurationSet(detail: unknown, configurationSet: string | undefined): boolean {
  if (!configurationSet) return true;
  const sets = mailTags.safeParse(detail).data?.mail?.tags?.['ses:configuration-set'];
  return sets === undefined || sets.includes(configurationSet);
}

export function createMailFeedbackHandler(deps: MailFeedbackDeps & { configurationSet?: string }) {
  return middy<EventBridgeEvent<string, unknown>, void>().handler(async (event) => {
    if (!isFromConfigurationSet(event.detail, deps.configurationSet)) {
      log.info('Mail feedback for another configuration set ignored', { id: event.id });
      return;
    }
    const feedback = parseSesEvent(event.detail);
    const result = await handleMailFeedback(deps, feedback);
    log.info('Mail feedback handled', { kind: feedback.kind, permanent: feedback.permanent, ...result });
  });
}
