/**
 * When the recurring jobs run, in one place for the CDK schedule and the local scheduler.
 * The quiet-link sweep runs on the hour through practice working hours (Monday to Friday,
 * 08:00 to 17:00 UK time): every run is inside both the practices' window and the event
 * directors' (never Friday 18:00 to Saturday 13:00), and mail that had to wait goes out
 * within the hour its window opens. The quiet-hours policy still guards any other run.
 */
export const quietLinkSweepSchedule = {
  name: 'quiet-link-sweep',
  hours: [8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
  timeZone: 'Europe/London',
  /** EventBridge Scheduler's form of the same schedule. */
  cron: 'cron(0 8-17 ? * MON-FRI *)',
} as const;

/** Takeover planning prompts: weekly, Monday 10:00 UK time, inside practice hours. */
export const takeoverPromptSchedule = {
  name: 'takeover-prompts',
  hours: [10],
  weekdays: 'MON',
  /** As Date#getDay: Monday. */
  days: [1],
  timeZone: 'Europe/London',
  cron: 'cron(0 10 ? * MON *)',
} as const;

/**
 * Attendance feedback: Tuesdays 10:00 UK time. Each run does only what has fallen due:
 * the month's asks on its first Tuesday (always in the first week), the one reminder on
 * the second, the event directors' summaries on the third; the fourth finds nothing due.
 */
export const feedbackSchedule = {
  name: 'feedback-asks',
  hours: [10],
  weekdays: 'TUE',
  /** As Date#getDay: Tuesday. */
  days: [2],
  timeZone: 'Europe/London',
  cron: 'cron(0 10 ? * TUE *)',
} as const;

/**
 * Mail held for quiet hours or for its reader's budget of unasked email: on the hour from
 * 08:00, when the practices' window opens, to 17:00, Monday to Saturday (the directors'
 * window opens at 13:00 on Saturday). A message held for quiet hours goes on the first
 * opening after it; one held for a budget, which frees at the hour of the last unasked
 * email, within the hour of freeing.
 */
export const heldMailSchedule = {
  name: 'held-mail',
  hours: [8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
  weekdays: 'MON-SAT',
  /** As Date#getDay: Monday to Saturday. */
  days: [1, 2, 3, 4, 5, 6],
  timeZone: 'Europe/London',
  cron: 'cron(0 8-17 ? * MON-SAT *)',
} as const;
