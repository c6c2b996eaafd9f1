/** Events: a parkrun event, who speaks for it, and its first-timer contact. */
import * as z from '../zod.js';

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
export const firstTimerNamingSchema = z.object({
  /** The candidate's id. */
  id: z.string().check(z.minLength(1)),
  eventShortName: z.string().check(z.minLength(1)),
});
export type FirstTimerNaming = z.infer<typeof firstTimerNamingSchema>;

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
