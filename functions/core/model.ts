/**
 * The partnership's vocabulary. Only staff and volunteers acting in a role appear here;
 * patients never do (no patient is ever stored or identified: counts only).
 */

export interface EventDirector {
  name: string;
  email: string;
  /** The event team's own address standing in while no director is named (see eventContacts). */
  team?: true;
}

/** How an email greets an event contact: a director by first name, the team address by its whole name. */
export const greetingOf = (contact: EventDirector) => (contact.team ? contact.name : (contact.name.split(' ')[0] ?? contact.name));

export interface FirstTimerContact {
  firstName: string;
  /** How a newcomer finds them on the day, e.g. "by the start funnel in a pink vest at 08:50". */
  whereToFind: string;
  email?: string;
}

/**
 * An event's first-timer contact as the product keeps it: named by an event director, and
 * shared with practices only once the volunteer has confirmed (their own link). Stepping
 * down removes the details.
 */
export interface ConfirmedFirstTimerContact extends FirstTimerContact {
  /** Names this naming: links issued to the volunteer carry it, so an old link stops working once someone else is named. */
  id: string;
  confirmedAt: string;
}

export interface FirstTimerCandidate extends FirstTimerContact {
  id: string;
  namedAt: string;
  /** The event director who named them. */
  namedBy: { name: string; email: string };
  /**
   * The link (`A81001.bushy`) whose email the director named them from: the volunteer's
   * confirmation counts as contact on it (docs/contact.md). Absent on namings from before it was kept.
   */
  namedFrom?: string;
}

/**
 * A director named a first-timer contact: its insert makes the first-timer watcher ask
 * the volunteer to confirm. It holds ids only (the details live on the event, and go when
 * the volunteer steps down), and expires after a week.
 */
export interface FirstTimerNaming {
  /** The candidate's id. */
  id: string;
  eventShortName: string;
}

/** The UK's nations, as head office counts them; events from other countries carry their country's name. */
export type Nation = 'England' | 'Scotland' | 'Wales' | 'Northern Ireland';

/** Where an event came from in parkrun's published events feed, and whether it is still there. */
export interface FeedOrigin {
  /** parkrun's country code (97: the UK). */
  countryCode: number;
  /** 1: 5 km on Saturdays; 2: junior parkrun, 2 km on Sundays. */
  seriesId: number;
  /** False once the event has gone from the feed: kept (its links with it), shown to head office, not offered for registration. */
  inFeed: boolean;
  /** When the import first found it gone. */
  leftFeedAt?: string;
}

export interface ParkrunEvent {
  /** parkrun's short name, as in its URL: `bushy`, `hackney-marshes`. */
  shortName: string;
  name: string;
  /** A UK nation (`England`), or another country's name for events outside the UK. */
  country: Nation | (string & {});
  region: string;
  /** Where it is held, as the feed says: "Bushy Park, Teddington". */
  location?: string;
  coordinates?: { lat: number; lon: number };
  feed?: FeedOrigin;
  /**
   * The event team's own address (`bushy@parkrun.com`, from the import's pattern): mail for
   * the event goes there while no director is named, so the product works from the feed alone.
   */
  teamEmail?: string;
  timeZone: string;
  /** Local start time, HH:MM. */
  startTime: string;
  /** 6 = Saturday (5k events), 0 = Sunday (junior events), as Date#getDay. */
  weekday: 0 | 6;
  eventDirectors: EventDirector[];
  /** Confirmed by the volunteer: the only first-timer details ever shared. */
  firstTimerContact?: ConfirmedFirstTimerContact;
  /** Named by a director, waiting for the volunteer's confirmation: never shared. */
  firstTimerCandidate?: FirstTimerCandidate;
  /** When a director was asked to name a first-timer contact: asked once, never again. */
  firstTimerContactAskedAt?: string;
  /** Days (YYYY-MM-DD) the event cannot host a takeover: cancellations, special events. */
  unavailableDates?: string[];
}

