import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

const encryptedTlsOnly = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) } as const;

/** How many times the failure keeper may try a message before it goes to the dead letters. */
export const keeperAttempts = 5;

/**
 * Where work that failed after its retries lands: encrypted, TLS only. The failure keeper
 * (constructs/failure-keeper.ts) reads every such queue and keeps each failure in the table
 * for `npm run cli -- failures`; a message it cannot keep after `keeperAttempts` tries goes
 * to `deadLetters`. The visibility timeout is six times the keeper's timeout, as AWS advises
 * for a queue a Lambda reads.
 */
export function failureQueue(scope: Construct, deadLetters: IQueue): Queue {
  return new Queue(scope, 'Failures', {
    ...encryptedTlsOnly,
    visibilityTimeout: Duration.minutes(3),
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: keeperAttempts },
  });
}

/**
 * The last stop: failures the keeper could not keep. Nothing reads it; an alarm goes off
 * while it holds a message, and a person redrives it from the console once the cause is
 * fixed (docs/operations.md).
 */
export function failureDeadLetters(scope: Construct, id: string): Queue {
  const queue = new Queue(scope, id, encryptedTlsOnly);
  const lastStop =
    'The last stop: the dead-letter queue of the failure queues, holding failures the failure keeper could not keep. An alarm goes off while it holds a message, and a person redrives it to its source queue from the console once the cause is fixed (docs/operations.md); a dead-letter queue of its own would only move the same messages again.';
  Validations.of(queue.node.defaultChild!).acknowledge(
    { id: 'AwsSolutions-SQS3', reason: lastStop },
    { id: 'Serverless-SQSRedrivePolicy', reason: lastStop },
  );
  return queue;
}
