/**
 * A plain reply to an email about a link: the other side of the link gets its words, and
 * the link shows contact, as after "We're in touch". The reply address (`reply+<token>@…`,
 * policies/reply-address.ts) says whose it is and which link it is about.
 *
 * What a reply never does: nothing is relayed or recorded for a machine's message (an
 * auto-reply, an out-of-office, a bounce), a message failing both SPF and DKIM or marked
 * spam or virus, an address that is unknown, tampered with, expired or no longer its
 * holder's, or a message over 10 MB; and no one but an authenticated holder is ever mailed
 * back (no backscatter). A reply from another address goes to head office, not across.
 * Nothing of the words is stored: they go into the relayed email and nowhere else.
 *
 * Each message is handled once however often it is delivered: the contact is recorded at
 * the message's arrival time, so a second delivery finds it recorded, and each relayed
 * email's idempotency key names the message.
 */
import { emailKinds, eventContacts, sideOf, type ContactRole, type EmailKind, type LinkContext } from '../model.js';
import type { Mailer, SendOutcome } from '../mailer.js';
import { isoDayOf } from '../policies/event-dates.js';
import type { NudgePolicy } from '../policies/quiet-link-ladder.js';
import { replyTokenOf } from '../policies/reply-address.js';
import type { Clock, EventDirectory, LinkTokens, OptOutStore, PartnershipStore, RateLimiter, TokenLookup } from '../ports.js';
import { replyFromStranger, replyRelay, replyStopped } from '../../../templates/reply-emails.js';
import { contactTiming } from './link-actions.js';
import { isCurrentContact, loadLinkContext } from './token-access.js';

/** A received reply, as the receiving adapter read it (adapters/reply-message.ts). */
export interface InboundReply {
  /** The envelope's recipients (SES's receipt, SMTP's RCPT TO): where it was sent. */
  recipients: string[];
  /** The From header's address, lower case. */
  from: string;
  /** When it arrived (SES's receipt time; the local SMTP server's clock): the contact's time, the same on every delivery. */
  receivedAt: Date;
  /** Names the message (a hash of its Message-ID): what it sets off is keyed by it. */
  messageKey: string;
  /** The reply's new words only: no quoted history, no signature. */
  words: string;
  /** How many attachments came with it (never relayed). */
  attachments: number;
  sizeBytes: number;
  /** Why a machine, not a person, sent it (policies/automatic-mail.ts), when its headers say so. */
  automatic?: string;
  /** SES's verdicts (PASS, FAIL, GRAY, …); absent locally, where nothing is checked. */
  verdicts?: { spf?: string; dkim?: string; spam?: string; virus?: string };
}

export type ReplyOutcome =
  | { outcome: 'relayed'; to: string[]; contactRecorded: boolean }
  | { outcome: 'stopped'; kind: EmailKind }
  | { outcome: 'forwarded' }
  | { outcome: 'ignored'; reason: IgnoredReason };

export type IgnoredReason = 'too-large' | 'spam-or-virus' | 'unauthenticated' | 'automatic' | 'unknown-address' | 'expired' | 'not-contact' | 'rate-limited' | 'empty';

export interface EmailReplyDeps {
  tokens: LinkTokens;
  partnerships: PartnershipStore;
  events: EventDirectory;
  optOuts: OptOutStore;
  rateLimiter: RateLimiter;
  mailer: Mailer;
  clock: Clock;
  nudgePolicy: NudgePolicy;
  /** The domain replies come in on (MAIL_REPLY_DOMAIN). */
  replyDomain: string;
  /** Head office's address: replies from strangers go there. */
  headOfficeEmail: string;
}

export const maxReplyBytes = 10 * 1024 * 1024;
/** Relays a day per reply address: a conversation is a handful; a loop between two mail robots is not. */
export const relaysPerDay = 20;
const day = 86_400_000;

const failed = (verdict: string | undefined) => verdict?.toUpperCase() === 'FAIL';
const passed = (verdict: string | undefined) => verdict?.toUpperCase() === 'PASS';
/** A first line of "stop" or "unsubscribe" (a word, with or without a full stop). */
const isStop = (words: string) => /^\s*(stop|unsubscribe)\s*[.!]?\s*$/i.test(words.split('\n').find((line) => line.trim() !== '') ?? '');

interface Holder {
  lookup: TokenLookup;
  role: ContactRole;
  context: LinkContext;
}

/** The holder of the reply address the message was sent to, or why there is none. */
async function holderOf(deps: EmailReplyDeps, reply: InboundReply): Promise<Holder | IgnoredReason> {
  const token = reply.recipients.map((r) => replyTokenOf(r, deps.replyDomain)).find((t) => t !== undefined);
  if (!token) return 'unknown-address';
  const lookup = await deps.tokens.lookup(token, deps.clock.now());
  const role = lookup?.grant.role;
  if (!lookup || lookup.grant.purpose !== 'reply' || (role !== 'champion' && role !== 'event-director')) return 'unknown-address';
  if (lookup.state !== 'valid') return 'expired';
  const context = await loadLinkContext(deps, lookup.grant.subject);
  if (!context) return 'unknown-address';
  // Someone who has handed over no longer speaks for their side.
  if (!isCurrentContact(context, role, lookup.grant.recipient)) return 'not-contact';
  return { lookup, role, context };
}