/**
 * Who speaks for the event: its named directors, or, while none is named, the event
 * team's own address. Everything that mails an event, or checks who may answer for it,
 * asks this, so an event loaded from the feed alone still hears of its practices.
 */
export function eventContacts(event: Pick<ParkrunEvent, 'eventDirectors' | 'teamEmail' | 'name'>): EventDirector[] {
  if (event.eventDirectors.length > 0) return event.eventDirectors;
  return event.teamEmail ? [{ name: `${event.name} team`, email: event.teamEmail, team: true }] : [];
}

export interface Champion {
  name: string;
  role: string;
  email: string;
  phone?: string;
}

export interface Practice {
  /** ODS code in England and Wales (A81001), a five-digit practice code in Scotland. */
  code: string;
  name: string;
  postcode: string;
  champion: Champion;
}

export type LinkStatus = 'registered' | 'introduced' | 'active' | 'quiet' | 'at-risk' | 'contact-lost' | 'ended';

/** Which side of a link a person speaks for. */
export type Side = 'practice' | 'event';
/** The role a magic link was issued to: the practice's champion or one of the event's directors. */
export type ContactRole = 'champion' | 'event-director';
export const sideOf = (role: ContactRole): Side => (role === 'champion' ? 'practice' : 'event');
/** Whom a magic link may be issued to: a link's contacts, or an event's first-timer volunteer (links about the event only). */
export type LinkHolder = ContactRole | 'first-timer-contact' | 'head-office';

/** How contact happened, as the "we're in touch" page asks it. */
export const contactMethods = {
  email: 'By email',
  'in-person': 'In person at parkrun',
  phone: 'By phone',
  'link-worker': 'Through a social prescribing link worker',
  other: 'Another way',
} as const;
export type ContactMethod = keyof typeof contactMethods;

/** The activities the event-team survey tracks for each link (its Table 3). */
export const activities = {
  'event-comms': 'Mention the initiative in event communications (run reports, social media)',
  'flyers-posters': 'Give the practice parkrun flyers and posters',
  'pre-event-briefing': 'Mention the practice in the pre-event briefing',
  'staff-presentation': 'Give a presentation to practice staff',
  'volunteer-takeover': 'A practice volunteer takeover',
  'media-article': 'Media or press articles',
  'information-stand': 'A practice information stand at the event',
} as const;
export type ActivityKey = keyof typeof activities;

export const activityStatuses = {
  done: 'Done',
  planned: 'Planned',
  'not-planned': 'Not planned',
  open: 'Open to the idea',
} as const;
export type ActivityStatus = keyof typeof activityStatuses;

export interface ActivityRecord {
  status: ActivityStatus;
  updatedAt: string;
  updatedBy: Side;
}

