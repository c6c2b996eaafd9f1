import { Duration, Validations } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  patternsOf,
  routedWatcherNames,
  streamRouter,
  streamMappingSettings,
  streamWatchers,
  type StreamConsumerEntry,
  type StreamConsumerName,
  type StreamReader,
  type StreamReaderName,
  type WatcherName,
} from '../../functions/adapters/dynamo/stream-filters.js';
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

/** What only a watcher's own function has; its filter, entry and feed are in stream-filters.ts's streamWatchers. */
interface WatcherFunctionProps {
  /** The construct ID: it makes the logical IDs of the function, its role and log group; changing it replaces them. */
  readonly id: string;
  readonly description: string;
  /** Its item access and whether it reads the magic-link key: infra/table-access.ts. */
  readonly access: TableAccess;
  /** @default true; false for a consumer that only keeps the table up to date, which then gets no mail settings and may not send. */
  readonly sendsMail?: boolean;
  /** Anything else it alone uses (reminders, the head-office allow-list). */
  readonly extras?: (fn: HouseFunction) => void;
}

/** Timeout of a watcher's function; the router waits for them, so it has longer. */
const watcherTimeout = Duration.seconds(30);

/**
 * Consumers of the table's stream, as stream-filters.ts's registry (streamWatchers) has
 * them, and its readers: DynamoDB advises at most two per shard, so the watchers that send
 * mail are fed by one stream router, and only the head-office watcher, which reads in its
 * own way, has a mapping of its own. Each mapping sees only what its filter lets through,
 * reports partial batch failures, bisects a failing batch, retries a bounded number of
 * times, and then parks what it could not process in one shared failure queue. Each
 * watcher keeps its own function and role with only its own grants; the router may only
 * read the stream, invoke them and park failures.
 */
export class Watchers extends Construct {
  /** Where stream records land once a reader has given up on them (the event source mappings' on-failure destination). */
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
  /**
   * Reads the stream for every watcher the router feeds (stream-filters.ts) and invokes each
   * with its own records. It may read the stream, invoke those functions (unqualified) and
   * park failures, nothing else: no table, no key, no mail.
   */
  readonly router: HouseFunction;
  /** Each watcher's function, by its name in stream-filters.ts. */
  readonly byName: Readonly<Record<WatcherName, HouseFunction>>;
  /** The readers of the table's stream (a mapping each), by name: the router and the watchers with a mapping of their own. */
  readonly readers: Array<{ fn: HouseFunction; reader: StreamReaderName }> = [];
  private readonly data: Data;

  /** Every function whose failed stream batches the failure keeper may meet, and the consumer it is: the watchers and the router. */
  get consumers(): ReadonlyArray<{ fn: HouseFunction; consumer: StreamConsumerName }> {
    return [
      ...(Object.keys(this.byName) as WatcherName[]).map((consumer) => ({ fn: this.byName[consumer], consumer })),
      { fn: this.router, consumer: streamRouter.name },
    ];
  }

