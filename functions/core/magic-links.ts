/**
 * The shape and lifetime of magic links, in one place for the mailer that writes them
 * and the routes that answer them.
 *
 * Answer links last 14 days: long enough for a volunteer who reads email once a week, or
 * a champion back from a week's leave, and short enough that a forwarded or leaked email
 * stops working soon. Unsubscribe links last 400 days, because stopping email from an old
 * message must still work.
 */
import { tokenPurposes, type ContactRole, type LinkHolder } from './model.js';
import type { TokenPurpose } from './model.js';

export const answerLinkDays = 14;
export const unsubscribeLinkDays = 400;

/** The first-timer volunteer's own link: about the event, not a practice link, on /first-timers/…. */
export type VolunteerPurpose = 'first-timer-volunteer';
/** A head-office sign-in link: 15 minutes, once, to an allow-listed address; on /head-office/sign-in/…. */
export type SignInPurpose = 'head-office-sign-in';
/** A champion's confirmation of a registration: about the registration, not a link yet; on /registrations/…. */
export type ConfirmPurpose = 'registration-confirm' | 'handover-accept';
/** An email's reply address: no page, it is written into the Reply-To (policies/reply-address.ts). */
export type ReplyPurpose = 'reply';
export type AnswerPurpose = Exclude<TokenPurpose, 'unsubscribe' | VolunteerPurpose | SignInPurpose | ConfirmPurpose | ReplyPurpose>;
/** Every other purpose is an answer about a link, on /links/…. */
export const answerPurposes = tokenPurposes.filter(
  (p): p is AnswerPurpose =>
    p !== 'unsubscribe' && p !== 'first-timer-volunteer' && p !== 'head-office-sign-in' && p !== 'registration-confirm' && p !== 'handover-accept' && p !== 'reply',
);
/**
 * A reply address lasts 90 days: a reply to an introduction weeks later still arrives,
 * and an address in a forwarded or leaked email stops working within a season.
 */
export const replyAddressDays = 90;
export const signInLinkMinutes = 15;

/**
 * Whether using a link spends it (works once) or leaves it usable until it expires. The
 * token stores read this when a link is used, and emails that say what a link does read
 * it too, so the two cannot disagree. An answer that records something works once, so a
 * double click or a forwarded email never records it twice; one that is harmless to give
 * again (naming a first-timer contact, a month's feedback, stopping email) stays usable.
 */
export const singleUseLinks: Record<TokenPurpose, boolean> = {
  unsubscribe: false,
  'in-touch': true,
  'hand-over': true,
  activities: true,
  pause: true,
  'takeover-propose': true,
  'takeover-not-this-year': false,
  'takeover-accept': true,
  'takeover-outcome': true,
  'takeover-roles': true,
  'takeover-change': true,
  'event-unavailable': true,
  feedback: false,
  newcomers: false,
  'first-timer-contact': false,
  'first-timer-volunteer': false,
  'head-office-sign-in': true,
  'registration-confirm': true,
  'handover-accept': true,
  // It only shows the partnership: there is nothing to spend.
  partnership: false,
  // A conversation goes back and forth: every reply to the same email is relayed.
  reply: false,
};

/**
 * Who may give each answer. Tokens are only ever issued to the right person; this is the
 * second lock: a champion's token can never act as a director's, nor the other way round.
 */
export const answerRoles: Record<AnswerPurpose, ContactRole[]> = {
  'in-touch': ['champion', 'event-director'],
  'hand-over': ['champion', 'event-director'],
  activities: ['champion', 'event-director'],
  pause: ['champion', 'event-director'],
  'takeover-propose': ['champion'],
  'takeover-not-this-year': ['champion'],
  'takeover-roles': ['champion'],
  'takeover-accept': ['event-director'],
  'event-unavailable': ['event-director'],
  'takeover-change': ['champion', 'event-director'],
  'takeover-outcome': ['champion', 'event-director'],
  feedback: ['champion'],
  newcomers: ['champion'],
  'first-timer-contact': ['event-director'],
  partnership: ['champion', 'event-director'],
};

/** An answer link a template needs: issued only when the email is really about to be sent. */
export interface AnswerLinkSpec {
  purpose: AnswerPurpose | VolunteerPurpose | SignInPurpose | ConfirmPurpose;
  /** The link id, `A81001.bushy`; the event's short name for the volunteer's link. */
  subject: string;
  role: LinkHolder;
  /** Preselects the answer on the page, e.g. `{ months: '3' }` for a pause. */
  query?: Record<string, string>;
  /** Kept with the token: what else it is about, e.g. `{ takeoverId }`. */
  detail?: Record<string, string>;
  /** Other than its purpose's (lifetimeMinutesOf). No sender sets it now; messages held before links had an end of their own (expiresAt) may. */
  lifetimeMinutes?: number;
  /** An end of its own (ISO), for a link that lasts as long as something else: a registration awaiting confirmation. */
  expiresAt?: string;
}

