import { Duration, Validations } from 'aws-cdk-lib';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  firstTimerFilter,
  headOfficeFilter,
  takeoverPlanFilter,
  newFreshLinkRequestFilter,
  handoverFilter,
  newRegistrationFilter,
  headOfficeMappingSettings,
  patternsOf,
  streamMappingSettings,
} from '../../functions/adapters/dynamo/stream-filters.js';
import type { StreamConsumerName, StreamFilter, StreamMappingSettings } from '../../functions/adapters/dynamo/stream-filters.js';
import type { Data } from './data.js';
import { failureQueue } from './failure-queue.js';
import { HouseFunction } from './house-function.js';
import type { Mail } from './mail.js';
import type { Reminders } from './reminders.js';
import { tableAccess, type TableAccess } from '../table-access.js';

export interface WatchersProps {
  readonly data: Data;
  readonly tokenKey: ISecret;
  readonly mail: Mail;
  /** Where failures the failure keeper could not keep go (constructs/failure-queue.ts). */
  readonly deadLetters: IQueue;
  /** Where the takeover and first-timer watchers plan their one-time reminders (countdowns, Thursday notices). */
  readonly reminders: Reminders;
  /** Who may sign in to the head-office dashboard: the fresh-link watcher mails a sign-in link only to them. */
  readonly headOfficeAllowlist: ISecret;
}

interface StreamConsumerProps {
  /** Entry file relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Its item access and whether it reads the magic-link key: infra/table-access.ts. */
  readonly access: TableAccess;
  /** The event-source filter (one pattern or several, ORed), shared with the local stream poller. */
  readonly filter: StreamFilter;
  /** @default streamMappingSettings; how the mapping batches, shared with the local stream poller. */
  readonly mapping?: StreamMappingSettings;
  /** @default true; false for a consumer that only keeps the table up to date, which then gets no mail settings and may not send. */
  readonly sendsMail?: boolean;
}

/**
 * Consumers of the table's stream. Each sees only the records its filter lets through,
 * reports partial batch failures, bisects a failing batch, retries a bounded number of
 * times, and then parks what it could not process in one shared failure queue.
 */
export class Watchers extends Construct {
  /** Where stream records land once a watcher has given up on them (the event source mapping's on-failure destination). */
  readonly failures: Queue;
  /** Welcomes a newly registered practice and its parkrun event. */
  readonly registration: HouseFunction;
  /** Welcomes the successor of a champion or event director who handed over. */
  readonly handover: HouseFunction;
  /**
   * Mails a new magic link that someone asked for to replace an expired or used one. The API
   * only records the request in the table; this watcher is what sends, so the API cannot mail.
   */
  readonly freshLink: HouseFunction;
  /**
   * Follows takeovers through the stream (the records takeoverPlanFilter lets through) and
   * plans their countdown reminders as one-time schedules in the reminder group. One of the
   * two functions (with `firstTimer`) that may create or delete schedules.
   */
  readonly takeover: HouseFunction;
  /**
   * Follows first-timer work through the stream (the records firstTimerFilter lets through):
   * asks a named first-timer contact to confirm, and schedules, or deletes, the Thursday
   * notice of a newcomer plan as a one-time schedule in the reminder group. The other
   * function that may create or delete schedules.
   */
  readonly firstTimer: HouseFunction;
  /**
   * Keeps what head office sees up to date from the stream (the records headOfficeFilter lets
   * through): the pre-aggregated figures, each link's place in the byStatus index, and the
   * audit log of magic links used. It writes to the table only: no mail, no schedules.
   */
  readonly headOffice: HouseFunction;
  private readonly deps: WatchersProps;

  /** Each stream watcher and the consumer it is, by stream-filters.ts's names: for the failure keeper and the alarms. */
  get consumers(): ReadonlyArray<{ fn: HouseFunction; consumer: StreamConsumerName }> {
    return [
      { fn: this.registration, consumer: 'registration-watcher' },
      { fn: this.handover, consumer: 'handover-watcher' },
      { fn: this.freshLink, consumer: 'fresh-link-watcher' },
      { fn: this.takeover, consumer: 'takeover-watcher' },
      { fn: this.firstTimer, consumer: 'first-timer-watcher' },
      { fn: this.headOffice, consumer: 'head-office-watcher' },
    ];
  }