/** Identifies a link in URLs and token subjects: `A81001.bushy` (neither part contains a dot). */
export const linkId = (practiceCode: string, eventShortName: string) => `${practiceCode}.${eventShortName}`;
export function parseLinkId(id: string): { practiceCode: string; eventShortName: string } | undefined {
  const match = /^([A-Z0-9]{5,6})\.([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(id);
  return match ? { practiceCode: match[1]!, eventShortName: match[2]! } : undefined;
}

/** Who took the first step: the practice itself, or this product's introduction. */
export type InitialContact = 'practice' | 'introduction';

export interface Link {
  practiceCode: string;
  eventShortName: string;
  status: LinkStatus;
  createdAt: string;
  createdBy: 'registration' | 'demo-data' | 'head-office' | 'import';
  registrationId?: string;
  initialContact: InitialContact;
  introducedAt?: string;
  lastContactAt?: string;
  lastContactBy?: Side | 'head-office';
  lastContactHow?: ContactMethod;
  /** When contact was last recorded (a recorded past contact keeps lastContactAt, but still counts as an answer). */
  lastRecordedContactAt?: string;
  /** No asks about this link until then (the champion or director asked for a break). */
  pausedUntil?: string;
  /**
   * The day (YYYY-MM-DD) of the takeover offered (its last Saturday offered) or fixed (its
   * day, moved with it): the two sides are working together, so the quiet-link ladder asks
   * nobody to say hello until well after it (policies/quiet-link-ladder.ts). Removed when
   * the offer is declined or expires, or the takeover is cancelled or looked back on; a day
   * passed with no answer stays, as the link's last sign of life.
   */
  takeoverUntil?: string;
  activities?: Partial<Record<ActivityKey, ActivityRecord>>;
  /** Where the link is on the quiet-link ladder (see policies/quiet-link-ladder.ts). */
  ladder?: { rung: 0 | 1 | 2 | 3; rungAt?: string; quietSince?: string };
  atRiskAt?: string;
  /** When the ladder next needs to look at the link; absent when it never will (sparse index). */
  dueAt?: string;
  /** Bumped by every write, so the sweep's conditional step can tell that the link changed under it. */
  rev?: number;
}

/** A link with both its sides, as the magic-link pages show it. */
export interface LinkContext {
  link: Link;
  practice: Practice;
  event: ParkrunEvent;
}

/**
 * A champion or event director handing over to a successor. Offered first: the successor
 * is asked to accept, by their own link, and until they do the old contact stays. Once
 * accepted, the successor is the contact and is welcomed with their own links.
 */
export interface Handover {
  id: string;
  practiceCode: string;
  eventShortName: string;
  role: ContactRole;
  from: { name: string; email: string };
  to: { name: string; role: string; email: string };
  at: string;
  /** Absent on hand-overs made before acceptance was asked for: they count as accepted. */
  status?: 'offered' | 'accepted';
  acceptedAt?: string;
}

/** A registration as confirmed: its insert makes the introductions. */
export interface Registration {
  id: string;
  practice: Practice;
  eventShortNames: string[];
  /** The answer to "have you already contacted the event team?" */
  contactedEventTeam: boolean;
  submittedAt: string;
}

export type RegistrationStatus = 'awaiting-confirmation' | 'confirmed' | 'rejected';

/**
 * A registration as the form or the API takes it: it waits for the practice's champion to
 * confirm it from their own inbox (the address given or, for a practice already on record,
 * its champion on record, never the address the form named). Nothing reaches an event team
 * before; unconfirmed, it goes after `registrationDays`, leaving an audit entry. Head
 * office can reject one as not genuine, confirmed or not.
 */
export interface PendingRegistration extends Registration {
  status: RegistrationStatus;
  practiceOnRecord: boolean;
  confirmedAt?: string;
  rejectedAt?: string;
}

/** How long a registration waits for its confirmation. */
export const registrationDays = 7;

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
} as const;
export type EmailKind = keyof typeof emailKinds;
export type MailKind = EmailKind | 'requested';
export type OptOutScope = EmailKind | 'all';

/** Someone asked for a new link in place of an expired or used one; the fresh-link watcher mails it. */
export const tokenPurposes = [
  'unsubscribe',
  'in-touch',
  'hand-over',
  'activities',
  'pause',
  'takeover-propose',
  'takeover-not-this-year',
  'takeover-accept',
  'takeover-outcome',
  'takeover-roles',
  'takeover-change',
  'event-unavailable',
  'feedback',
  'newcomers',
  'first-timer-contact',
  'first-timer-volunteer',
  'head-office-sign-in',
  'registration-confirm',
  'handover-accept',
  /** Reads only: the page both sides of a link share (GET shows it; nothing acts with it). */
  'partnership',
] as const;

/** What a magic link lets its holder do. */
export type TokenPurpose = (typeof tokenPurposes)[number];

export interface FreshLinkRequest {
  id: string;
  purpose: TokenPurpose;
  /** What else the old link was about (e.g. which takeover), carried to the new one. */
  detail?: Record<string, string>;
  subject: string;
  recipient: string;
  role?: LinkHolder;
  /** "Riverside Surgery and Bushy parkrun"; absent for email preferences. */
  about?: string;
  requestedAt: string;
}

/** Every status a takeover can have, in the order it goes through them: one list the watcher's schema reads too. */
export const takeoverStatuses = ['proposed', 'declined', 'fixed', 'cancelled', 'done', 'did-not-happen'] as const;
export type TakeoverStatus = (typeof takeoverStatuses)[number];
export type TakeoverReminderName = '6-weeks' | '2-weeks' | '3-days' | 'after';

/** A practice volunteer takeover: proposed by the champion, fixed by an event director, counted down to, and looked back on. */
export interface Takeover {
  id: string;
  practiceCode: string;
  eventShortName: string;
  status: TakeoverStatus;
  /** The Saturdays the champion offered (YYYY-MM-DD). */
  proposedDates: string[];
  /** The day fixed by the event director. */
  date?: string;
  /** The day before a move, so its reminders can be cancelled. */
  previousDate?: string;
  declineReason?: string;
  /** When the offer was put in the event directors' digests: once per offer, however often its record comes. */
  offeredAt?: string;
  /** Whether each countdown reminder is created yet; `pending` ones are created by the takeover watcher. */
  reminders?: Partial<Record<TakeoverReminderName, 'pending' | 'scheduled'>>;
  rolesFilled?: 'all' | 'most' | 'some' | 'none';
  outcome?: { happened: boolean; staffVolunteered: number; wouldDoAgain: boolean; by: Side };
  createdAt: string;
  updatedAt: string;
  rev?: number;
}

/** When a link's champion was last asked to plan a takeover, and why not to ask again yet. */
export interface TakeoverPromptState {
  practiceCode: string;
  eventShortName: string;
  lastPromptedAt?: string;
  notThisYearAt?: string;
  lastDoneOn?: string;
  planned: boolean;
  /** The takeover offered or planned, while `planned`: the weekly job looks at it again a quarter on. */
  takeoverId?: string;
  dueAt?: string;
  rev?: number;
}

/** A month as `YYYY-MM`: what a feedback report is about. */
export type Period = string;

/**
 * What a practice reported about a month, for one link: counts and yes/no only. No
 * patient is ever named, and no free text is kept (docs/product.md; the product stores no patient).
 */
export interface FeedbackReport {
  practiceCode: string;
  eventShortName: string;
  period: Period;
  /** Roughly how many patients the practice suggested parkrun to. */
  suggested: number;
  /** How many of them the practice knows came. */
  attended: number;
  staff: { walked: boolean; ran: boolean; volunteered: boolean };
  answeredAt: string;
}

/** Where a link is in the monthly feedback cycle: asked (which month), reminded, and when to look again. */
export interface FeedbackAskState {
  practiceCode: string;
  eventShortName: string;
  /** The month last asked about. */
  period?: Period;
  /** The first month asked about: in it, a practice is reminded without having answered before (feedback-calendar.ts remindsAbout). */
  firstPeriod?: Period;
  askedAt?: string;
  remindedAt?: string;
  dueAt?: string;
  rev?: number;
}

/** One per event and month asked about: due when the month's summary goes to the event directors. */
export interface FeedbackSummaryState {
  eventShortName: string;
  period: Period;
  dueAt?: string;
  queuedAt?: string;
}

/** A champion's word that some patients (a count, never who) plan to come on an event day. */
export interface NewcomerPlan {
  practiceCode: string;
  eventShortName: string;
  /** The event day, YYYY-MM-DD. */
  date: string;
  count: number;
  status: 'planned' | 'cancelled';
  createdAt: string;
  updatedAt: string;
}

/**
 * Introductions queued by the go-live import (`--introduce`), due at a day spread over the
 * following weeks: the champion's (one email listing their events) and each event team's
 * (the practices new to it, in the directors' next digest). The quiet-link sweep sends
 * them when due. Practices or events added by a later run join the one still waiting.
 */
export interface PracticeIntroduction {
  practiceCode: string;
  eventShortNames: string[];
  dueAt?: string;
  rev?: number;
}

export interface EventIntroduction {
  eventShortName: string;
  practiceCodes: string[];
  dueAt?: string;
  rev?: number;
}
