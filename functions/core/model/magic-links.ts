/** Magic links: what one lets its holder do, and a fresh one asked for in place of an old one. */
import * as z from '../zod.js';
import { linkHolders } from './links.js';

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
  /** A reply address (`reply+<token>@…`): a reply sent to it reaches the other side of the link (use-cases/email-reply.ts). */
  'reply',
] as const;

/** What a magic link lets its holder do. */
export type TokenPurpose = (typeof tokenPurposes)[number];

/** Someone asked for a new link in place of an expired or used one; the fresh-link watcher mails it. */
export const freshLinkRequestSchema = z.object({
  id: z.string().check(z.minLength(1)),
  purpose: z.enum(tokenPurposes),
  /** What else the old link was about (e.g. which takeover), carried to the new one. */
  detail: z.optional(z.record(z.string(), z.string())),
  subject: z.string(),
  recipient: z.string(),
  role: z.optional(z.enum(linkHolders)),
  /** "Riverside Surgery and Bushy parkrun"; absent for email preferences. */
  about: z.optional(z.string()),
  requestedAt: z.string(),
});
export type FreshLinkRequest = z.infer<typeof freshLinkRequestSchema>;