  constructor(scope: Construct, id: string, props: WatchersProps) {
    super(scope, id);
    const { data, tokenKey, mail } = props;
    this.data = data;

    // A message points at a stream batch (shard, sequence numbers); the records themselves
    // stay readable in the stream for its 24 hours only.
    this.failures = failureQueue(this, props.deadLetters);

    // The API records every sign-in request alike (so its timing tells no one who is listed):
    // the fresh-link watcher is where the head-office list is checked, so it reads the list too.
    // The takeover and first-timer watchers share the reminder group, role and target: the
    // reminder function tells the two apart by the job each schedule carries ('first-timer-notice').
    const own: Record<WatcherName, WatcherFunctionProps> = {
      'registration-watcher': {
        id: 'RegistrationWatcher',
        access: tableAccess.registrationWatcher,
        description: 'Stream: welcomes a newly registered practice and its parkrun event',
      },
      'handover-watcher': {
        id: 'HandoverWatcher',
        access: tableAccess.handoverWatcher,
        description: 'Stream: asks the successor named in a hand-over to accept, and welcomes them once they have',
      },
      'fresh-link-watcher': {
        id: 'FreshLinkWatcher',
        access: tableAccess.freshLinkWatcher,
        description: 'Stream: mails a new magic link that someone asked for to replace an expired or used one',
        extras: (fn) => fn.useHeadOfficeAllowlist(props.headOfficeAllowlist),
      },
      'takeover-watcher': {
        id: 'TakeoverWatcher',
        access: tableAccess.takeoverWatcher,
        description: 'Stream: follows takeovers as they are agreed and plans their countdown reminders as one-time schedules',
        extras: (fn) => fn.useReminders(props.reminders),
      },
      'first-timer-watcher': {
        id: 'FirstTimerWatcher',
        access: tableAccess.firstTimerWatcher,
        description: 'Stream: asks named first-timer contacts to confirm and plans the Thursday newcomer notices as one-time schedules',
        extras: (fn) => fn.useReminders(props.reminders),
      },
      'head-office-watcher': {
        id: 'HeadOfficeWatcher',
        access: tableAccess.headOfficeWatcher,
        description: "Stream: keeps head office's figures, by-status lists and magic-link audit log up to date",
        sendsMail: false,
      },
    };

    const byName = {} as Record<WatcherName, HouseFunction>;
    for (const name of Object.keys(streamWatchers) as WatcherName[]) {
      const watcher: StreamConsumerEntry = streamWatchers[name];
      const spec = own[name];
      const fn = new HouseFunction(this, spec.id, { entry: watcher.entry, description: spec.description, timeout: watcherTimeout }).useTable(data, spec.access, tokenKey);
      // Before any event source, as for every mail sender, so their policies keep their statement order.
      if (spec.sendsMail ?? true) fn.useMail(mail);
      spec.extras?.(fn);
      if (watcher.feed === 'own-mapping') {
        fn.acknowledgeNoAsyncInvocation('its DynamoDB stream event source mapping');
        this.readStream(fn, { name: name as StreamReaderName, filter: watcher.filter, entry: watcher.entry, mapping: watcher.mapping ?? streamMappingSettings });
      } else {
        fn.acknowledgeNoAsyncInvocation('the stream router (RequestResponse)');
      }
      byName[name] = fn;
    }
    this.byName = byName;
    this.registration = byName['registration-watcher'];
    this.handover = byName['handover-watcher'];
    this.freshLink = byName['fresh-link-watcher'];
    this.takeover = byName['takeover-watcher'];
    this.firstTimer = byName['first-timer-watcher'];
    this.headOffice = byName['head-office-watcher'];

    this.router = new HouseFunction(this, 'StreamRouter', {
      entry: streamRouter.entry,
      description: 'Stream: hands each mail-sending watcher its own records of the table stream, invoking its function',
      // It waits for the watchers it invokes, each of which may take its whole timeout.
      timeout: watcherTimeout.plus(Duration.seconds(30)),
    });
    this.router.acknowledgeNoAsyncInvocation('its DynamoDB stream event source mapping');
    this.router.addEnvironment('STREAM_ROUTES', routedWatcherNames.map((name) => `${name}=${byName[name].functionName}`).join(','));
    // Unqualified ARNs only: no `:*`, so no version or alias, and no function but these.
    Grant.addToPrincipal({ grantee: this.router, actions: ['lambda:InvokeFunction'], resourceArns: routedWatcherNames.map((name) => byName[name].functionArn) });
    this.readStream(this.router, streamRouter);
  }

  /**
   * A reader of the table's stream: an event source mapping that lets through only what
   * `reader.filter` matches, batching as `reader.mapping` says (both shared with the local
   * stream poller). The mapping is a child of the function, so its logical ID follows the
   * function's construct ID.
   */
  private readStream(fn: HouseFunction, reader: StreamReader): void {
    const { mapping } = reader;
    fn.addEventSource(
      new DynamoEventSource(this.data.table, {
        // TRIM_HORIZON: when a mapping is (re)created, matching records written in the
        // meantime (up to the stream's 24 h) are still handled. So every consumer must be
        // idempotent (a conditional put of an idempotency record per email, or per record
        // for the head-office figures), and a replay sends or counts nothing twice.
        startingPosition: StartingPosition.TRIM_HORIZON,
        filters: patternsOf(reader.filter).map((pattern) => FilterCriteria.filter(pattern)),
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
    this.readers.push({ fn, reader: reader.name });
  }
}