  constructor(scope: Construct, id: string, props: WatchersProps) {
    super(scope, id);
    this.deps = props;

    // A message points at a stream batch (shard, sequence numbers); the records themselves
    // stay readable in the stream for its 24 hours only.
    this.failures = failureQueue(this, props.deadLetters);

    this.registration = this.streamConsumer('RegistrationWatcher', {
      entry: 'functions/watchers/registration-watcher.ts',
      access: tableAccess.registrationWatcher,
      description: 'Stream: welcomes a newly registered practice and its parkrun event',
      filter: newRegistrationFilter,
    });
    this.handover = this.streamConsumer('HandoverWatcher', {
      entry: 'functions/watchers/handover-watcher.ts',
      access: tableAccess.handoverWatcher,
      description: 'Stream: asks the successor named in a hand-over to accept, and welcomes them once they have',
      filter: handoverFilter,
    });
    // The API records every sign-in request alike (so its timing tells no one who is listed):
    // this watcher is where the head-office list is checked, so it reads the list too.
    this.freshLink = this.streamConsumer('FreshLinkWatcher', {
      entry: 'functions/watchers/fresh-link-watcher.ts',
      access: tableAccess.freshLinkWatcher,
      description: 'Stream: mails a new magic link that someone asked for to replace an expired or used one',
      filter: newFreshLinkRequestFilter,
    }).useHeadOfficeAllowlist(props.headOfficeAllowlist);
    this.takeover = this.streamConsumer('TakeoverWatcher', {
      entry: 'functions/watchers/takeover-watcher.ts',
      access: tableAccess.takeoverWatcher,
      description: 'Stream: follows takeovers as they are agreed and plans their countdown reminders as one-time schedules',
      filter: takeoverPlanFilter,
    }).useReminders(props.reminders);
    // Same reminder group, role and target as the takeover watcher: the reminder function tells
    // the two apart by the job each schedule carries ('first-timer-notice').
    this.firstTimer = this.streamConsumer('FirstTimerWatcher', {
      entry: 'functions/watchers/first-timer-watcher.ts',
      access: tableAccess.firstTimerWatcher,
      description: 'Stream: asks named first-timer contacts to confirm and plans the Thursday newcomer notices as one-time schedules',
      filter: firstTimerFilter,
    }).useReminders(props.reminders);
    this.headOffice = this.streamConsumer('HeadOfficeWatcher', {
      entry: 'functions/watchers/head-office-watcher.ts',
      access: tableAccess.headOfficeWatcher,
      description: "Stream: keeps head office's figures, by-status lists and magic-link audit log up to date",
      filter: headOfficeFilter,
      mapping: headOfficeMappingSettings,
      sendsMail: false,
    });
  }

  /**
   * One consumer of the table's stream: its function (and, beside it, its log group and role,
   * under `${id}Logs` and `${id}Role`), table read/write, the token key, mail (unless
   * `sendsMail` is false), and an event source mapping that lets through only what `filter`
   * matches. The construct IDs (`id`, `${id}Logs`, `${id}Role`, the mapping under the function)
   * make the logical IDs of deployed resources: changing them replaces those resources.
   */
  private streamConsumer(id: string, consumer: StreamConsumerProps): HouseFunction {
    const { data, tokenKey, mail } = this.deps;
    const fn = new HouseFunction(this, id, {
      entry: consumer.entry,
      description: consumer.description,
      timeout: Duration.seconds(30),
    })
      .useTable(data, consumer.access, tokenKey);
    // Before the event source, as for every mail sender, so their policies keep their statement order.
    if (consumer.sendsMail ?? true) fn.useMail(mail);
    fn.acknowledgeNoAsyncInvocation('its DynamoDB stream event source mapping');
    const mapping = consumer.mapping ?? streamMappingSettings;

    fn.addEventSource(
      new DynamoEventSource(data.table, {
        // TRIM_HORIZON: when a mapping is (re)created, matching records written in the
        // meantime (up to the stream's 24 h) are still handled. So every consumer must be
        // idempotent (a conditional put of an idempotency record per email, or per record
        // for the head-office figures), and a replay sends or counts nothing twice.
        startingPosition: StartingPosition.TRIM_HORIZON,
        filters: patternsOf(consumer.filter).map((pattern) => FilterCriteria.filter(pattern)),
        batchSize: mapping.batchSize,
        parallelizationFactor: mapping.parallelizationFactor,
        ...(mapping.maxBatchingWindowSeconds > 0 ? { maxBatchingWindow: Duration.seconds(mapping.maxBatchingWindowSeconds) } : {}),
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(6),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failures),
      }),
    );
    // The event source grants dynamodb:ListStreams on `*`; the rest of its grant is the stream ARN.
    const grants = fn.role!.node.findChild('DefaultPolicy').node.defaultChild!;
    Validations.of(grants).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only dynamodb:ListStreams, which the event source mapping needs and which supports no resource-level permissions; it returns stream ARNs, not data. Every other action in this policy names its resource (a test pins this).',
    });
    return fn;
  }
}
