/** Takeovers: a practice volunteer takeover, and when its champion was last asked to plan one. */
import * as z from '../zod.js';
import { sides } from './links.js';

/** Every status a takeover can have, in the order it goes through them: one list the takeover's schema reads too. */
export const takeoverStatuses = ['proposed', 'declined', 'fixed', 'cancelled', 'done', 'did-not-happen'] as const;
export type TakeoverStatus = (typeof takeoverStatuses)[number];
/** The countdown's reminders, in the order they fall: one list the policies, the store, the takeover's schema and the reminder's payload read. */
export const takeoverReminders = ['6-weeks', '2-weeks', '3-days', 'after'] as const;
export type TakeoverReminderName = (typeof takeoverReminders)[number];
/** A fixed takeover's reminders, none created yet (the takeover watcher creates each). */
export const pendingReminders = () => Object.fromEntries(takeoverReminders.map((reminder) => [reminder, 'pending'])) as Record<TakeoverReminderName, 'pending'>;

/** What a countdown reminder's schedule carries: the takeover, which reminder, and the day it was set for (a moved day makes it stale). */
export const takeoverReminderPayloadSchema = z.object({
  takeoverId: z.string().check(z.minLength(1)),
  reminder: z.enum(takeoverReminders),
  date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
});
export type TakeoverReminderPayload = z.infer<typeof takeoverReminderPayloadSchema>;

/** A practice volunteer takeover: proposed by the champion, fixed by an event director, counted down to, and looked back on. */
export const takeoverSchema = z.object({
  id: z.string().check(z.minLength(1)),
  practiceCode: z.string(),
  eventShortName: z.string(),
  status: z.enum(takeoverStatuses),
  /** The Saturdays the champion offered (YYYY-MM-DD). */
  proposedDates: z.array(z.string()),
  /** The day fixed by the event director. */
  date: z.optional(z.string()),
  /** The day before a move, so its reminders can be cancelled. */
  previousDate: z.optional(z.string()),
  declineReason: z.optional(z.string()),
  /** When the offer was put in the event directors' digests: once per offer, however often its record comes. */
  offeredAt: z.optional(z.string()),
  /** Whether each countdown reminder is created yet; `pending` ones are created by the takeover watcher. */
  reminders: z.optional(z.partialRecord(z.enum(takeoverReminders), z.enum(['pending', 'scheduled']))),
  rolesFilled: z.optional(z.enum(['all', 'most', 'some', 'none'])),
  outcome: z.optional(z.object({ happened: z.boolean(), staffVolunteered: z.number(), wouldDoAgain: z.boolean(), by: z.enum(sides) })),
  createdAt: z.string(),
  updatedAt: z.string(),
  rev: z.optional(z.number()),
});
export type Takeover = z.infer<typeof takeoverSchema>;

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
