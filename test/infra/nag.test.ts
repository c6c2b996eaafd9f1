/** cdk-nag as a gate: a finding fails synth, an acknowledgement silences only its rule, a warning fails too. (The real app under the packs is checked in stack.test.ts, on its one synthesis.) */
import { Stack, Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { bareApp } from './synth.js';

describe('the nag gate itself', () => {
  function appWithPlainQueue(acknowledge: string[] = []): App {
    const app = bareApp();
    const stack = new Stack(app, 'Probe');
    const queue = new Queue(stack, 'Plain', { encryption: QueueEncryption.UNENCRYPTED });
    for (const id of acknowledge) {
      Validations.of(queue.node.defaultChild!).acknowledge({ id, reason: 'test acknowledgement' });
    }
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
    return app;
  }

  it('fails synth on a non-compliant resource (an unencrypted queue without TLS enforcement or DLQ)', () => {
    expect(() => appWithPlainQueue().synth()).toThrow(/AwsSolutions-SQS2[\s\S]*Probe\/Plain\/Resource/);
  });

  it('an acknowledgement silences only the rule it names', () => {
    const synth = () => appWithPlainQueue(['AwsSolutions-SQS2']).synth();
    expect(synth).toThrow(/AwsSolutions-SQS4/);
    expect(synth).not.toThrow(/AwsSolutions-SQS2/);
  });

  it('passes once every finding on the resource is acknowledged', () => {
    const all = ['AwsSolutions-SQS2', 'AwsSolutions-SQS3', 'AwsSolutions-SQS4', 'Serverless-SQSRedrivePolicy'];
    expect(() => appWithPlainQueue(all).synth()).not.toThrow();
  });

  it('fails synth on a warning too (cdk-nag 3 reports any unacknowledged finding as a failed validation)', () => {
    const app = bareApp();
    const stack = new Stack(app, 'Probe');
    new LogGroup(stack, 'KeptForever', { retention: RetentionDays.INFINITE });
    const pack = new ServerlessChecks(app);
    Validations.of(app).addPlugins(pack);
    expect(pack.validateScope(app).violations.map((v) => [v.severity, v.ruleName])).toEqual([
      ['warning', 'Serverless-CloudWatchLogGroupRetentionPeriod'],
    ]);
    expect(() => app.synth()).toThrow(/CloudWatchLogGroupRetentionPeriod/);
  });
});
