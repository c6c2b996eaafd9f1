/**
 * Limits wherever a stranger can start mail, in one place: how often one source address,
 * one recipient, one practice, one event or one event director may be the subject of a
 * registration, a hand-over, a first-timer naming, a fresh link or a sign-in. Pure: the
 * action and who it touches in, the counters to take out. Their numbers are a setting
 * (ABUSE_LIMITS, see functions/config.ts); these are the defaults.
 *
 * Counters live in the table, so they hold across Lambda instances, and are all taken in
 * one conditional write: a request over any limit is refused (429) and counts against none.
 */

export type LimitedAction = 'registration' | 'hand-over' | 'first-timer-naming' | 'fresh-link' | 'sign-in';

/** A limit: at most `count` in `hours`. */
export interface Allowance {
  count: number;
  hours: number;
}

export interface ActionLimits {
  /** Per source address (the socket's, or API Gateway's sourceIp; never a header the caller sets). */
  perSource: Allowance;
  /** Per recipient address, plus-addressing folded (`victim+1@` is `victim@`). */
  perRecipient: Allowance;
  /** Registrations only: per practice code. */
  perPractice?: Allowance;
  /** Registrations and namings: per event named, and per director (or team address) they would mail. */
  perEvent?: Allowance;
  perDirector?: Allowance;
}

export type AbuseLimits = Record<LimitedAction, ActionLimits>;

const hour = 1;
const day = 24;

export const defaultAbuseLimits: AbuseLimits = {
  registration: {
    perSource: { count: 10, hours: hour },
    perRecipient: { count: 3, hours: day },
    perPractice: { count: 3, hours: day },
    perEvent: { count: 20, hours: day },
    perDirector: { count: 20, hours: day },
  },
  'hand-over': { perSource: { count: 10, hours: hour }, perRecipient: { count: 3, hours: day } },
  'first-timer-naming': { perSource: { count: 10, hours: hour }, perRecipient: { count: 3, hours: day }, perEvent: { count: 5, hours: day } },
  'fresh-link': { perSource: { count: 20, hours: hour }, perRecipient: { count: 3, hours: hour } },
  'sign-in': { perSource: { count: 20, hours: hour }, perRecipient: { count: 5, hours: hour } },
};

/** An address as a mailbox: lower case, and `name+tag@` folded to `name@`. */
export function foldAddress(email: string): string {
  const [local = '', domain = ''] = email.trim().toLowerCase().split(/@(?=[^@]*$)/);
  return `${local.replace(/\+.*$/, '')}@${domain}`;
}

export interface Touched {
  source?: string;
  recipients?: string[];
  practiceCode?: string;
  events?: string[];
  directors?: string[];
}

export interface Counter {
  key: string;
  limit: number;
  windowMs: number;
}

/** What each counter is about, for the message a refused person reads. */
const about: Record<keyof ActionLimits, string> = {
  perSource: 'from your connection',
  perRecipient: 'for this email address',
  perPractice: 'for this practice',
  perEvent: 'for this parkrun event',
  perDirector: "for this event's team",
};

/** The counters an action takes, each keyed by what it limits; a source not known (a test's request) takes none. */
export function countersFor(action: LimitedAction, touched: Touched, limits: AbuseLimits = defaultAbuseLimits): Array<Counter & { about: string }> {
  const rules = limits[action];
  const counters: Array<Counter & { about: string }> = [];
  const add = (rule: keyof ActionLimits, subject: string) => {
    const allowance = rules[rule];
    if (!allowance) return;
    counters.push({ key: `${action}#${rule}#${subject}`, limit: allowance.count, windowMs: allowance.hours * 3_600_000, about: about[rule] });
  };
  if (touched.source) add('perSource', touched.source);
  for (const r of new Set((touched.recipients ?? []).map(foldAddress))) add('perRecipient', r);
  if (touched.practiceCode) add('perPractice', touched.practiceCode);
  for (const e of new Set(touched.events ?? [])) add('perEvent', e);
  for (const d of new Set((touched.directors ?? []).map(foldAddress))) add('perDirector', d);
  return counters;
}

const what: Record<LimitedAction, string> = {
  registration: 'registrations',
  'hand-over': 'hand-overs',
  'first-timer-naming': 'first-timer contacts named',
  'fresh-link': 'new links',
  'sign-in': 'sign-in links',
};

/** The 429's message: what was refused, and when to try again. */
export function limitMessage(action: LimitedAction, counter: Pick<Counter, 'windowMs'> & { about: string }): string {
  const wait = counter.windowMs <= 3_600_000 ? 'in an hour' : 'tomorrow';
  return `There have been too many ${what[action]} ${counter.about} lately, so this one was not taken and nothing was sent. Please try again ${wait}.`;
}
