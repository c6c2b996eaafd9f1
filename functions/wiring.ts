/**
 * Builds the real adapters from configuration. The Lambda entry files and the local
 * runtime both call this, so locally the product runs the same code as in AWS.
 */
import { GetCommand, type DocumentClient } from './adapters/dynamo/document-client.js';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { AllowlistSource, ApiConfig, MailConfig } from './config.js';
import { PacedTransport, RetryingTransport } from './core/mail-pacing.js';
import { Mailer } from './core/mailer.js';
import { CountingMailer } from './core/counting-mailer.js';
import { defaultNudgePolicy, type NudgePolicy } from './core/policies/quiet-link-ladder.js';
import { defaultAbuseLimits, type AbuseLimits } from './core/policies/abuse-limits.js';
import type {
  Clock,
  EventDirectory,
  FeedbackStore,
  FirstTimerStore,
  FreshLinkRequests,
  LinkTokens,
  MailTransport,
  OptOutStore,
  OutboxLedger,
  LadderStore,
  BudgetSlots,
  PartnershipStore,
  TakeoverStore,
  LinkTakeovers,
  RateLimiter,
  HeldMail,
  HeadOfficeAllowlist,
  SessionStore,
  MetricsStore,
  AuditLog,
  LinkLists,
  HeadOfficeActions,
  EventRegistry,
  RegistrationStore,
  Telemetry,
} from './core/ports.js';
import { DynamoHeadOfficeStore } from './adapters/dynamo/head-office-store.js';
import { DynamoMetricsStore } from './adapters/dynamo/metrics-store.js';
import { ConfiguredAllowlist } from './adapters/head-office-allowlist.js';
import { DynamoSessionStore } from './adapters/dynamo/session-store.js';
import { systemClock } from './adapters/clock.js';
import { createDocumentClient } from './adapters/dynamo/document-client.js';
import { DynamoEventDirectory } from './adapters/dynamo/event-directory.js';
import { DynamoEventRegistry } from './adapters/dynamo/event-registry.js';
import { DynamoRegistrationStore } from './adapters/dynamo/registration-store.js';
import { DynamoFeedbackStore } from './adapters/dynamo/feedback-store.js';
import { DynamoFirstTimerStore } from './adapters/dynamo/first-timer-store.js';
import { DynamoFreshLinkRequests } from './adapters/dynamo/fresh-link-requests.js';
import { keys } from './adapters/dynamo/items.js';
import type { HeadOfficeWatchDeps } from './core/use-cases/head-office-watch.js';
import { handleMailFeedback } from './core/use-cases/mail-feedback.js';
import { DynamoLadderStore } from './adapters/dynamo/ladder-store.js';
import { DynamoLinkTokens } from './adapters/dynamo/link-tokens.js';
import { DynamoOptOutStore } from './adapters/dynamo/opt-out-store.js';
import { DynamoOutboxLedger } from './adapters/dynamo/outbox-ledger.js';
import { DynamoHeldMail } from './adapters/dynamo/held-mail.js';
import { DynamoPartnershipStore } from './adapters/dynamo/partnership-store.js';
import { DynamoRateLimiter } from './adapters/dynamo/rate-limiter.js';
import { DynamoTakeoverStore } from './adapters/dynamo/takeover-store.js';
import { DynamoLinkTakeovers } from './adapters/dynamo/link-takeovers.js';
import { SesMailTransport } from './adapters/ses-mail-transport.js';
import { TokenKeyring } from './adapters/token-secret.js';
import { telemetry } from './observability.js';

export interface StoreDeps {
  clock: Clock;
  nudgePolicy: NudgePolicy;
  /** The limits on what a stranger can make us send (registrations, hand-overs, namings, fresh links, sign-ins). */
  limits: AbuseLimits;
  events: EventDirectory;
  partnerships: PartnershipStore;
  ledger: OutboxLedger;
  held: HeldMail;
  optOuts: OptOutStore;
  tokens: LinkTokens;
  rateLimiter: RateLimiter;
  freshLinkRequests: FreshLinkRequests;
  ladder: LadderStore;
  slots: BudgetSlots;
  takeovers: TakeoverStore;
  /** A link's takeovers, read only: the page both sides share. */
  linkTakeovers: LinkTakeovers;
  feedback: FeedbackStore;
  firstTimers: FirstTimerStore;
  sessions: SessionStore;
  metrics: MetricsStore;
  audit: AuditLog;
  lists: LinkLists;
  headOfficeActions: HeadOfficeActions;
  /** Head office's writes to events and their teams. */
  registry: EventRegistry;
  /** Registrations awaiting their champion's confirmation. */
  registrations: RegistrationStore;
  /** Resolves when the table answers a read; rejects otherwise. */
  ping(): Promise<void>;
  /** Counts for CloudWatch: in Lambda only (storeDepsFromConfig); the local runtime and the tests count nothing. */
  telemetry?: Telemetry;
}

/** What the HTTP API uses: everything but the sweep's stores, and who may sign in to head office. */
export type ApiDeps = Omit<StoreDeps, 'ladder' | 'slots'> & { allowlist: HeadOfficeAllowlist };

