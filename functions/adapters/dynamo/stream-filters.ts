/**
 * The table stream's consumers, in one registry (streamWatchers, below), and their Lambda
 * event-source filter patterns. The CDK stack hands these to the event source mappings, the
 * stream router splits its batches with them, and the local stream poller applies the same
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
 * How a reader of the table's stream reads it (its event source mapping,
 * infra/constructs/watchers.ts), and so how the local stream poller delivers. Ten records a
 * batch keeps a retried batch small. Four batches at once per shard (records of one item
 * always in the same one, in order) lets a burst, such as the launch wave's registrations,
 * clear four times faster than one batch at a time; every consumer is idempotent per record
 * and keeps no order across items.
 */
export interface StreamMappingSettings {
  batchSize: number;
  parallelizationFactor: number;
  /** How long Lambda may gather records before it calls the function (0: at once). */
  maxBatchingWindowSeconds: number;
}

/** The stream router's mapping: it feeds the five watchers that send mail. */
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
 * Lambda takes at most this many filters on one event source mapping (its default quota,
 * which can be raised to 10): the stream router's ORed patterns must fit in it.
 */
export const maxFiltersPerMapping = 5;

/** Who hands a watcher its records: its own event source mapping, or the stream router. */
export type StreamFeed = 'own-mapping' | 'stream-router';

export interface StreamConsumerEntry {
  /** What it wakes for: one pattern, or several ORed. */
  readonly filter: StreamFilter;
  /** Its Lambda entry file, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /**
   * DynamoDB advises at most two readers per shard of a stream, so only a consumer that
   * must read in its own way (the head-office watcher's large, one-at-a-time batches) has
   * its own mapping; the others are fed by the stream router, which invokes each with its
   * own records of the router's batch.
   */
  readonly feed: StreamFeed;
  /** Its own mapping's batching (own-mapping only); a routed consumer gets the router's batches, filtered. */
  readonly mapping?: StreamMappingSettings;
}

/**
 * Every watcher of the table's stream, by name: the one registry the stack's functions and
 * mappings, the stream router, the local stack, the failure keeper and the tests all read.
 * A new consumer is a line here (and its handler, its entry, and the settings and grants
 * only its function has, in infra/constructs/watchers.ts and local/local-stack.ts, which
 * are typed by these names and so cannot leave it out).
 */
export const streamWatchers = {
  'registration-watcher': { filter: newRegistrationFilter, entry: 'functions/watchers/registration-watcher.ts', feed: 'stream-router' },
  'handover-watcher': { filter: handoverFilter, entry: 'functions/watchers/handover-watcher.ts', feed: 'stream-router' },
  'fresh-link-watcher': { filter: newFreshLinkRequestFilter, entry: 'functions/watchers/fresh-link-watcher.ts', feed: 'stream-router' },
  'takeover-watcher': { filter: takeoverPlanFilter, entry: 'functions/watchers/takeover-watcher.ts', feed: 'stream-router' },
  'first-timer-watcher': { filter: firstTimerFilter, entry: 'functions/watchers/first-timer-watcher.ts', feed: 'stream-router' },
  'head-office-watcher': { filter: headOfficeFilter, entry: 'functions/watchers/head-office-watcher.ts', feed: 'own-mapping', mapping: headOfficeMappingSettings },
} as const satisfies Record<string, StreamConsumerEntry>;

export type WatcherName = keyof typeof streamWatchers;
/** The watchers the stream router feeds. */
export type RoutedWatcherName = { [K in WatcherName]: (typeof streamWatchers)[K]['feed'] extends 'stream-router' ? K : never }[WatcherName];
/** The watchers that read the stream through a mapping of their own. */
export type MappedWatcherName = Exclude<WatcherName, RoutedWatcherName>;

const watcherNames = Object.keys(streamWatchers) as WatcherName[];
export const routedWatcherNames = watcherNames.filter((name): name is RoutedWatcherName => streamWatchers[name].feed === 'stream-router');
export const mappedWatcherNames = watcherNames.filter((name): name is MappedWatcherName => streamWatchers[name].feed === 'own-mapping');

// ---------------------------------------------------------------------------------------
// The router's filter: every routed watcher's patterns, ORed, in as few patterns as it takes

type Leaves = Map<string, string[]>;

function leavesOf(pattern: FilterPattern, path: string[] = [], into: Leaves = new Map()): Leaves {
  for (const [key, rule] of Object.entries(pattern)) {
    if (Array.isArray(rule)) into.set(JSON.stringify([...path, key]), [...rule]);
    else leavesOf(rule, [...path, key], into);
  }
  return into;
}

