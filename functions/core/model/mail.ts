/** Mail: the kinds of email a person can stop separately, and the opt-outs that stop them. */

/**
 * Kinds of email a person can stop separately on the preferences page; stopping `all`
 * stops every one. Emails a person asks for themselves (a fresh link) are not in this
 * list: they are sent because they were asked for.
 */
export const emailKinds = {
  introductions: 'Introductions: a new practice or event contact, and hand-overs',
  nudges: 'Reminders when a practice and event have not been in touch for a while',
  digests: 'Summaries for event directors',
  takeovers: 'Takeover planning and reminders',
  feedback: 'Attendance feedback asks and summaries',
  'first-timers': 'First-timer contact details before patients come',
  replies: 'Replies passed on from the other side of a partnership',
} as const;
export type EmailKind = keyof typeof emailKinds;
export type MailKind = EmailKind | 'requested';
export type OptOutScope = EmailKind | 'all';
