import { Duration, Names, Validations } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StreamConsumerName } from '../../functions/adapters/dynamo/stream-filters.js';
import { tableAccess } from '../table-access.js';
import type { Data } from './data.js';
import { HouseFunction } from './house-function.js';

export interface FailureKeeperProps {
  readonly data: Data;
  readonly tokenKey: ISecret;
  /** Every failure queue in the stack: the keeper reads them all. */
  readonly failureQueues: readonly IQueue[];
  /**
   * Each function a failed stream batch may come from and the consumer it is (stream-filters.ts's names): the stream
   * router and every watcher. A failed batch's records are filtered as that consumer's filter lets them through; one of
   * the router's is kept with the router as what runs it again, which hands it to every watcher it is for.
   */
  readonly streamConsumers: ReadonlyArray<{ fn: HouseFunction; consumer: StreamConsumerName }>;
}

/**
 * Keeps every failure in the table, with what is needed to run it again (for a stream
 * batch, its records, read from the stream at once: the stream keeps them for 24 hours
 * only), for `npm run cli -- failures list` and `failures retry` (docs/operations.md).
 */
export class FailureKeeper extends Construct {
  readonly handler: HouseFunction;

  constructor(scope: Construct, id: string, props: FailureKeeperProps) {
    super(scope, id);
    const { data, tokenKey } = props;
    this.handler = new HouseFunction(this, 'Keeper', {
      entry: 'functions/watchers/failure-keeper.ts',
      description: 'SQS: keeps each failure from the failure queues in the table, to be listed and run again',
      timeout: Duration.seconds(30),
    }).useTable(data, tableAccess.failureKeeper, tokenKey);
    this.handler.addEnvironment('STREAM_CONSUMERS', props.streamConsumers.map(({ fn, consumer }) => `${fn.functionName}=${consumer}`).join(','));
    // Reading a failed batch's records back from the stream: those two actions, on this stream only.
    Grant.addToPrincipal({
      grantee: this.handler,
      actions: ['dynamodb:GetShardIterator', 'dynamodb:GetRecords'],
      resourceArns: [data.table.tableStreamArn!],
    });
    this.handler.acknowledgeNoAsyncInvocation('its SQS event source mappings');
    for (const queue of props.failureQueues) {
      // No on-failure destination: a message it cannot keep is retried, then goes to the queue's dead letters.
      const source = new SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true });
      this.handler.addEventSource(source);
      Validations.of(this.handler.node.findChild(`SqsEventSource:${Names.nodeUniqueId(queue.node)}`).node.defaultChild!).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason:
          "An SQS mapping cannot have an on-failure destination: a message the keeper cannot keep returns to its queue and, after keeperAttempts receives, goes to the queue's redrive target, the failure dead letters, which an alarm watches.",
      });
    }
  }
}