function patternOf(leaves: Leaves): FilterPattern {
  const pattern: FilterPattern = {};
  for (const [path, values] of leaves) {
    const keys = JSON.parse(path) as string[];
    let at = pattern;
    for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as FilterPattern;
    at[keys.at(-1)!] = values;
  }
  return pattern;
}

const union = (a: readonly string[], b: readonly string[]) => [...a, ...b.filter((v) => !a.includes(v))];
const sameValues = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v) => b.includes(v));

/**
 * Merges patterns pairwise while `merge` says two can be one, until no two can. `merge`
 * returns the merged leaves, or undefined.
 */
function mergeWhile(patterns: Leaves[], merge: (a: Leaves, b: Leaves) => Leaves | undefined): Leaves[] {
  const out = [...patterns];
  for (let merged = true; merged; ) {
    merged = false;
    search: for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const both = merge(out[i]!, out[j]!);
        if (!both) continue;
        out.splice(j, 1);
        out[i] = both;
        merged = true;
        break search;
      }
    }
  }
  return out;
}

const samePaths = (a: Leaves, b: Leaves) => a.size === b.size && [...a.keys()].every((path) => b.has(path));
const unionOf = (a: Leaves, b: Leaves): Leaves => new Map([...a].map(([path, values]) => [path, union(values, b.get(path)!)]));

/**
 * The patterns of `filters`, ORed, in at most `limit` patterns, letting through at least
 * what any of them does:
 *  1. exactly: two patterns on the same fields that differ in one field's values are one
 *     pattern with both sets of values (A and x in X, or A and x in Y: A and x in X or Y);
 *  2. if still too many, more broadly: patterns on the same fields become one with each
 *     field's values unioned;
 *  3. if still too many, one pattern on the fields every pattern names, values unioned
 *     (for this table: the event name and the new image's entityType).
 * Broader is safe for the router, which hands each watcher only what its own filter matches;
 * it only wakes the router for records no watcher takes.
 */
export function orPatterns(filters: readonly StreamFilter[], limit = maxFiltersPerMapping): FilterPattern[] {
  let patterns = filters.flatMap(patternsOf).map((pattern) => leavesOf(pattern));
  patterns = mergeWhile(patterns, (a, b) => {
    if (!samePaths(a, b)) return undefined;
    const differing = [...a.keys()].filter((path) => !sameValues(a.get(path)!, b.get(path)!));
    return differing.length <= 1 ? unionOf(a, b) : undefined;
  });
  if (patterns.length > limit) patterns = mergeWhile(patterns, (a, b) => (samePaths(a, b) ? unionOf(a, b) : undefined));
  if (patterns.length > limit) {
    const common = [...patterns[0]!.keys()].filter((path) => patterns.every((p) => p.has(path)));
    if (common.length === 0) throw new Error(`The stream router's ${patterns.length} filter patterns share no field to merge them on; Lambda takes ${limit}`);
    patterns = [new Map(common.map((path) => [path, patterns.map((p) => p.get(path)!).reduce(union)]))];
  }
  return patterns.map(patternOf);
}

/**
 * The stream router: one reader of the stream for every watcher it feeds. Its mapping lets
 * through what any of them takes; it splits each batch by their own filters.
 */
export const streamRouter = {
  name: 'stream-router',
  filter: orPatterns(routedWatcherNames.map((name) => streamWatchers[name].filter)),
  entry: 'functions/watchers/stream-router.ts',
  mapping: streamMappingSettings,
} as const;

export type StreamReaderName = typeof streamRouter.name | MappedWatcherName;

export interface StreamReader {
  readonly name: StreamReaderName;
  readonly filter: StreamFilter;
  readonly entry: string;
  readonly mapping: StreamMappingSettings;
}

/**
 * Every reader of the table's stream, each with its own event source mapping: the stream
 * router and the watchers with a mapping of their own. DynamoDB advises at most two per
 * shard; an infra test holds the stack to it.
 */
export const streamReaders: readonly StreamReader[] = [
  streamRouter,
  ...mappedWatcherNames.map((name) => ({ name, filter: streamWatchers[name].filter, entry: streamWatchers[name].entry, mapping: streamWatchers[name].mapping ?? streamMappingSettings })),
];

/**
 * Every consumer a failed stream batch may come from, by name, with its filter: the stream
 * router and every watcher (the routed ones had mappings of their own before the router, so
 * a failure from then can still be kept). The names the local stack runs them under, and the
 * names the failure keeper is told each function by (STREAM_CONSUMERS), so it keeps of a
 * failed batch only the records that function takes.
 */
export const streamConsumerFilters = {
  ...(Object.fromEntries(watcherNames.map((name) => [name, streamWatchers[name].filter])) as { [K in WatcherName]: (typeof streamWatchers)[K]['filter'] }),
  [streamRouter.name]: streamRouter.filter,
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
