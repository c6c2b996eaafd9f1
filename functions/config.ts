/**
 * Every setting the functions read, in one place. Each Lambda entry loads the part it
 * needs once, at cold start; a missing or malformed setting throws there, naming every
 * problem at once, rather than failing on the first request that happens to need it.
 *
 * | variable              | used by       | meaning |
 * |-----------------------|---------------|---------|
 * | TABLE_NAME            | all           | the DynamoDB table |
 * | TOKEN_SECRET          | API, mail (local) | key for hashing link tokens, at least 32 characters |
 * | TOKEN_SECRET_PREVIOUS | API, mail (local) | optional: the key before a rotation, still accepted for tokens it hashed |
 * | TOKEN_SECRET_ARN      | API, mail (AWS)   | Secrets Manager secret holding that key (AWSCURRENT; AWSPREVIOUS still accepted); used when TOKEN_SECRET is absent |
 * | PUBLIC_BASE_URL       | mail          | where links in emails point, e.g. https://nudges.example.org |
 * | MAIL_FROM             | mail          | sender, e.g. "parkrun practice nudges <nudges@example.org>" |
 * | MAIL_REPLY_TO         | mail          | where replies go (a person at head office) |
 * | MAIL_REPLY_DOMAIN     | mail, optional | the domain SES receives replies on: an email about one link gets `reply+<token>@` it, and a reply is relayed to the other side (use-cases/email-reply.ts); unset, every email has MAIL_REPLY_TO |
 * | SES_CONFIGURATION_SET | mail, AWS     | SES configuration set that routes bounces and complaints; absent locally |
 * | SEND_RATE_PER_SECOND  | mail          | most emails a function sends per second (default 10; SES's quota is per account) |
 * | UNASKED_EMAIL_EVERY_DAYS | mail       | each person's budget: at most one email they did not ask for (nudge, prompt, feedback ask, digest, a director's introduction) in this many days; more goes in one round-up (default 7; core/policies/mail-budget.ts) |
 * | UNASKED_EMAILS_PER_MONTH | mail       | and at most this many in a calendar month; more waits for the next month (default 2) |
 * | NUDGE_QUIET_AFTER_DAYS   | all        | days without contact before a link is quiet (default 42) |
 * | NUDGE_RUNG_SPACING_DAYS  | all        | days between ladder rungs (default 14) |
 * | NUDGE_AT_RISK_PAUSE_DAYS | all        | days automatic nudges stop once a link is at risk (default 60) |
 * | NUDGE_DIGEST_INTERVAL_DAYS | all      | at most one digest per event director in this many days; a takeover offer brings it forward to 7 (default 21) |
 * | REMINDER_TARGET_ARN   | reminders, AWS | the reminder Lambda that one-time schedules invoke |
 * | REMINDER_ROLE_ARN     | reminders, AWS | the role EventBridge Scheduler assumes to invoke it |
 * | REMINDER_DLQ_ARN      | reminders, AWS | SQS queue for reminders Scheduler could not deliver |
 * | REMINDER_GROUP        | reminders, AWS | the schedule group one-time reminders live in |
 * | HEAD_OFFICE_ALLOWLIST     | API (local) | addresses that may sign in to the head-office dashboard, comma-separated |
 * | HEAD_OFFICE_ALLOWLIST_ARN | API (AWS)   | Secrets Manager secret holding that list (one address per line, or comma-separated) |
 * | ABUSE_LIMITS          | API           | optional JSON overriding the limits on what a stranger can make us send (core/policies/abuse-limits.ts) |
 * | STREAM_CONSUMERS      | failure keeper | which stream consumer each watcher function is: `<function name>=<consumer>,...` (consumers as in stream-filters.ts) |
 * | REPLY_BUCKET          | reply receiver, AWS | the S3 bucket SES stores received replies in |
 * | REPLY_OBJECT_PREFIX   | reply receiver, AWS | the key prefix they are stored under, e.g. `replies/` |
 * | STREAM_ROUTES         | stream router  | the function of each watcher it feeds: `<watcher>=<function name>,...`, every routed watcher of stream-filters.ts once |
 */