/** How long a link lasts from its issue, unless it has an end of its own: what the mailer issues it with. */
export function lifetimeMinutesOf(spec: Pick<AnswerLinkSpec, 'purpose' | 'lifetimeMinutes'>): number {
  return spec.lifetimeMinutes ?? (spec.purpose === 'head-office-sign-in' ? signInLinkMinutes : answerLinkDays * 24 * 60);
}

/** When a link issued at `now` stops working. */
export function linkExpiresAt(spec: Pick<AnswerLinkSpec, 'purpose' | 'lifetimeMinutes' | 'expiresAt'>, now: Date): Date {
  return spec.expiresAt ? new Date(spec.expiresAt) : new Date(now.getTime() + lifetimeMinutesOf(spec) * 60_000);
}

/** "15 minutes", "14 days", "1 hour": a lifetime in minutes, in the largest unit that says it exactly. */
export function formatLifetime(minutes: number): string {
  const [count, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * What an email says about a link, from the numbers the link is issued and used with:
 * `It works {{#once}}once, {{/once}}for {{lifetime}}.` in a template. Never type a lifetime
 * into a template: test/unit/email-words.test.ts compares the words with the tokens.
 */
export function linkTerms(spec: Pick<AnswerLinkSpec, 'purpose' | 'lifetimeMinutes' | 'expiresAt'>): { lifetime: string; once: boolean } {
  // A link with an end of its own has no lifetime to state: its email names the day instead.
  if (spec.expiresAt) throw new Error(`A ${spec.purpose} link ends at ${spec.expiresAt}: say when, not for how long`);
  return { lifetime: formatLifetime(lifetimeMinutesOf(spec)), once: singleUseLinks[spec.purpose] };
}

export const paths = {
  answer: (spec: Pick<AnswerLinkSpec, 'purpose' | 'subject' | 'query'>, token: string) =>
    spec.purpose === 'first-timer-volunteer'
      ? `/first-timers/${spec.subject}/${token}`
      : spec.purpose === 'head-office-sign-in'
        ? `/head-office/sign-in/${token}`
        : spec.purpose === 'registration-confirm'
          ? `/registrations/${spec.subject}/confirm/${token}`
          : spec.purpose === 'handover-accept'
            ? `/handovers/${spec.subject}/accept/${token}`
        : `/links/${spec.subject}/${spec.purpose}/${token}${spec.query ? `?${new URLSearchParams(spec.query)}` : ''}`,
  /** Target of the List-Unsubscribe header: one-click POST. */
  unsubscribe: (token: string) => `/unsubscribe/${token}`,
  /** The footer link: choose which kinds of email to keep. */
  preferences: (token: string) => `/preferences/${token}`,
};

export const daysFrom = (now: Date, days: number) => new Date(now.getTime() + days * 86_400_000);

/**
 * The one-tap answers about one link, as named links for the mailer, and the page both
 * sides share (`partnership`: it only shows). `prefix` keeps the names apart when an
 * email is about several links.
 */
export function answerLinks(prefix: string, subject: string, role: ContactRole, options: { handOver: boolean }): Record<string, AnswerLinkSpec> {
  const spec = (purpose: AnswerPurpose, query?: Record<string, string>): AnswerLinkSpec => ({ purpose, subject, role, ...(query ? { query } : {}) });
  return {
    [`${prefix}inTouch`]: spec('in-touch'),
    [`${prefix}activities`]: spec('activities'),
    [`${prefix}pause1`]: spec('pause', { months: '1' }),
    [`${prefix}pause3`]: spec('pause', { months: '3' }),
    ...(options.handOver ? { [`${prefix}handOver`]: spec('hand-over') } : {}),
    [`${prefix}partnership`]: spec('partnership'),
  };
}

/**
 * Picks the URLs of `answerLinks(prefix, …)` back out, named as the email templates
 * expect. `partnershipWith` is the other side's name, as the reader knows it: the event's
 * for a champion, the practice's for a director ("See your partnership with …").
 */
export function answerUrls(urls: Record<string, string>, prefix: string, partnershipWith: string) {
  const url = (name: string) => urls[`${prefix}${name}`] ?? '';
  return {
    inTouchUrl: url('inTouch'),
    activitiesUrl: url('activities'),
    pause1Url: url('pause1'),
    pause3Url: url('pause3'),
    ...(urls[`${prefix}handOver`] ? { handOverUrl: url('handOver') } : {}),
    ...(urls[`${prefix}partnership`] ? { partnershipUrl: url('partnership'), partnershipWith } : {}),
  };
}
