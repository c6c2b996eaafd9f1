import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * The last stop for work that failed after its retries: encrypted, TLS only, kept the
 * maximum 14 days for a person to inspect. Nothing consumes or redrives it, so cdk-nag's
 * "needs its own dead-letter queue" findings are acknowledged with `lastStop`, which says
 * what lands in it and why nobody redrives it.
 */
export function failureQueue(scope: Construct, lastStop: string): Queue {
  const queue = new Queue(scope, 'Failures', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue.node.defaultChild!).acknowledge(
    { id: 'AwsSolutions-SQS3', reason: lastStop },
    { id: 'Serverless-SQSRedrivePolicy', reason: lastStop },
  );
  return queue;
}