import * as z from './core/zod.js';
import { defaultNudgePolicy, type NudgePolicy } from './core/policies/quiet-link-ladder.js';
import { defaultMailBudget, type MailBudget } from './core/policies/mail-budget.js';
import { defaultAbuseLimits, type AbuseLimits, type LimitedAction } from './core/policies/abuse-limits.js';
import { routedWatcherNames, streamConsumerFilters, type RoutedWatcherName, type StreamConsumerName } from './adapters/dynamo/stream-filters.js';

const arn = (message?: string) => z.string().check(z.startsWith('arn:', message));

const tokenSecret = z
  .object({
    TOKEN_SECRET: z.optional(z.string().check(z.minLength(32, 'must be at least 32 characters'))),
    TOKEN_SECRET_PREVIOUS: z.optional(z.string().check(z.minLength(32, 'must be at least 32 characters'))),
    TOKEN_SECRET_ARN: z.optional(arn('must be a Secrets Manager ARN')),
  })
  .check(
    z.refine((v) => v.TOKEN_SECRET !== undefined || v.TOKEN_SECRET_ARN !== undefined, {
      message: 'one of TOKEN_SECRET or TOKEN_SECRET_ARN is required',
      path: ['TOKEN_SECRET'],
    }),
  );

const days = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(3650)), fallback);

const base = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  NUDGE_QUIET_AFTER_DAYS: days(42),
  NUDGE_RUNG_SPACING_DAYS: days(14),
  NUDGE_AT_RISK_PAUSE_DAYS: days(60),
  NUDGE_DIGEST_INTERVAL_DAYS: days(defaultNudgePolicy.digestIntervalDays),
});

const mail = z.object({
  PUBLIC_BASE_URL: z.pipe(z.url(), z.transform((u: string) => u.replace(/\/+$/, ''))),
  MAIL_FROM: z.string().check(z.minLength(3), z.refine((v) => !/[\r\n]/.test(v), 'must be one line')),
  MAIL_REPLY_TO: z.email(),
  MAIL_REPLY_DOMAIN: z.optional(z.string().check(z.regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'must be a domain name, e.g. reply.example.org'))),
  SES_CONFIGURATION_SET: z.optional(z.string().check(z.minLength(1))),
  SEND_RATE_PER_SECOND: z._default(z.coerce.number().check(z.positive(), z.maximum(1000)), 10),
  UNASKED_EMAIL_EVERY_DAYS: days(defaultMailBudget.unaskedEveryDays),
  UNASKED_EMAILS_PER_MONTH: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(31)), defaultMailBudget.unaskedPerMonth),
});

export type TokenSecretSource = { secret: string; previous?: string } | { secretArn: string };

export interface ApiConfig {
  tableName: string;
  tokenSecret: TokenSecretSource;
  nudgePolicy: NudgePolicy;
  limits: AbuseLimits;
}

export interface MailConfig {
  publicBaseUrl: string;
  from: string;
  replyTo: string;
  /** Where replies to an email about one link go, to be relayed; absent: MAIL_REPLY_TO for every email. */
  replyDomain?: string;
  configurationSet?: string;
  sendRatePerSecond: number;
  /** Absent: the default budget (core/policies/mail-budget.ts). */
  budget?: MailBudget;
}

export interface WatcherConfig extends ApiConfig {
  mail: MailConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function parse<T extends z.ZodMiniType>(schema: T, env: Env): z.output<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}

const nudgePolicyOf = (v: z.output<typeof base>): NudgePolicy => ({
  quietAfterDays: v.NUDGE_QUIET_AFTER_DAYS,
  rungSpacingDays: v.NUDGE_RUNG_SPACING_DAYS,
  atRiskPauseDays: v.NUDGE_AT_RISK_PAUSE_DAYS,
  digestIntervalDays: v.NUDGE_DIGEST_INTERVAL_DAYS,
});

const allowance = z.strictObject({ count: z.int().check(z.minimum(1), z.maximum(100_000)), hours: z.number().check(z.positive(), z.maximum(24 * 31)) });
const actionLimits = z.strictObject({
  perSource: z.optional(allowance),
  perRecipient: z.optional(allowance),
  perPractice: z.optional(allowance),
  perEvent: z.optional(allowance),
  perDirector: z.optional(allowance),
});
const limitOverrides = z.strictObject(Object.fromEntries(Object.keys(defaultAbuseLimits).map((action) => [action, z.optional(actionLimits)])) as Record<LimitedAction, z.ZodMiniOptional<typeof actionLimits>>);

