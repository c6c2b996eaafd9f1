/**
 * After a hand-over: the successor gets a welcome with the other side's contacts and
 * their own one-tap answers for every link they now hold. Run by the hand-over watcher
 * from the stream, so the welcome is not lost if mail fails after the hand-over is saved;
 * one idempotency key per hand-over makes a replay harmless.
 */
import { handoverWelcome, type HandoverWelcomeLink } from '../../../templates/handover-welcome.js';
import { answerLinks, answerUrls, type AnswerLinkSpec } from '../magic-links.js';
import type { Mailer, SendOutcome } from '../mailer.js';
import { eventContacts, linkId, type Handover, type Link } from '../model.js';
import type { EventDirectory, PartnershipStore } from '../ports.js';
import { audienceOf, ukTimeZone } from '../policies/quiet-hours.js';

export interface WelcomeSuccessorDeps {
  events: EventDirectory;
  partnerships: PartnershipStore;
  mailer: Mailer;
}

const live = (links: Link[]) => links.filter((l) => l.status !== 'ended');

export async function welcomeSuccessor(deps: WelcomeSuccessorDeps, handover: Handover): Promise<SendOutcome> {
  const role = handover.role;
  let roleDescription: string;
  let links: Array<{ link: Link; title: string; contacts: HandoverWelcomeLink['contacts'] }>;

  if (role === 'champion') {
    const practice = await deps.partnerships.getPractice(handover.practiceCode);
    const practiceLinks = live(await deps.partnerships.linksOfPractice(handover.practiceCode));
    const events = await deps.events.getEvents(practiceLinks.map((l) => l.eventShortName));
    roleDescription = `the parkrun practice contact for ${practice?.name ?? handover.practiceCode}`;
    links = practiceLinks.map((link) => {
      const event = events.get(link.eventShortName);
      return {
        link,
        title: event?.name ?? link.eventShortName,
        contacts: (event ? eventContacts(event) : []).map((d) => ({ label: d.team ? d.name : `Event director ${d.name}`, email: d.email })),
      };
    });
  } else {
    const event = (await deps.events.getEvents([handover.eventShortName])).get(handover.eventShortName);
    const eventLinks = live(await deps.partnerships.linksOfEvent(handover.eventShortName));
    const practices = await Promise.all(eventLinks.map((l) => deps.partnerships.getPractice(l.practiceCode)));
    roleDescription = `an event director of ${event?.name ?? handover.eventShortName}`;
    links = eventLinks.map((link, i) => {
      const practice = practices[i];
      return {
        link,
        title: practice?.name ?? link.practiceCode,
        contacts: practice ? [{ label: `${practice.champion.role} ${practice.champion.name}`, email: practice.champion.email }] : [],
      };
    });
  }

  const prefix = (i: number) => `${i}:`;
  const specs: Record<string, AnswerLinkSpec> = Object.assign(
    {},
    ...links.map(({ link }, i) => answerLinks(prefix(i), linkId(link.practiceCode, link.eventShortName), role, { handOver: false })),
  );
  const first = links[0];
  if (first) specs.handOver = { purpose: 'hand-over', subject: linkId(first.link.practiceCode, first.link.eventShortName), role };

  return deps.mailer.send({
    idempotencyKey: `handover-welcome#${handover.id}`,
    kind: 'introductions',
    to: handover.to.email,
    window: { audience: audienceOf(role), timeZone: ukTimeZone },
    template: handoverWelcome,
    links: specs,
    view: (urls) => ({
      successorName: handover.to.name,
      fromName: handover.from.name,
      roleDescription,
      links: links.map(({ title, contacts }, i) => ({ title, contacts, answers: answerUrls(urls, prefix(i), title) })),
      hasLinks: links.length > 0,
      ...(urls.handOver ? { handOverUrl: urls.handOver } : {}),
    }),
    reason: `You get this because ${handover.from.name} named you as ${roleDescription}.`,
    practiceCode: handover.practiceCode,
    ...(role === 'event-director' ? { eventShortName: handover.eventShortName } : {}),
  });
}
