/**
 * Lambda event-source filter patterns for the table's stream. The CDK stack hands
 * these to the event source mapping, and the local stream poller applies the same
 * patterns, so a consumer sees the same records locally as in AWS.
 */
export type FilterPattern = { [key: string]: string[] | FilterPattern };

/** Only brand-new registrations wake the registration watcher. */
export const newRegistrationFilter: FilterPattern = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entityType: { S: ['Registration'] } } },
};

/** A champion or event director handed over to a successor: the successor is welcomed. */
export const newHandoverFilter: FilterPattern = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entityType: { S: ['Handover'] } } },
};

/**
 * Mail someone asked for: a new link in place of an expired or used one (or a head-office
 * sign-in link), or an introduction head office asked to send again.
 */
export const newFreshLinkRequestFilter: FilterPattern = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entityType: { S: ['FreshLinkRequest', 'IntroductionRequest'] } } },
};

/**
 * A takeover offered (into the event directors' digests), declined (back to the champion),
 * fixed or moved (countdown reminders created, a moved day's cancelled), or cancelled
 * (its reminders cancelled).
 */
export const takeoverPlanFilter: FilterPattern = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { entityType: { S: ['Takeover'] }, status: { S: ['proposed', 'declined', 'fixed', 'cancelled'] } } },
};

/**
 * First-timer work: a director named a first-timer contact (the volunteer is asked to
 * confirm), or a champion said patients are coming, changed the count or cancelled
 * (the Thursday notice is scheduled, sent or deleted).
 */
export const firstTimerFilter: FilterPattern = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { entityType: { S: ['FirstTimerNaming', 'NewcomerPlan'] } } },
};

/**
 * What head office sees: changes that move a figure (links, takeovers, feedback, events,
 * suppressed addresses) and magic links used (tokens: a use is a MODIFY; the watcher
 * passes over their inserts).
 */
export const headOfficeFilter: FilterPattern = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { entityType: { S: ['Link', 'Takeover', 'FeedbackReport', 'FeedbackAsk', 'Event', 'Suppression', 'Token'] } } },
};

/**
 * How every stream consumer's event source mapping reads (infra/constructs/watchers.ts),
 * and so how the local stream poller delivers. Ten records a batch keeps a retried batch
 * small. Four batches at once per shard (records of one item always in the same one, in
 * order) lets a burst, such as the launch wave's registrations, clear four times faster
 * than one batch at a time; every consumer is idempotent per record and keeps no order
 * across items.
 */
export const streamMappingSettings = { batchSize: 10, parallelizationFactor: 4 } as const;