/** ABUSE_LIMITS: JSON overriding any of the defaults in core/policies/abuse-limits.ts, e.g. `{"registration":{"perSource":{"count":20,"hours":1}}}`. */
function loadAbuseLimits(env: Env): AbuseLimits {
  if (!env.ABUSE_LIMITS) return defaultAbuseLimits;
  let json: unknown;
  try {
    json = JSON.parse(env.ABUSE_LIMITS);
  } catch {
    throw new ConfigError('Invalid configuration: ABUSE_LIMITS: must be JSON');
  }
  const overrides = parse(limitOverrides, json as Env);
  return Object.fromEntries(
    (Object.keys(defaultAbuseLimits) as LimitedAction[]).map((action) => [action, { ...defaultAbuseLimits[action], ...(overrides[action] ?? {}) }]),
  ) as AbuseLimits;
}

export function loadApiConfig(env: Env = process.env): ApiConfig {
  const v = parse(z.intersection(base, tokenSecret), env);
  return {
    tableName: v.TABLE_NAME,
    tokenSecret: v.TOKEN_SECRET ? { secret: v.TOKEN_SECRET, ...(v.TOKEN_SECRET_PREVIOUS ? { previous: v.TOKEN_SECRET_PREVIOUS } : {}) } : { secretArn: v.TOKEN_SECRET_ARN! },
    nudgePolicy: nudgePolicyOf(v),
    limits: loadAbuseLimits(env),
  };
}

/** The table and the ladder's numbers, no secret and no mail: for the go-live imports (`npm run cli`) and the head-office watcher. */
export function loadTableConfig(env: Env = process.env): { tableName: string; nudgePolicy: NudgePolicy } {
  const v = parse(base, env);
  return { tableName: v.TABLE_NAME, nudgePolicy: nudgePolicyOf(v) };
}

export function loadWatcherConfig(env: Env = process.env): WatcherConfig {
  const api = loadApiConfig(env);
  const m = parse(mail, env);
  return {
    ...api,
    mail: {
      publicBaseUrl: m.PUBLIC_BASE_URL,
      from: m.MAIL_FROM,
      replyTo: m.MAIL_REPLY_TO,
      ...(m.MAIL_REPLY_DOMAIN ? { replyDomain: m.MAIL_REPLY_DOMAIN.toLowerCase() } : {}),
      sendRatePerSecond: m.SEND_RATE_PER_SECOND,
      budget: { unaskedEveryDays: m.UNASKED_EMAIL_EVERY_DAYS, unaskedPerMonth: m.UNASKED_EMAILS_PER_MONTH },
      ...(m.SES_CONFIGURATION_SET ? { configurationSet: m.SES_CONFIGURATION_SET } : {}),
    },
  };
}

export type AllowlistSource = { addresses: string[] } | { secretArn: string };

const headOffice = z
  .object({
    HEAD_OFFICE_ALLOWLIST: z.optional(
      z.pipe(
        z.pipe(
          z.string(),
          z.transform((v: string) => v.split(/[,\s]+/).map((a) => a.trim().toLowerCase()).filter(Boolean)),
        ),
        z.array(z.email('must list email addresses')).check(z.minLength(1, 'must list at least one address')),
      ),
    ),
    HEAD_OFFICE_ALLOWLIST_ARN: z.optional(arn('must be a Secrets Manager ARN')),
  })
  .check(
    z.refine((v) => v.HEAD_OFFICE_ALLOWLIST !== undefined || v.HEAD_OFFICE_ALLOWLIST_ARN !== undefined, {
      message: 'one of HEAD_OFFICE_ALLOWLIST or HEAD_OFFICE_ALLOWLIST_ARN is required',
      path: ['HEAD_OFFICE_ALLOWLIST'],
    }),
  );

/** Who may sign in to the head-office dashboard: for the API. */
export function loadHeadOfficeConfig(env: Env = process.env): { allowlist: AllowlistSource } {
  const v = parse(headOffice, env);
  return { allowlist: v.HEAD_OFFICE_ALLOWLIST ? { addresses: v.HEAD_OFFICE_ALLOWLIST } : { secretArn: v.HEAD_OFFICE_ALLOWLIST_ARN! } };
}

