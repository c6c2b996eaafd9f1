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
import type { TokenPurpose } from './ports.js';

export const answerLinkDays = 14;
export const unsubscribeLinkDays = 400;

/** The first-timer volunteer's own link: about the event, not a practice link, on /first-timers/…. */
export type VolunteerPurpose = 'first-timer-volunteer';
/** A head-office sign-in link: 15 minutes, once, to an allow-listed address; on /head-office/sign-in/…. */
export type SignInPurpose = 'head-office-sign-in';
/** A champion's confirmation of a registration: about the registration, not a link yet; on /registrations/…. */
export type ConfirmPurpose = 'registration-confirm' | 'handover-accept';
export type AnswerPurpose = Exclude<TokenPurpose, 'unsubscribe' | VolunteerPurpose | SignInPurpose | ConfirmPurpose>;
/** Every other purpose is an answer about a link, on /links/…. */
export const answerPurposes = tokenPurposes.filter(
  (p): p is AnswerPurpose => p !== 'unsubscribe' && p !== 'first-timer-volunteer' && p !== 'head-office-sign-in' && p !== 'registration-confirm' && p !== 'handover-accept',
);
export const signInLinkMinutes = 15;

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
  /** Shorter than the 14 days of an answer link (a sign-in link lasts 15 minutes). */
  lifetimeMinutes?: number;
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
 * The one-tap answers about one link, as named links for the mailer. `prefix` keeps the
 * names apart when an email is about several links.
 */
export function answerLinks(prefix: string, subject: string, role: ContactRole, options: { handOver: boolean }): Record<string, AnswerLinkSpec> {
  const spec = (purpose: AnswerPurpose, query?: Record<string, string>): AnswerLinkSpec => ({ purpose, subject, role, ...(query ? { query } : {}) });
  return {
    [`${prefix}inTouch`]: spec('in-touch'),
    [`${prefix}activities`]: spec('activities'),
    [`${prefix}pause1`]: spec('pause', { months: '1' }),
    [`${prefix}pause3`]: spec('pause', { months: '3' }),
    ...(options.handOver ? { [`${prefix}handOver`]: spec('hand-over') } : {}),
  };
}

/** Picks the URLs of `answerLinks(prefix, …)` back out, named as the email templates expect. */
export function answerUrls(urls: Record<string, string>, prefix: string) {
  const url = (name: string) => urls[`${prefix}${name}`] ?? '';
  return {
    inTouchUrl: url('inTouch'),
    activitiesUrl: url('activities'),
    pause1Url: url('pause1'),
    pause3Url: url('pause3'),
    ...(urls[`${prefix}handOver`] ? { handOverUrl: url('handOver') } : {}),
  };
}
