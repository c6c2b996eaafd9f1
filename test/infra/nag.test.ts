import { Names, Stack, Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/parkrun-nudges-app.js';
import type { ParkrunNudgesStack } from '../../infra/parkrun-nudges-stack.js';
import { appProps, bareApp } from './synth.js';

describe('the real app under cdk-nag (AwsSolutions + Serverless)', () => {
  let app: App;
  let stack: ParkrunNudgesStack;
  beforeAll(() => {
    ({ app, stack } = createApp(appProps()));
  });

  it('synthesises: the registered packs find nothing unacknowledged', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('has no finding, error or warning, left in either pack', () => {
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
      const findings = pack
        .validateScope(app)
        .violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}`));
      expect(findings).toEqual([]);
    }
  });

  it('acknowledges exactly these findings, each on its own resource and with a reason', () => {
    const acknowledged = app.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((m) => Object.entries(m.data as Record<string, string>))
          .map(([id, reason]) => ({ at: c.node.path, id: id.replace(/^annotation::/i, ''), reason })),
      );
    for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(60);
    // The one wildcard beyond X-Ray and ListStreams: the takeover and first-timer watchers' schedules, in the reminder group only.
    const reminderSchedules = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${stack.reminders.group.scheduleGroupName}/*]`;
    expect(acknowledged.map(({ at, id }) => `${id} @ ${at}`).sort()).toEqual(
      [
        `${reminderSchedules} @ ParkrunPracticeNudges/Watchers/TakeoverWatcherRole/DefaultPolicy/Resource`,
        `${reminderSchedules} @ ParkrunPracticeNudges/Watchers/FirstTimerWatcherRole/DefaultPolicy/Resource`,
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Jobs/FeedbackAsksRole/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/FirstTimerWatcherRole/DefaultPolicy/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/FirstTimerWatcherRole/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Jobs/FeedbackAsks/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Watchers/FirstTimerWatcher/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Jobs/FeedbackAsks/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Watchers/FirstTimerWatcher/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Jobs/FeedbackAsks/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Watchers/FirstTimerWatcher/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Jobs/FeedbackAsksRole/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Jobs/HeldMailRole/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Jobs/HeldMail/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Jobs/HeldMail/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Jobs/HeldMail/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Jobs/HeldMailRole/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Watchers/FirstTimerWatcherRole/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Jobs/TakeoverPromptsRole/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Reminders/ReminderRole/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/TakeoverWatcherRole/DefaultPolicy/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/TakeoverWatcherRole/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Jobs/TakeoverPrompts/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Reminders/Reminder/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Watchers/TakeoverWatcher/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Jobs/TakeoverPrompts/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Reminders/Reminder/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Watchers/TakeoverWatcher/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Jobs/TakeoverPrompts/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Reminders/Reminder/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Watchers/TakeoverWatcher/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Jobs/TakeoverPromptsRole/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Reminders/ReminderRole/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Watchers/TakeoverWatcherRole/Resource',
        'AwsSolutions-APIG2 @ ParkrunPracticeNudges/Api/RestApi/Resource',
        'AwsSolutions-APIG4 @ ParkrunPracticeNudges/Api/RestApi/Default/ANY/Resource',
        'AwsSolutions-APIG4 @ ParkrunPracticeNudges/Api/RestApi/Default/{proxy+}/ANY/Resource',
        'AwsSolutions-APIG6 @ ParkrunPracticeNudges/Api/RestApi/DeploymentStage.live/Resource',
        'AwsSolutions-COG4 @ ParkrunPracticeNudges/Api/RestApi/Default/ANY/Resource',
        'AwsSolutions-COG4 @ ParkrunPracticeNudges/Api/RestApi/Default/{proxy+}/ANY/Resource',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs] @ ParkrunPracticeNudges/Api/RestApi/CloudWatchRole/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Api/HandlerRole/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Jobs/QuietLinkSweepRole/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/MailFeedback/HandlerRole/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/FreshLinkWatcherRole/DefaultPolicy/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/HandoverWatcherRole/DefaultPolicy/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/FreshLinkWatcherRole/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/HandoverWatcherRole/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/RegistrationWatcherRole/DefaultPolicy/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/RegistrationWatcherRole/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/HeadOfficeWatcherRole/DefaultPolicy/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/HeadOfficeWatcherRole/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Api/Handler/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Jobs/QuietLinkSweep/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/MailFeedback/Handler/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Watchers/FreshLinkWatcher/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Watchers/HandoverWatcher/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Watchers/RegistrationWatcher/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Watchers/HeadOfficeWatcher/Resource',
        'AwsSolutions-SMG4 @ ParkrunPracticeNudges/Secrets/TokenKey/Resource',
        'AwsSolutions-SMG4 @ ParkrunPracticeNudges/Secrets/HeadOfficeAllowlist/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Api/Handler/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Jobs/QuietLinkSweep/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/MailFeedback/Handler/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Watchers/FreshLinkWatcher/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Watchers/HandoverWatcher/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Watchers/RegistrationWatcher/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Watchers/HeadOfficeWatcher/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Api/Handler/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Jobs/QuietLinkSweep/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/MailFeedback/Handler/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Watchers/FreshLinkWatcher/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Watchers/HandoverWatcher/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Watchers/RegistrationWatcher/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Watchers/HeadOfficeWatcher/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Api/HandlerRole/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Jobs/QuietLinkSweepRole/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/MailFeedback/HandlerRole/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Watchers/FreshLinkWatcherRole/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Watchers/HandoverWatcherRole/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Watchers/RegistrationWatcherRole/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Watchers/HeadOfficeWatcherRole/Resource',
        'Serverless-SNSRedrivePolicy @ ParkrunPracticeNudges/Alarms/Topic/ops@example.org/Resource',
        // The failure keeper: an X-Ray role like every function's, and SQS mappings, which cannot have destinations.
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/FailureKeeper/KeeperRole/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/FailureKeeper/Keeper/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/FailureKeeper/Keeper/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/FailureKeeper/Keeper/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/FailureKeeper/KeeperRole/Resource',
        ...[stack.jobs, stack.mailFeedback, stack.reminders, stack.watchers].map(
          ({ failures }) => `Serverless-LambdaEventSourceMappingDestination @ ParkrunPracticeNudges/FailureKeeper/Keeper/SqsEventSource:${Names.nodeUniqueId(failures.node)}/Resource`,
        ),
        // The failure queues' dead letters: the last stop, watched by an alarm.
        'AwsSolutions-SQS3 @ ParkrunPracticeNudges/FailureDeadLetters/Resource',
        'Serverless-SQSRedrivePolicy @ ParkrunPracticeNudges/FailureDeadLetters/Resource',
      ].sort(),
    );
    // Serverless-LambdaDLQ: the asynchronously invoked functions have an on-failure destination instead;
    // only the synchronously invoked ones may say they never receive asynchronous invocations.
    const dlqReasons = Object.fromEntries(
      acknowledged.filter(({ id }) => id === 'Serverless-LambdaDLQ').map(({ at, reason }) => [at.split('/').slice(1, 3).join('/'), reason]),
    );
    for (const fn of ['Jobs/QuietLinkSweep', 'Jobs/TakeoverPrompts', 'Jobs/FeedbackAsks', 'Jobs/HeldMail', 'Reminders/Reminder', 'MailFeedback/Handler']) {
      expect(dlqReasons[fn], fn).toMatch(/on-failure destination/);
    }
    for (const fn of ['Api/Handler', 'Watchers/RegistrationWatcher', 'Watchers/TakeoverWatcher', 'Watchers/FirstTimerWatcher', 'Watchers/HeadOfficeWatcher']) {
      expect(dlqReasons[fn], fn).toMatch(/^Invoked synchronously only/);
    }
    // The schedule wildcard is explained as what it is, not as X-Ray or ListStreams, for each planner.
    const schedules = acknowledged.filter(({ id }) => id === reminderSchedules);
    expect(schedules).toHaveLength(2);
    for (const { at, reason } of schedules) expect(reason, at).toMatch(/scheduler:CreateSchedule and scheduler:DeleteSchedule/);
    // No scheduled rotation: the token key is rotated by hand, both keys accepted meanwhile; the allow-list is not a credential.
    const rotation = Object.fromEntries(acknowledged.filter(({ id }) => id === 'AwsSolutions-SMG4').map(({ at, reason }) => [at.split('/')[2], reason]));
    expect(rotation.TokenKey).toMatch(/accept tokens hashed with either/);
    expect(rotation.HeadOfficeAllowlist).toMatch(/not a credential/);
  });
});

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
