/**
 * What SES tells us after sending: a permanent bounce or a complaint stops all mail to
 * that address at once. When the address was a practice champion's, the practice's links
 * are flagged as contact lost (and leave the ladder), and the event directors and head
 * office hear, so a person can find the new contact. Safe to run twice for one event.
 */
import { contactLost } from '../../../templates/contact-lost.js';
import type { Mailer } from '../mailer.js';
import { eventContacts, greetingOf } from '../model.js';
import type { Clock, EventDirectory, OptOutStore, PartnershipStore } from '../ports.js';
import { ukTimeZone } from '../policies/quiet-hours.js';

export interface MailFeedback {
  kind: 'bounce' | 'complaint';
  /** Only permanent bounces count; transient ones (a full mailbox) are SES's to retry. */
  permanent: boolean;
  recipients: string[];
  at: Date;
}

export interface MailFeedbackDeps {
  optOuts: OptOutStore;
  partnerships: PartnershipStore;
  events: EventDirectory;
  mailer: Mailer;
  clock: Clock;
  headOfficeEmail: string;
}

export async function handleMailFeedback(deps: MailFeedbackDeps, feedback: MailFeedback): Promise<{ suppressed: string[]; contactsLost: string[] }> {
  if (feedback.kind === 'bounce' && !feedback.permanent) return { suppressed: [], contactsLost: [] };
  const suppressed: string[] = [];
  const contactsLost: string[] = [];
  for (const raw of feedback.recipients) {
    const email = raw.trim().toLowerCase();
    await deps.optOuts.suppress(email, feedback.kind, feedback.at);
    suppressed.push(email);
    if (feedback.kind !== 'bounce') continue;

    for (const practice of await deps.partnerships.practicesByContact(email)) {
      const links = (await deps.partnerships.linksOfPractice(practice.code)).filter((l) => l.status !== 'ended');
      const events = await deps.events.getEvents(links.map((l) => l.eventShortName));
      for (const link of links) {
        await deps.partnerships.markContactLost(link, feedback.at);
        contactsLost.push(`${practice.code}.${link.eventShortName}`);
        const event = events.get(link.eventShortName);
        const view = {
          practiceName: practice.name,
          practicePostcode: practice.postcode,
          championName: practice.champion.name,
          championEmail: practice.champion.email,
          eventName: event?.name ?? link.eventShortName,
        };
        for (const director of event ? eventContacts(event) : []) {
          await deps.mailer.send({
            idempotencyKey: `contact-lost#${practice.code}#${link.eventShortName}#${email}#${director.email.toLowerCase()}`,
            kind: 'introductions',
            to: director.email,
            window: { audience: 'event-director', timeZone: event?.timeZone ?? ukTimeZone },
            template: contactLost,
            view: { ...view, greeting: greetingOf(director), forHeadOffice: false },
            reason: `You get this as an event director of ${view.eventName}.`,
            toDirectorOf: link.eventShortName,
            practiceCode: practice.code,
            eventShortName: link.eventShortName,
          });
        }
        await deps.mailer.send({
          idempotencyKey: `contact-lost#${practice.code}#${link.eventShortName}#${email}#head-office`,
          kind: 'introductions',
          to: deps.headOfficeEmail,
          template: contactLost,
          view: { ...view, greeting: 'parkrun health team', forHeadOffice: true },
          reason: 'You get this as the head-office contact for parkrun practice nudges.',
          practiceCode: practice.code,
          eventShortName: link.eventShortName,
        });
      }
    }
  }
  return { suppressed, contactsLost };
}
