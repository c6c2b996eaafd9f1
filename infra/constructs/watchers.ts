import { Duration, Validations } from 'aws-cdk-lib';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { newRegistrationFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import type { Data } from './data.js';
import { HouseFunction } from './house-function.js';
import type { Mail } from './mail.js';

export interface WatchersProps {
  readonly data: Data;
  readonly tokenKey: ISecret;
  readonly mail: Mail;
}

/**
 * Consumers of the table's stream. Each sees only the records its filter lets through,
 * reports partial batch failures, bisects a failing batch, retries a bounded number of
 * times, and then parks what it could not process in one shared failure queue.
 */
export class Watchers extends Construct {
  /** Where stream records land once a watcher has given up on them (the event source mapping's on-failure destination). */
  readonly failures: Queue;
  readonly registration: HouseFunction;

  constructor(scope: Construct, id: string, props: WatchersProps) {
    super(scope, id);

    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The maximum. A message points at a stream batch (shard, sequence numbers); the
      // records themselves stay readable in the stream for its 24 hours only.
      retentionPeriod: Duration.days(14),
    });
    const terminalQueue =
      'This queue is the last stop: it is the on-failure destination of the stream event source mappings, holding records (pointers to stream batches) that exhausted their retries for a person to inspect. Nothing consumes it automatically, so there is nothing to redrive from it.';
    Validations.of(this.failures.node.defaultChild!).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: terminalQueue },
      { id: 'Serverless-SQSRedrivePolicy', reason: terminalQueue },
    );

    this.registration = new HouseFunction(this, 'RegistrationWatcher', {
      entry: 'functions/watchers/registration-watcher.ts',
      description: 'Stream: welcomes a newly registered practice and its parkrun event',
      timeout: Duration.seconds(30),
    })
      .useTable(props.data, 'readWrite')
      .useSecret(props.tokenKey)
      .useMail(props.mail)
      .acknowledgeNoAsyncInvocation('its DynamoDB stream event source mapping');

    this.registration.addEventSource(
      new DynamoEventSource(props.data.table, {
        // TRIM_HORIZON: when the mapping is (re)created, registrations written in the
        // meantime (up to the stream's 24 h) are still welcomed; the watcher is idempotent
        // (conditional put of an idempotency record per email), so a replay sends nothing twice.
        startingPosition: StartingPosition.TRIM_HORIZON,
        filters: [FilterCriteria.filter(newRegistrationFilter)],
        batchSize: 10,
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(6),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failures),
      }),
    );
    // The event source grants dynamodb:ListStreams on `*`; the rest of its grant is the stream ARN.
    const grants = this.registration.role!.node.findChild('DefaultPolicy').node.defaultChild!;
    Validations.of(grants).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only dynamodb:ListStreams, which the event source mapping needs and which supports no resource-level permissions; it returns stream ARNs, not data. Every other action in this policy names its resource (a test pins this).',
    });
  }
}
