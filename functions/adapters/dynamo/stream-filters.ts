/**
 * Lambda event-source filter patterns for the table's stream. The CDK stack hands
 * these to the event source mapping, and the local stream poller applies the same
 * patterns, so a consumer sees the same records locally as in AWS.
 */
export type FilterPattern = { [key: string]: string[] | FilterPattern };
/**
 * What a consumer's event source mapping lets through: one pattern, or several that are
 * ORed (Lambda takes up to five filters on a mapping, each its own pattern).
 */
export type StreamFilter = FilterPattern | readonly FilterPattern[];

export const patternsOf = (filter: StreamFilter): readonly FilterPattern[] => (Array.isArray(filter) ? filter : [filter as FilterPattern]);

/**
 * Only brand-new registrations wake the registration watcher: one awaiting its champion's
 * confirmation (they are asked), and one as confirmed (the introductions).
 */
export const newRegistrationFilter: FilterPattern = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { entityType: { S: ['Registration', 'PendingRegistration'] } } },
};

/**
 * Hand-overs: offered (the successor is asked to accept) and accepted (the successor is
 * welcomed with their links). Older hand-overs, without a status, stay where they are.
 */
export const handoverFilter: FilterPattern = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { entityType: { S: ['Handover'] }, status: { S: ['offered', 'accepted'] } } },
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
 * suppressed addresses) and magic links used. A use of a link is its token's MODIFY; a
 * token's INSERT (every email writes a few) moves nothing, so it is not let through:
 * it was three in four of the records this watcher was woken for.
 */
export const headOfficeFilter: readonly FilterPattern[] = [
  {
    eventName: ['INSERT', 'MODIFY'],
    dynamodb: { NewImage: { entityType: { S: ['Link', 'Takeover', 'FeedbackReport', 'FeedbackAsk', 'Event', 'Suppression'] } } },
  },
  { eventName: ['MODIFY'], dynamodb: { NewImage: { entityType: { S: ['Token'] } } } },
];

/**
 * How every stream consumer's event source mapping reads (infra/constructs/watchers.ts),
 * and so how the local stream poller delivers. Ten records a batch keeps a retried batch
 * small. Four batches at once per shard (records of one item always in the same one, in
 * order) lets a burst, such as the launch wave's registrations, clear four times faster
 * than one batch at a time; every consumer is idempotent per record and keeps no order
 * across items.
 */
export interface StreamMappingSettings {
  batchSize: number;
  parallelizationFactor: number;
  /** How long Lambda may gather records before it calls the function (0: at once). */
  maxBatchingWindowSeconds: number;
}

export const streamMappingSettings: StreamMappingSettings = { batchSize: 10, parallelizationFactor: 4, maxBatchingWindowSeconds: 0 };

/**
 * The head-office watcher's mapping: its figures are a few running totals that every change
 * adds to, so it reads in large batches, one at a time, a few seconds late. A batch's figures
 * go in one transaction (or a few) whatever its size, so larger batches mean fewer writes of
 * the same items, and one batch at a time means no two transactions collide on the country's
 * totals. Nobody waits on these figures: a dashboard a few seconds behind is current enough.
 */
export const headOfficeMappingSettings: StreamMappingSettings = { batchSize: 100, parallelizationFactor: 1, maxBatchingWindowSeconds: 5 };

/**
 * Every consumer of the table's stream, by name, with its filter: the names the local stack
 * runs them under, and the names the failure keeper is told each function by
 * (STREAM_CONSUMERS), so it keeps of a failed batch only the records that function takes.
 */
export const streamConsumerFilters = {
  'registration-watcher': newRegistrationFilter,
  'handover-watcher': handoverFilter,
  'fresh-link-watcher': newFreshLinkRequestFilter,
  'takeover-watcher': takeoverPlanFilter,
  'first-timer-watcher': firstTimerFilter,
  'head-office-watcher': headOfficeFilter,
} as const satisfies Record<string, StreamFilter>;

export type StreamConsumerName = keyof typeof streamConsumerFilters;

/**
 * Lambda's event filtering, for the patterns this project uses: a list of allowed values for
 * a field, nested objects for nested fields. True if `value` (a stream record as Lambda
 * hands it) matches the pattern, or any of the patterns (ORed, as a mapping's filters are).
 */
export function matchesFilter(filter: StreamFilter, value: unknown): boolean {
  return patternsOf(filter).some((pattern) => matchesPattern(pattern, value));
}

function matchesPattern(pattern: FilterPattern, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return Object.entries(pattern).every(([key, rule]) => {
    const field = record[key];
    if (Array.isArray(rule)) return rule.some((allowed) => allowed === field);
    return matchesPattern(rule, field);
  });
}
