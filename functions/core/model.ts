/**
 * The partnership's vocabulary. Only staff and volunteers acting in a role appear here;
 * patients never do (see DOMAIN.md, "Privacy, by design").
 */

export interface EventDirector {
  name: string;
  email: string;
}

export interface FirstTimerContact {
  firstName: string;
  /** How a newcomer finds them on the day, e.g. "by the start funnel in a pink vest at 08:50". */
  whereToFind: string;
  email?: string;
}

export type Nation = 'England' | 'Scotland' | 'Wales' | 'Northern Ireland';

export interface ParkrunEvent {
  /** parkrun's short name, as in its URL: `bushy`, `hackney-marshes`. */
  shortName: string;
  name: string;
  country: Nation;
  region: string;
  timeZone: string;
  /** Local start time, HH:MM. */
  startTime: string;
  /** 6 = Saturday (5k events), 0 = Sunday (junior events), as Date#getDay. */
  weekday: 0 | 6;
  eventDirectors: EventDirector[];
  firstTimerContact?: FirstTimerContact;
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

/** Who took the first step: the practice itself, or this product's introduction. */
export type InitialContact = 'practice' | 'introduction';

export interface Link {
  practiceCode: string;
  eventShortName: string;
  status: LinkStatus;
  createdAt: string;
  createdBy: 'registration' | 'demo-data' | 'head-office';
  registrationId?: string;
  initialContact: InitialContact;
  introducedAt?: string;
  lastContactAt?: string;
  lastContactBy?: string;
}

export interface Registration {
  id: string;
  practice: Practice;
  eventShortNames: string[];
  /** The answer to "have you already contacted the event team?" */
  contactedEventTeam: boolean;
  submittedAt: string;
}

/** Kinds of email a person can stop separately; `all` stops everything. */
export type EmailKind = 'introductions';
export type OptOutScope = EmailKind | 'all';