export interface ReminderConfig {
  targetArn: string;
  roleArn: string;
  deadLetterArn: string;
  groupName: string;
}

const reminders = z.object({
  REMINDER_TARGET_ARN: arn(),
  REMINDER_ROLE_ARN: arn(),
  REMINDER_DLQ_ARN: arn(),
  REMINDER_GROUP: z.string().check(z.regex(/^[0-9a-zA-Z\-_.]{1,64}$/)),
});

/** For functions that create one-time reminders (the takeover watcher), in AWS. */
export function loadReminderConfig(env: Env = process.env): ReminderConfig {
  const v = parse(reminders, env);
  return { targetArn: v.REMINDER_TARGET_ARN, roleArn: v.REMINDER_ROLE_ARN, deadLetterArn: v.REMINDER_DLQ_ARN, groupName: v.REMINDER_GROUP };
}

export interface FailureKeeperConfig {
  tableName: string;
  /** Each watcher function's name, to the stream consumer it is (its filter says which records of a failed batch are its own). */
  streamConsumers: Record<string, StreamConsumerName>;
}

const consumerNames = Object.keys(streamConsumerFilters);
const streamConsumers = z.pipe(
  z.string().check(
    z.refine(
      (v) => v.split(',').every((pair) => /^[A-Za-z0-9_.:$-]+=[a-z-]+$/.test(pair.trim()) && consumerNames.includes(pair.split('=')[1]!.trim())),
      `must be <function name>=<consumer>, comma-separated, each consumer one of ${consumerNames.join(', ')}`,
    ),
  ),
  z.transform((v: string) => Object.fromEntries(v.split(',').map((pair) => pair.trim().split('=') as [string, StreamConsumerName]))),
);

/** For the failure keeper: the table, and which watcher each function is. */
export function loadFailureKeeperConfig(env: Env = process.env): FailureKeeperConfig {
  const v = parse(z.object({ TABLE_NAME: base.shape.TABLE_NAME, STREAM_CONSUMERS: streamConsumers }), env);
  return { tableName: v.TABLE_NAME, streamConsumers: v.STREAM_CONSUMERS };
}

export interface StreamRouterConfig {
  /** The function to invoke for each watcher the router feeds. */
  routes: Record<RoutedWatcherName, string>;
}

const streamRoutes = z.pipe(
  z.string().check(
    z.refine((v) => {
      const pairs = v.split(',').map((pair) => pair.trim().split('='));
      const names = pairs.map(([name]) => name);
      return (
        pairs.every((pair) => pair.length === 2 && /^[A-Za-z0-9_.:$-]+$/.test(pair[1]!)) &&
        names.length === routedWatcherNames.length &&
        routedWatcherNames.every((name) => names.includes(name))
      );
    }, `must be <watcher>=<function name>, comma-separated, once for each of ${routedWatcherNames.join(', ')}`),
  ),
  z.transform((v: string) => Object.fromEntries(v.split(',').map((pair) => pair.trim().split('=') as [RoutedWatcherName, string])) as Record<RoutedWatcherName, string>),
);

/** For the stream router: which function is each watcher it feeds. */
export function loadStreamRouterConfig(env: Env = process.env): StreamRouterConfig {
  return { routes: parse(z.object({ STREAM_ROUTES: streamRoutes }), env).STREAM_ROUTES };
}

/**
 * Where the stored replies are (HouseFunction.useReceivedReplies sets both), and the reply
 * domain, which loadWatcherConfig reads as optional but this function cannot do without.
 * Missing or malformed: it fails at start.
 */
export function loadReplyReceiverSettings(env: Record<string, string | undefined>, replyDomain: string | undefined): { bucket: string; objectPrefix: string; replyDomain: string } {
  const problems: string[] = [];
  const bucket = env.REPLY_BUCKET ?? '';
  const objectPrefix = env.REPLY_OBJECT_PREFIX ?? '';
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) problems.push('REPLY_BUCKET: must be an S3 bucket name');
  if (!/^[A-Za-z0-9._-]+\/$/.test(objectPrefix)) problems.push('REPLY_OBJECT_PREFIX: must be a key prefix ending in /, e.g. replies/');
  if (!replyDomain) problems.push('MAIL_REPLY_DOMAIN: required by the reply receiver (the domain replies come in on)');
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  return { bucket, objectPrefix, replyDomain: replyDomain! };
}