/** The API's dependencies: the stores, and the head-office allow-list from configuration. */
export function apiDeps(store: StoreDeps, allowlist: AllowlistSource): ApiDeps {
  return { ...store, allowlist: new ConfiguredAllowlist(allowlist, store.clock) };
}

export interface MailDeps extends StoreDeps {
  mailer: Mailer;
}

export function storeDeps(
  doc: DocumentClient,
  tableName: string,
  tokenSecret: string | TokenKeyring,
  clock: Clock = systemClock,
  nudgePolicy: NudgePolicy = defaultNudgePolicy,
  limits: AbuseLimits = defaultAbuseLimits,
): StoreDeps {
  const ladder = new DynamoLadderStore(doc, tableName);
  const headOffice = new DynamoHeadOfficeStore(doc, tableName);
  return {
    clock,
    ladder,
    slots: ladder,
    takeovers: new DynamoTakeoverStore(doc, tableName),
    linkTakeovers: new DynamoLinkTakeovers(doc, tableName),
    feedback: new DynamoFeedbackStore(doc, tableName),
    firstTimers: new DynamoFirstTimerStore(doc, tableName),
    sessions: new DynamoSessionStore(doc, tableName, tokenSecret),
    metrics: new DynamoMetricsStore(doc, tableName),
    audit: headOffice,
    lists: headOffice,
    headOfficeActions: headOffice,
    nudgePolicy,
    limits,
    events: new DynamoEventDirectory(doc, tableName),
    registry: new DynamoEventRegistry(doc, tableName),
    registrations: new DynamoRegistrationStore(doc, tableName),
    partnerships: new DynamoPartnershipStore(doc, tableName),
    ledger: new DynamoOutboxLedger(doc, tableName),
    held: new DynamoHeldMail(doc, tableName),
    optOuts: new DynamoOptOutStore(doc, tableName),
    tokens: new DynamoLinkTokens(doc, tableName, tokenSecret),
    rateLimiter: new DynamoRateLimiter(doc, tableName),
    freshLinkRequests: new DynamoFreshLinkRequests(doc, tableName),
    ping: async () => {
      await doc.send(new GetCommand({ TableName: tableName, Key: keys.health }));
    },
  };
}

/** The head-office watcher's stores: the table only, without the magic-link key (it issues and checks no token). */
export function headOfficeWatchDeps(doc: DocumentClient, tableName: string, clock: Clock = systemClock, counts?: Telemetry): HeadOfficeWatchDeps {
  const headOffice = new DynamoHeadOfficeStore(doc, tableName);
  return {
    clock,
    metrics: new DynamoMetricsStore(doc, tableName),
    events: new DynamoEventDirectory(doc, tableName),
    audit: headOffice,
    lists: headOffice,
    ...(counts ? { telemetry: counts } : {}),
  };
}

/**
 * The wire to SES as every mail sender uses it: paced, and retried by RetryingTransport
 * alone. The SES client itself makes one attempt per send (its default is 3), so a retry is
 * never hidden inside another (4 × 3 = 12 sends of one email) and every attempt waits for
 * the pacer, which keeps the account under SES's sending rate.
 */
export function mailTransport(mail: MailConfig, wire: MailTransport = new SesMailTransport(new SESv2Client({ maxAttempts: 1 }), mail.configurationSet)): MailTransport {
  return new RetryingTransport(new PacedTransport(wire, mail.sendRatePerSecond));
}

export function mailDeps(store: StoreDeps, mail: MailConfig, transport?: MailTransport): MailDeps {
  // An address SES refuses outright gets what a permanent bounce gets; head office is the reply-to, as for bounces.
  const onRecipientRejected = (address: string, at: Date) =>
    handleMailFeedback({ ...store, mailer, headOfficeEmail: mail.replyTo }, { kind: 'bounce', permanent: true, recipients: [address], at });
  const deps = { ...store, budget: store.slots, transport: mailTransport(mail, transport), onRecipientRejected };
  const settings = { publicBaseUrl: mail.publicBaseUrl, from: mail.from, replyTo: mail.replyTo, ...(mail.replyDomain ? { replyDomain: mail.replyDomain } : {}), ...(mail.budget ? { budget: mail.budget } : {}) };
  const mailer: Mailer = deps.telemetry ? new CountingMailer({ ...deps, telemetry: deps.telemetry }, settings) : new Mailer(deps, settings);
  return { ...store, mailer };
}

/** What a Lambda builds once at cold start, counting for CloudWatch (flushed by the entry's middleware, functions/observability.ts). */
export async function storeDepsFromConfig(config: ApiConfig, clock: Clock = systemClock): Promise<StoreDeps> {
  const store = storeDeps(createDocumentClient(), config.tableName, await TokenKeyring.fromSource(config.tokenSecret, clock), clock, config.nudgePolicy, config.limits);
  return { ...store, telemetry };
}

/** The head-office watcher's stores as its Lambda builds them, counting for CloudWatch. */
export function headOfficeWatchDepsFromConfig(tableName: string): HeadOfficeWatchDeps {
  return headOfficeWatchDeps(createDocumentClient(), tableName, systemClock, telemetry);
}
