/** Links: a practice paired with an event, the sides and roles of its contacts, what they do together, and hand-overs. */
import * as z from '../zod.js';
import type { ParkrunEvent } from './events.js';
import type { Practice } from './practices.js';

export type LinkStatus = 'registered' | 'introduced' | 'active' | 'quiet' | 'at-risk' | 'contact-lost' | 'ended';

/** Which side of a link a person speaks for. */
export const sides = ['practice', 'event'] as const;
export type Side = (typeof sides)[number];
/** The role a magic link was issued to: the practice's champion or one of the event's directors. */
export const contactRoles = ['champion', 'event-director'] as const;
export type ContactRole = (typeof contactRoles)[number];
export const sideOf = (role: ContactRole): Side => (role === 'champion' ? 'practice' : 'event');
/** Whom a magic link may be issued to: a link's contacts, or an event's first-timer volunteer (links about the event only). */
export const linkHolders = [...contactRoles, 'first-timer-contact', 'head-office'] as const;
export type LinkHolder = (typeof linkHolders)[number];

/** How contact happened, as the "we're in touch" page asks it. */
export const contactMethods = {
  email: 'By email',
  'in-person': 'In person at parkrun',
  phone: 'By phone',
  'link-worker': 'Through a social prescribing link worker',
  other: 'Another way',
} as const;
/** How contact happened, as recorded: the page's choices, and a reply by email, which no one chooses (use-cases/email-reply.ts). */
export const contactMethodNames = { ...contactMethods, 'email-reply': 'By email reply' } as const;
export type ContactMethod = keyof typeof contactMethodNames;

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

export const handoverStatuses = ['offered', 'accepted'] as const;

/**
 * A champion or event director handing over to a successor. Offered first: the successor
 * is asked to accept, by their own link, and until they do the old contact stays. Once
 * accepted, the successor is the contact and is welcomed with their own links.
 */
export const handoverSchema = z.object({
  id: z.string().check(z.minLength(1)),
  practiceCode: z.string(),
  eventShortName: z.string(),
  role: z.enum(contactRoles),
  from: z.object({ name: z.string(), email: z.string() }),
  to: z.object({ name: z.string(), role: z.string(), email: z.string() }),
  at: z.string(),
  /** Absent on hand-overs made before acceptance was asked for: they count as accepted. */
  status: z.optional(z.enum(handoverStatuses)),
  acceptedAt: z.optional(z.string()),
});
export type Handover = z.infer<typeof handoverSchema>;

/** Head office's request to send a link's introduction again: the fresh-link watcher reads it from the stream. */
export const introductionRequestSchema = z.object({
  id: z.string().check(z.minLength(1)),
  practiceCode: z.string().check(z.minLength(1)),
  eventShortName: z.string().check(z.minLength(1)),
  requestedBy: z.string(),
  requestedAt: z.string(),
});
export type IntroductionRequest = z.infer<typeof introductionRequestSchema>;