export async function receiveReply(deps: EmailReplyDeps, reply: InboundReply): Promise<ReplyOutcome> {
  const ignored = (reason: IgnoredReason): ReplyOutcome => ({ outcome: 'ignored', reason });
  if (reply.sizeBytes > maxReplyBytes) return ignored('too-large');
  const { verdicts } = reply;
  if (failed(verdicts?.spam) || failed(verdicts?.virus)) return ignored('spam-or-virus');
  if (failed(verdicts?.spf) && failed(verdicts?.dkim)) return ignored('unauthenticated');
  if (reply.automatic) return ignored('automatic');
  const holder = await holderOf(deps, reply);
  if (typeof holder === 'string') return ignored(holder);
  const { lookup, role, context } = holder;
  const now = deps.clock.now();

  // Counted once per message: Lambda's retry of the same message is not another relay.
  if (!(await deps.rateLimiter.take(`reply#${lookup.ref}`, relaysPerDay, day, now, reply.messageKey))) return ignored('rate-limited');
  const holderAddress = lookup.grant.recipient.toLowerCase();
  const names = { practiceName: context.practice.name, eventName: context.event.name };
  if (reply.from.toLowerCase() !== holderAddress) {
    await deps.mailer.send({
      idempotencyKey: `reply-stranger#${reply.messageKey}`,
      kind: 'requested',
      to: deps.headOfficeEmail,
      template: replyFromStranger,
      view: { from: reply.from, holder: lookup.grant.recipient, words: reply.words, ...names },
      reason: 'You get this as head office: replies that are not from the person we wrote to come to you.',
    });
    return { outcome: 'forwarded' };
  }

  const spend = { ref: lookup.ref, purpose: 'reply' as const, now };
  const kind = lookup.grant.detail?.kind;
  if (isStop(reply.words) && kind !== undefined && Object.hasOwn(emailKinds, kind)) {
    const stopped = (await deps.optOuts.getPreferences(holderAddress)).stopped;
    await deps.optOuts.setPreferences(holderAddress, [...new Set([...stopped, kind as EmailKind])], now, 'email-reply', spend);
    // Only to a sender whose mail system vouched for them (locally, nothing is checked).
    if (!verdicts || passed(verdicts.spf) || passed(verdicts.dkim)) {
      await deps.mailer.send({
        idempotencyKey: `reply-stop#${reply.messageKey}`,
        kind: 'requested',
        to: holderAddress,
        template: replyStopped,
        view: { greeting: nameOf(context, role, holderAddress), kindName: emailKinds[kind as EmailKind] },
        reason: 'You get this because you replied "stop" to one of our emails.',
      });
    }
    return { outcome: 'stopped', kind: kind as EmailKind };
  }
  if (reply.words.trim() === '') return ignored('empty');

  const contactRecorded = await recordReplyContact(deps, holder, reply.receivedAt, spend);
  const to = await relay(deps, holder, reply);
  return { outcome: 'relayed', to, contactRecorded };
}

/** The holder's name as we know it. */
function nameOf(context: LinkContext, role: ContactRole, address: string): string {
  if (role === 'champion') return context.practice.champion.name;
  return eventContacts(context.event).find((d) => d.email.toLowerCase() === address)?.name ?? address;
}

/**
 * Contact at the reply's arrival, by the replier's side, "by email reply": as "We're in
 * touch" records it (the ladder starts over). A link whose last contact is as recent
 * already has it: this message, delivered again, or a later contact, which stands.
 */
async function recordReplyContact(deps: EmailReplyDeps, { role, context }: Holder, at: Date, spend: { ref: string; purpose: 'reply'; now: Date }): Promise<boolean> {
  const { link } = context;
  if (link.lastContactAt && new Date(link.lastContactAt) >= at) return false;
  const today = isoDayOf(at, context.event.timeZone);
  const { moveLastContact, dueAt } = contactTiming(link, undefined, today, at, deps.nudgePolicy);
  await deps.partnerships.recordContact(
    { practiceCode: link.practiceCode, eventShortName: link.eventShortName },
    { at, by: sideOf(role), how: 'email-reply', moveLastContact, recordedAt: spend.now },
    spend,
    dueAt,
  );
  return true;
}

/** The reply's words to the other side: the champion, or the event's contacts; each gets a reply address of their own. */
async function relay(deps: EmailReplyDeps, { role, context, lookup }: Holder, reply: InboundReply): Promise<string[]> {
  const { practice, event, link } = context;
  const holderAddress = lookup.grant.recipient.toLowerCase();
  const senderName = nameOf(context, role, holderAddress);
  const senderPlace = role === 'champion' ? practice.name : event.name;
  const readers: Array<{ name: string; email: string; role: ContactRole }> =
    role === 'champion' ? eventContacts(event).map((d) => ({ name: d.name, email: d.email, role: 'event-director' as const })) : [{ ...practice.champion, role: 'champion' }];
  const linkId = `${link.practiceCode}.${link.eventShortName}`;
  const sent: Array<[string, SendOutcome]> = [];
  for (const reader of readers) {
    const outcome = await deps.mailer.send({
      idempotencyKey: `reply-relay#${reply.messageKey}#${reader.email.toLowerCase()}`,
      kind: 'replies',
      to: reader.email,
      template: replyRelay,
      // The partnership page link makes this an email about the link: it gets the reader's own reply address.
      links: { partnership: { purpose: 'partnership', subject: linkId, role: reader.role } },
      view: {
        greeting: reader.name,
        senderName,
        senderPlace,
        practiceName: practice.name,
        eventName: event.name,
        words: reply.words.trim(),
        leftOut: reply.attachments > 0,
      },
      reason: `You get this because ${senderName} replied to an email about the partnership between ${practice.name} and ${event.name}.`,
      practiceCode: link.practiceCode,
      eventShortName: link.eventShortName,
      ...(reader.role === 'event-director' ? { toDirectorOf: event.shortName } : {}),
      window: { audience: reader.role === 'champion' ? 'practice' : 'event-director', timeZone: event.timeZone },
    });
    sent.push([reader.email, outcome]);
  }
  return sent.filter(([, outcome]) => outcome !== 'opted-out').map(([email]) => email);
}
