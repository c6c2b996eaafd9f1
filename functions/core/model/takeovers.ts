/** Takeovers: a practice volunteer takeover, and when its champion was last asked to plan one. */
import type { Side } from './links.js';

/** Every status a takeover can have, in the order it goes through them: one list the watcher's schema reads too. */
export const takeoverStatuses = ['proposed', 'declined', 'fixed', 'cancelled', 'done', 'did-not-happen'] as const;
export type TakeoverStatus = (typeof takeoverStatuses)[number];
/** The countdown's reminders, in the order they fall: one list the policies, the store, the watcher's and the reminder's schemas read. */
export const takeoverReminders = ['6-weeks', '2-weeks', '3-days', 'after'] as const;
export type TakeoverReminderName = (typeof takeoverReminders)[number];
/** A fixed takeover's reminders, none created yet (the takeover watcher creates each). */
export const pendingReminders = () => Object.fromEntries(takeoverReminders.map((reminder) => [reminder, 'pending'])) as Record<TakeoverReminderName, 'pending'>;

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
