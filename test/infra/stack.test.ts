import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMailBudget } from '../../functions/core/policies/mail-budget.js';
import { Names, Validations, type App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  headOfficeMappingSettings,
  maxFiltersPerMapping,
  patternsOf,
  routedWatcherNames,
  streamMappingSettings,
  streamReaders,
  streamRouter,
  streamWatchers,
  type StreamReaderName,
  type WatcherName,
} from '../../functions/adapters/dynamo/stream-filters.js';
import { createTableInput, tableDefinition } from '../../functions/adapters/dynamo/table-definition.js';
import { EventBridgeReminders } from '../../functions/adapters/eventbridge-reminders.js';
import { parseAllowlist } from '../../functions/adapters/head-office-allowlist.js';
import { loadApiConfig, loadFailureKeeperConfig, loadHeadOfficeConfig, loadReminderConfig, loadStreamRouterConfig, loadTableConfig, loadWatcherConfig } from '../../functions/config.js';
import { noticeName } from '../../functions/core/policies/newcomer-notice.js';
import type { ReminderRequest } from '../../functions/core/ports.js';
import { feedbackSchedule, heldMailSchedule, quietLinkSweepSchedule, takeoverPromptSchedule } from '../../functions/jobs/schedules.js';
import { feedbackDetailTypes } from '../../infra/constructs/mail.js';
import { alarmThresholds } from '../../infra/constructs/alarms.js';
import { keeperAttempts } from '../../infra/constructs/failure-queue.js';
import { allowlistPlaceholder } from '../../infra/constructs/secrets.js';
import { createApp } from '../../infra/parkrun-nudges-app.js';
import type { ParkrunNudgesStack } from '../../infra/parkrun-nudges-stack.js';
import { firewallRate, stageName, throttle } from '../../infra/constructs/api.js';
import { readActions, tableAccess, writeActions, type FunctionName } from '../../infra/table-access.js';
import { appProps, list, logicalId, only, render, skipBundling } from './synth.js';

type Json = any;
type Statement = { Effect: string; Action: string | string[]; Resource: Json; Condition?: Json };

/** The stage's own address, as the template builds it. */
const apiUrl = () => `https://\${${ids.restApi}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/\${${ids.stage}}`;

let stack: ParkrunNudgesStack;
let template: Template;
let resources: Record<string, { Type: string; Properties: Json; DeletionPolicy?: string }>;
let ids: {
  table: string;
  secret: string;
  allowlist: string;
  api: string;
  registration: string;
  handover: string;
  freshLink: string;
  queue: string;
  configSet: string;
  restApi: string;
  stage: string;
  firewall: string;
  sweep: string;
  jobFailures: string;
  schedulerRole: string;
  schedule: string;
  prompts: string;
  promptsSchedulerRole: string;
  promptsSchedule: string;
  feedbackAsks: string;
  feedbackAsksSchedulerRole: string;
  feedbackAsksSchedule: string;
  heldMail: string;
  heldMailSchedulerRole: string;
  heldMailSchedule: string;
  takeover: string;
  firstTimer: string;
  headOffice: string;
  router: string;
  reminder: string;
  reminderRole: string;
  reminderFailures: string;
  reminderGroup: string;
  feedback: string;
  feedbackFailures: string;
  feedbackRule: string;
  keeper: string;
  deadLetters: string;
};
/** Logical IDs of the stream watchers, set with `ids`. */
let watchers: string[];
/** Logical IDs of the watchers the stream router feeds: they read no stream themselves. */
let routed: string[];
/** Logical IDs of the table stream's readers (a mapping each): the stream router and the head-office watcher. */
let readers: string[];
/** Logical IDs of the watchers that only keep the table up to date and send nothing: the head-office watcher. */
let quietWatchers: string[];
/** Logical IDs of the watchers that plan one-time reminders (useReminders): the takeover and first-timer watchers. */
let planners: string[];
/** Logical IDs of every function that sends email: the watchers but the quiet ones, the feedback handler and the jobs (sweep, prompts, feedback asks, held mail, reminder). */
let mailSenders: string[];
/** Logical IDs of every function in the stack: the API, the quiet watchers, the mail senders, the failure keeper and the stream router. */
let allFunctions: string[];
/**
 * Each function's logical ID by its name in infra/table-access.ts: every function but the stream router, which has no
 * table access, and the reply receiver, which this stack (no replyDomain in cdk.json) does not have: replies.test.ts holds it.
 */
let functionIds: Record<Exclude<FunctionName, 'replyReceiver'>, string>;
/** table-access.ts's entries for the functions this stack has. */
const accessHere = () =>
  (Object.entries(tableAccess) as Array<[FunctionName, (typeof tableAccess)[FunctionName]]>).filter(
    (entry): entry is [Exclude<FunctionName, 'replyReceiver'>, (typeof tableAccess)[FunctionName]] => entry[0] !== 'replyReceiver',
  );
/** Each function invoked asynchronously, and the queue that keeps its failed invocations. */
let asyncFunctions: { fn: string; failures: string }[];


beforeAll(() => {
  // The real app, cdk-nag included: Template.fromStack synthesises, so a nag finding fails here too.
  ({ stack } = createApp(appProps()));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
  ids = {
    table: logicalId(stack.data.table),
    secret: logicalId(stack.secrets.tokenKey),
    allowlist: logicalId(stack.secrets.headOfficeAllowlist),
    api: logicalId(stack.api.handler),
    registration: logicalId(stack.watchers.registration),
    handover: logicalId(stack.watchers.handover),
    freshLink: logicalId(stack.watchers.freshLink),
    queue: logicalId(stack.watchers.failures),
    configSet: logicalId(stack.mail.configurationSet),
    restApi: logicalId(stack.api.restApi),
    stage: logicalId(stack.api.stage),
    firewall: logicalId(stack.api.firewall),
    sweep: logicalId(stack.jobs.quietLinkSweep),
    jobFailures: logicalId(stack.jobs.failures),
    schedulerRole: logicalId(stack.jobs.schedulerRole),
    schedule: logicalId(stack.jobs.quietLinkSweepSchedule),
    prompts: logicalId(stack.jobs.takeoverPrompts),
    promptsSchedulerRole: logicalId(stack.jobs.takeoverPromptsSchedulerRole),
    promptsSchedule: logicalId(stack.jobs.takeoverPromptsSchedule),
    feedbackAsks: logicalId(stack.jobs.feedbackAsks),
    feedbackAsksSchedulerRole: logicalId(stack.jobs.feedbackAsksSchedulerRole),
    feedbackAsksSchedule: logicalId(stack.jobs.feedbackAsksSchedule),
    heldMail: logicalId(stack.jobs.heldMail),
    heldMailSchedulerRole: logicalId(stack.jobs.heldMailSchedulerRole),
    heldMailSchedule: logicalId(stack.jobs.heldMailSchedule),
    takeover: logicalId(stack.watchers.takeover),
    firstTimer: logicalId(stack.watchers.firstTimer),
    headOffice: logicalId(stack.watchers.headOffice),
    router: logicalId(stack.watchers.router),
    reminder: logicalId(stack.reminders.handler),
    reminderRole: logicalId(stack.reminders.schedulerRole),
    reminderFailures: logicalId(stack.reminders.failures),
    reminderGroup: logicalId(stack.reminders.group),
    feedback: logicalId(stack.mailFeedback.handler),
    feedbackFailures: logicalId(stack.mailFeedback.failures),
    feedbackRule: logicalId(stack.mailFeedback.rule),
    keeper: logicalId(stack.failureKeeper.handler),
    deadLetters: logicalId(stack.failureDeadLetters),
  };
  watchers = [ids.registration, ids.handover, ids.freshLink, ids.takeover, ids.firstTimer, ids.headOffice];
  routed = [ids.registration, ids.handover, ids.freshLink, ids.takeover, ids.firstTimer];
  readers = [ids.router, ids.headOffice];
  quietWatchers = [ids.headOffice];
  planners = [ids.takeover, ids.firstTimer];
  mailSenders = [...watchers.filter((id) => !quietWatchers.includes(id)), ids.feedback, ids.sweep, ids.prompts, ids.feedbackAsks, ids.heldMail, ids.reminder];
  allFunctions = [ids.api, ...quietWatchers, ...mailSenders, ids.keeper, ids.router];
  functionIds = {
    api: ids.api,
    registrationWatcher: ids.registration,
    handoverWatcher: ids.handover,
    freshLinkWatcher: ids.freshLink,
    takeoverWatcher: ids.takeover,
    firstTimerWatcher: ids.firstTimer,
    headOfficeWatcher: ids.headOffice,
    quietLinkSweep: ids.sweep,
    takeoverPrompts: ids.prompts,
    feedbackAsks: ids.feedbackAsks,
    heldMail: ids.heldMail,
    reminder: ids.reminder,
    mailFeedback: ids.feedback,
    failureKeeper: ids.keeper,
  };
  asyncFunctions = [
    { fn: ids.sweep, failures: ids.jobFailures },
    { fn: ids.prompts, failures: ids.jobFailures },
    { fn: ids.feedbackAsks, failures: ids.jobFailures },
    { fn: ids.heldMail, failures: ids.jobFailures },
    { fn: ids.reminder, failures: ids.reminderFailures },
    { fn: ids.feedback, failures: ids.feedbackFailures },
  ];
});

function statementsOfFunction(functionId: string): Statement[] {
  return statementsOfRole(resources[functionId]!.Properties.Role['Fn::GetAtt'][0]);
}

function statementsOfRole(roleId: string): Statement[] {
  const inline = (resources[roleId]!.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement);
  const attached = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
  const managed = resources[roleId]!.Properties.ManagedPolicyArns ?? [];
  expect(managed, 'no managed policies on roles').toEqual([]);
  return [...inline, ...attached];
}

describe('data', () => {
  it('is the table from tableDefinition: on demand, PITR, deletion protection, stream, TTL, retained', () => {
    const { partitionKey, sortKey, gsi1, due, byStatus, timeToLiveAttribute, streamViewType } = tableDefinition;
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        StreamSpecification: { StreamViewType: streamViewType },
        TimeToLiveSpecification: { AttributeName: timeToLiveAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true },
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: gsi1.indexName,
            KeySchema: [
              { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: due.indexName,
            KeySchema: [
              { AttributeName: due.partitionKey, KeyType: 'HASH' },
              { AttributeName: due.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: byStatus.indexName,
            KeySchema: [
              { AttributeName: byStatus.partitionKey, KeyType: 'HASH' },
              { AttributeName: byStatus.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
    });
  });

  it('has the keys, indexes and attribute types of the table the local runtime and integration tests create', () => {
    const local = createTableInput('any');
    const deployed = resources[ids.table]!.Properties;
    expect(deployed.KeySchema).toEqual(local.KeySchema);
    expect(deployed.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }) => a.AttributeName!.localeCompare(b.AttributeName!);
    expect([...deployed.AttributeDefinitions].sort(byName)).toEqual([...local.AttributeDefinitions!].sort(byName));
    expect(deployed.GlobalSecondaryIndexes.map((i: Json) => i.IndexName)).toEqual(['gsi1', 'due', 'byStatus']);
  });
});

describe('functions', () => {
  it('are all Node.js 22 on arm64 with active tracing, explicit memory, timeout and a retained-for-a-while log group', () => {
    const functions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(functions.map(([id]) => id).sort()).toEqual([...allFunctions].sort());
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON' },
      });
      expect(fn.Properties.MemorySize).toBeGreaterThanOrEqual(256);
      expect(fn.Properties.Timeout).toBeGreaterThan(3);
      const logGroup = resources[fn.Properties.LoggingConfig.LogGroup.Ref]!;
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('are bundled with credentials from the environment only (no profile, SSO or STS client code) and source maps without the sources’ text', () => {
    const outdir = (stack.node.root as App).outdir;
    for (const id of allFunctions) {
      const key = String(resources[id]!.Properties.Code.S3Key);
      const dir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
      expect(existsSync(join(dir, 'index.mjs')), id).toBe(true);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      // The default chain's links, by the messages and service names only their code carries.
      expect(code, id).not.toContain('defaultProvider::fromSSO');
      expect(code, id).not.toContain('AWSSSOOIDCService');
      expect(code, id).not.toContain('AWSSecurityTokenServiceV20110615');
      // The environment's link is there: the keys are read from where Lambda puts them.
      expect(code, id).toContain('AWS_SECRET_ACCESS_KEY');
      const map = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')) as { sources: string[]; sourcesContent?: unknown[] };
      expect(map.sources.length, id).toBeGreaterThan(10);
      expect(map.sourcesContent ?? [], id).toEqual([]);
    }
  });

  it('time out within 30 seconds, except the recurring jobs (sweep, takeover prompts, feedback asks, held mail), which may send at 10 emails a second for up to 10 minutes, and the stream router, which waits for the watchers', () => {
    for (const id of [ids.api, ...watchers, ids.feedback, ids.reminder]) expect(resources[id]!.Properties.Timeout, id).toBeLessThanOrEqual(30);
    expect(resources[ids.router]!.Properties.Timeout).toBe(60);
    for (const id of [ids.sweep, ids.prompts, ids.feedbackAsks, ids.heldMail]) expect(resources[id]!.Properties, id).toMatchObject({ Timeout: 600, MemorySize: 512 });
  });

  it('each get exactly the environment functions/config.ts reads, pointing at the right resources', () => {
    const envOf = (id: string): Record<string, Json> => resources[id]!.Properties.Environment.Variables;
    const api = envOf(ids.api);
    expect(Object.keys(api).sort()).toEqual(['HEAD_OFFICE_ALLOWLIST_ARN', 'NODE_OPTIONS', 'TABLE_NAME', 'TOKEN_SECRET_ARN']);
    expect(api.TABLE_NAME).toEqual({ Ref: ids.table });
    expect(api.TOKEN_SECRET_ARN).toEqual({ Ref: ids.secret }); // Ref of a secret is its ARN
    expect(api.HEAD_OFFICE_ALLOWLIST_ARN).toEqual({ Ref: ids.allowlist });

    // What the functions would see once deployed, checked by the functions' own config loader.
    const deployed = {
      TABLE_NAME: 'ParkrunPracticeNudges-DataTable-1A2B3C',
      TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:SecretsTokenKey-AbCdEf',
      HEAD_OFFICE_ALLOWLIST_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:SecretsHeadOfficeAllowlist-GhIjKl',
      SES_CONFIGURATION_SET: 'MailConfigurationSet-4D5E6F',
      PUBLIC_BASE_URL: 'https://a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com',
      REMINDER_TARGET_ARN: 'arn:aws:lambda:eu-west-2:123456789012:function:ParkrunPracticeNudges-RemindersReminder-AbC123',
      REMINDER_ROLE_ARN: 'arn:aws:iam::123456789012:role/ParkrunPracticeNudges-RemindersSchedulerRole-AbC123',
      REMINDER_DLQ_ARN: 'arn:aws:sqs:eu-west-2:123456789012:ParkrunPracticeNudges-RemindersFailures-AbC123',
    };
    const asDeployed = (env: Record<string, Json>) =>
      Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v : deployed[k as keyof typeof deployed]]));
    const reminderKeys = ['REMINDER_DLQ_ARN', 'REMINDER_GROUP', 'REMINDER_ROLE_ARN', 'REMINDER_TARGET_ARN'];
    expect(loadApiConfig(asDeployed(api)).tokenSecret).toEqual({ secretArn: deployed.TOKEN_SECRET_ARN });
    expect(loadHeadOfficeConfig(asDeployed(api))).toEqual({ allowlist: { secretArn: deployed.HEAD_OFFICE_ALLOWLIST_ARN } });

    // The quiet watchers (head office) load their settings with loadTableConfig: the table only, no key, no mail, no reminders.
    for (const id of quietWatchers) {
      const watcher = envOf(id);
      expect(Object.keys(watcher).sort(), id).toEqual(['NODE_OPTIONS', 'TABLE_NAME']);
      expect(watcher.TABLE_NAME).toEqual({ Ref: ids.table });
      expect(loadTableConfig(asDeployed(watcher))).toMatchObject({ tableName: deployed.TABLE_NAME });
    }

    // Every mail sender (watchers, mail feedback, the jobs) loads its settings with loadWatcherConfig;
    // the takeover and first-timer watchers, which plan reminders, loadReminderConfig as well (see 'reminders' below).
    for (const id of mailSenders) {
      const watcher = envOf(id);
      expect(Object.keys(watcher).sort(), id).toEqual(
        [
          ...(id === ids.freshLink ? ['HEAD_OFFICE_ALLOWLIST_ARN'] : []),
          'MAIL_FROM',
          'MAIL_REPLY_TO',
          'NODE_OPTIONS',
          'PUBLIC_BASE_URL',
          'SES_CONFIGURATION_SET',
          'TABLE_NAME',
          'TOKEN_SECRET_ARN',
          ...(planners.includes(id) ? reminderKeys : []),
        ].sort(),
      );
      expect(watcher.TABLE_NAME).toEqual({ Ref: ids.table });
      expect(watcher.TOKEN_SECRET_ARN).toEqual({ Ref: ids.secret });
      expect(watcher.SES_CONFIGURATION_SET).toEqual({ Ref: ids.configSet });
      // No publicBaseUrl in cdk.json: links point at the HTTP API itself.
      expect(render(watcher.PUBLIC_BASE_URL)).toBe(apiUrl());
      const config = loadWatcherConfig(asDeployed(watcher));
      expect(config.tokenSecret).toEqual({ secretArn: deployed.TOKEN_SECRET_ARN });
      expect(config.mail).toEqual({
        publicBaseUrl: deployed.PUBLIC_BASE_URL,
        from: 'parkrun practice nudges <nudges@example.org>',
        replyTo: 'head.office@example.org',
        configurationSet: deployed.SES_CONFIGURATION_SET,
        // Not set by the stack: the default, which keeps every function under SES's per-account rate.
        sendRatePerSecond: 10,
        // Not set by the stack either: the default budget of unasked email (policies/mail-budget.ts).
        budget: defaultMailBudget,
      });
      expect(config.tableName).toBe(deployed.TABLE_NAME);
    }

    // The planners are told where reminders go: the one reminder function, role, queue and group.
    for (const id of planners) {
      const planner = envOf(id);
      expect(planner.REMINDER_TARGET_ARN, id).toEqual({ 'Fn::GetAtt': [ids.reminder, 'Arn'] });
      expect(planner.REMINDER_ROLE_ARN, id).toEqual({ 'Fn::GetAtt': [ids.reminderRole, 'Arn'] });
      expect(planner.REMINDER_DLQ_ARN, id).toEqual({ 'Fn::GetAtt': [ids.reminderFailures, 'Arn'] });
      expect(planner.REMINDER_GROUP, id).toBe(resources[ids.reminderGroup]!.Properties.Name);
      expect(loadReminderConfig(asDeployed(planner)), id).toEqual({
        targetArn: deployed.REMINDER_TARGET_ARN,
        roleArn: deployed.REMINDER_ROLE_ARN,
        deadLetterArn: deployed.REMINDER_DLQ_ARN,
        groupName: planner.REMINDER_GROUP,
      });
    }
  });
});

describe('stream readers and watchers', () => {
  const onStream = (m: Json) => JSON.stringify(m.Properties.EventSourceArn ?? m.Properties.Source).includes('StreamArn');
  const streamMappings = () => (Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as Json[]).filter(onStream);
  const mappingOf = (id: string): Json =>
    only(template.findResources('AWS::Lambda::EventSourceMapping', { Properties: { FunctionName: { Ref: id } } }));
  const readerIds = (): Record<StreamReaderName, string> => ({ 'stream-router': ids.router, 'head-office-watcher': ids.headOffice });
  const watcherIds = (): Record<WatcherName, string> => ({
    'registration-watcher': ids.registration,
    'handover-watcher': ids.handover,
    'fresh-link-watcher': ids.freshLink,
    'takeover-watcher': ids.takeover,
    'first-timer-watcher': ids.firstTimer,
    'head-office-watcher': ids.headOffice,
  });

  it('are at most two readers of the table stream (DynamoDB advises no more per shard): the stream router and the head-office watcher', () => {
    // Everything that can read a DynamoDB stream in a template: Lambda event source mappings and EventBridge Pipes.
    const pipes = (Object.values(template.findResources('AWS::Pipes::Pipe')) as Json[]).filter(onStream);
    const onTableStream = [...streamMappings(), ...pipes].filter((r) => JSON.stringify(r.Properties.EventSourceArn ?? r.Properties.Source) === JSON.stringify({ 'Fn::GetAtt': [ids.table, 'StreamArn'] }));
    expect(onTableStream).toEqual([...streamMappings(), ...pipes]);
    expect(onTableStream.length).toBeLessThanOrEqual(2);
    expect(streamMappings().map((m) => m.Properties.FunctionName.Ref).sort()).toEqual([...readers].sort());
    expect(pipes).toEqual([]);
    expect(streamReaders.map((r) => readerIds()[r.name]).sort()).toEqual([...readers].sort());
  });

  it('each watcher in the registry is a function of its own, under the construct ID it always had (so no deployed function or role is replaced)', () => {
    const constructIds: Record<WatcherName, string> = {
      'registration-watcher': 'RegistrationWatcher',
      'handover-watcher': 'HandoverWatcher',
      'fresh-link-watcher': 'FreshLinkWatcher',
      'takeover-watcher': 'TakeoverWatcher',
      'first-timer-watcher': 'FirstTimerWatcher',
      'head-office-watcher': 'HeadOfficeWatcher',
    };
    expect(Object.keys(stack.watchers.byName).sort()).toEqual(Object.keys(streamWatchers).sort());
    for (const [name, id] of Object.entries(watcherIds()) as Array<[WatcherName, string]>) {
      expect(stack.watchers.byName[name].node.id, name).toBe(constructIds[name]);
      expect(logicalId(stack.watchers.byName[name]), name).toBe(id);
      expect(routed.includes(id), name).toBe(streamWatchers[name].feed === 'stream-router');
    }
    expect(routedWatcherNames.map((name) => watcherIds()[name]).sort()).toEqual([...routed].sort());
  });

  it.each(streamReaders.map((r) => [r.name, r] as const))(
    'the %s reads the stream through its filter (within Lambda\'s filters a mapping), bisecting, bounded, partial-batch, with the shared on-failure queue',
    (name, reader) => {
      const mapping = mappingOf(readerIds()[name]);
      expect(patternsOf(reader.filter).length).toBeLessThanOrEqual(maxFiltersPerMapping);
      expect(mapping.Properties).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [ids.table, 'StreamArn'] },
        FilterCriteria: { Filters: patternsOf(reader.filter).map((pattern) => ({ Pattern: JSON.stringify(pattern) })) },
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        StartingPosition: 'TRIM_HORIZON',
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.queue, 'Arn'] } } },
      });
      expect(mapping.Properties.MaximumRetryAttempts).toBeGreaterThanOrEqual(1);
      expect(mapping.Properties.MaximumRetryAttempts).toBeLessThanOrEqual(10);
      expect(mapping.Properties.MaximumRecordAgeInSeconds).toBeGreaterThan(0);
      expect(mapping.Properties.MaximumRecordAgeInSeconds).toBeLessThanOrEqual(24 * 3600);
      expect(mapping.Properties.BatchSize).toBeLessThanOrEqual(100);
    },
  );

  it('share every mapping setting but the function, the filter and how they batch', () => {
    const settings = (id: string) => {
      const { FunctionName, FilterCriteria, BatchSize, ParallelizationFactor, MaximumBatchingWindowInSeconds, ...rest } = mappingOf(id).Properties;
      return rest;
    };
    for (const id of readers) expect(settings(id), id).toEqual(settings(ids.router));
  });

  it('batch as stream-filters.ts says: the head-office watcher in large batches, one at a time; the router small and four at once', () => {
    const batching = (id: string) => {
      const { BatchSize, ParallelizationFactor, MaximumBatchingWindowInSeconds } = mappingOf(id).Properties;
      return { batchSize: BatchSize, parallelizationFactor: ParallelizationFactor, maxBatchingWindowSeconds: MaximumBatchingWindowInSeconds ?? 0 };
    };
    expect(batching(ids.headOffice)).toEqual(headOfficeMappingSettings);
    expect(batching(ids.router)).toEqual(streamMappingSettings);
    for (const reader of streamReaders) expect(batching(readerIds()[reader.name]), reader.name).toEqual(reader.mapping);
  });

  it("the watchers the router feeds have no mapping of their own: the router's filter is theirs, ORed (test/unit/stream-router.test.ts holds it to exactly what they take)", () => {
    expect(streamMappings().filter((m) => routed.includes(m.Properties.FunctionName.Ref))).toEqual([]);
    expect(mappingOf(ids.router).Properties.FilterCriteria.Filters.map((f: Json) => JSON.parse(f.Pattern))).toEqual(patternsOf(streamRouter.filter));
  });

  it('the router is told the function of each watcher it feeds, and nothing else: no table, no key, no mail', () => {
    const env = resources[ids.router]!.Properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual(['NODE_OPTIONS', 'STREAM_ROUTES']);
    const pairs = render(env.STREAM_ROUTES).split(',');
    expect(pairs).toEqual(routedWatcherNames.map((name) => `${name}=\${${watcherIds()[name]}}`));
    const deployed = pairs.map((p) => p.replace(/\$\{(\w+)\}/, '$1')).join(',');
    expect(loadStreamRouterConfig({ STREAM_ROUTES: deployed }).routes).toEqual(Object.fromEntries(routedWatcherNames.map((name) => [name, watcherIds()[name]])));
  });

  it('the router waits longer than the watchers it invokes may take', () => {
    const longest = Math.max(...routed.map((id) => resources[id]!.Properties.Timeout));
    expect(resources[ids.router]!.Properties.Timeout).toBeGreaterThan(longest);
    expect(resources[ids.router]!.Properties.Timeout).toBeLessThanOrEqual(90);
  });

  it('parks failures in an encrypted, TLS-only queue that keeps them for two weeks', () => {
    expect(resources[ids.queue]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('API (REST API behind a WAF web ACL)', () => {
  it('sends every method on every path, the root included, to the hono function as a Lambda proxy', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    expect(methods).toHaveLength(2);
    for (const method of methods) {
      expect(method.Properties).toMatchObject({ HttpMethod: 'ANY', AuthorizationType: 'NONE', RestApiId: { Ref: ids.restApi } });
      expect(method.Properties.Integration.Type).toBe('AWS_PROXY');
      expect(render(method.Properties.Integration.Uri)).toContain(`\${${ids.api}.Arn}`);
    }
    const proxy = only(template.findResources('AWS::ApiGateway::Resource'));
    expect(proxy.Properties.PathPart).toBe('{proxy+}');
  });

  it(`has one regional stage, "${stageName}", with throttling, tracing and JSON access logs that never hold a path`, () => {
    const api = only(template.findResources('AWS::ApiGateway::RestApi'));
    expect(api.Properties.EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
    const stage = only(template.findResources('AWS::ApiGateway::Stage'));
    expect(stage.Properties).toMatchObject({ StageName: stageName, RestApiId: { Ref: ids.restApi }, TracingEnabled: true });
    const [settings] = stage.Properties.MethodSettings;
    expect(settings).toMatchObject({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit, LoggingLevel: 'OFF' });
    expect(settings.DataTraceEnabled).toBe(false);
    const logs = stage.Properties.AccessLogSetting;
    expect(render(logs.DestinationArn)).toContain(`:log-group:\${${logicalId(stack.api.accessLogs)}}`);
    const format = JSON.parse(logs.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', sourceIp: '$context.identity.sourceIp', wafResponseCode: '$context.wafResponseCode' });
    expect(Object.values(format).filter((v) => /\$context\.(path|requestOverride|domainPrefix)|\$input|querystring/i.test(String(v)))).toEqual([]);
  });

  it('is behind a regional WAF web ACL whose rate rule refuses one address sending far more than a person would', () => {
    const acl = only(template.findResources('AWS::WAFv2::WebACL'));
    expect(acl.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    expect(acl.Properties.Rules).toEqual([
      expect.objectContaining({
        Name: 'per-address-rate',
        Action: { Block: {} },
        Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: firewallRate.requests, EvaluationWindowSec: firewallRate.windowSeconds } },
      }),
    ]);
    const association = only(template.findResources('AWS::WAFv2::WebACLAssociation'));
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [ids.firewall, 'Arn'] });
    expect(render(association.Properties.ResourceArn)).toContain(`/restapis/\${${ids.restApi}}/stages/\${${ids.stage}}`);
  });
});

describe('IAM', () => {
  const xray = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

  it('allows `*` only for X-Ray and, for the stream readers, dynamodb:ListStreams', () => {
    const wildcardActions = (id: string) =>
      statementsOfFunction(id)
        .filter((s) => list(s.Resource).some((r) => r === '*' || render(r).endsWith('/*') || render(r).endsWith(':*')))
        .flatMap((s) => list(s.Action))
        .sort();
    for (const id of [ids.api, ids.feedback, ids.sweep, ids.prompts, ids.feedbackAsks, ids.heldMail, ids.reminder]) expect(wildcardActions(id), id).toEqual(xray);
    for (const id of readers) expect(wildcardActions(id), id).toEqual(['dynamodb:ListStreams', ...xray]);
    // The watchers the router feeds read no stream: no ListStreams either.
    for (const id of routed.filter((r) => !planners.includes(r))) expect(wildcardActions(id), id).toEqual(xray);
    // And the planners' schedules: only in the reminder group, pinned in 'reminders' below.
    for (const id of planners) {
      expect(wildcardActions(id), id).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', ...xray].sort());
    }
  });

  it('grants each function the item actions infra/table-access.ts declares (no Scan): Query alone on the declared indexes, DeleteItem and BatchWriteItem only under their key prefixes', () => {
    const table = `\${${ids.table}.Arn}`;
    const indexArns = [tableDefinition.gsi1, tableDefinition.due, tableDefinition.byStatus].map((index) => `${table}/index/${index.indexName}`).sort();
    const dynamodb = (actions: readonly string[]) => actions.map((a) => `dynamodb:${a}`).sort();
    const leadingKeys = (prefixes: readonly string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((p) => `${p}*`) } });
    for (const [name, access] of accessHere()) {
      const id = functionIds[name];
      const item = statementsOfFunction(id)
        .filter((s) => list(s.Action).some((a) => a.startsWith('dynamodb:') && a !== 'dynamodb:ListStreams' && !/Stream|ShardIterator|GetRecords/.test(a)))
        .map((s) => ({ actions: list(s.Action).sort(), resources: list(s.Resource).map(render).sort(), condition: s.Condition }));
      const expected = [
        { actions: dynamodb([...readActions, ...(access.writes ? writeActions : [])]), resources: [table], condition: undefined },
        { actions: dynamodb(['Query']), resources: indexArns, condition: undefined },
        ...(access.deletesUnder.length ? [{ actions: dynamodb(['DeleteItem']), resources: [table], condition: leadingKeys(access.deletesUnder) }] : []),
        ...(access.batchWritesUnder.length ? [{ actions: dynamodb(['BatchWriteItem']), resources: [table], condition: leadingKeys(access.batchWritesUnder) }] : []),
      ];
      expect(item, name).toEqual(expected);
    }
    // What the issue found: DeleteItem and BatchWriteItem anywhere in the table, for every function.
    const anywhere = allFunctions.flatMap((id) => statementsOfFunction(id).filter((s) => list(s.Action).some((a) => a === 'dynamodb:DeleteItem' || a === 'dynamodb:BatchWriteItem') && !s.Condition));
    expect(anywhere).toEqual([]);
    expect(Object.values(functionIds).sort()).toEqual(allFunctions.filter((id) => id !== ids.router).sort());
    // The stream router reads the stream and nothing in the table.
    expect(statementsOfFunction(ids.router).filter((s) => list(s.Action).some((a) => a.startsWith('dynamodb:') && a !== 'dynamodb:ListStreams' && !/Stream|ShardIterator|GetRecords/.test(a)))).toEqual([]);
  });

  it('lets no function invoke another, nor act on EventBridge, Scheduler or IAM, except the takeover and first-timer watchers planning reminders and the stream router invoking the watchers it feeds', () => {
    const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
    expect(functions.sort()).toEqual([...allFunctions].sort());
    const controlPlane = (id: string) => statementsOfFunction(id).filter((s) => list(s.Action).some((a) => /^(lambda|events|scheduler|iam|sts):/.test(a)));
    for (const id of functions.filter((f) => !planners.includes(f) && f !== ids.router)) expect(controlPlane(id), id).toEqual([]);
    // Their two statements each are pinned in 'reminders' below.
    for (const id of planners) expect(controlPlane(id), id).toHaveLength(2);
    // The router: InvokeFunction alone, on exactly the routed watchers' functions, unqualified (no version, alias or `*`).
    const [invoke, ...more] = controlPlane(ids.router);
    expect(more).toEqual([]);
    expect({ ...invoke, Resource: list(invoke!.Resource).map(render).sort() }).toEqual({
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: routed.map((id) => `\${${id}.Arn}`).sort(),
    });
  });

  it('gives the API function no way to send email: it only records fresh-link requests, and a watcher mails them', () => {
    const actions = statementsOfFunction(ids.api).flatMap((s) => list(s.Action));
    expect(actions.filter((a) => a === '*' || /^ses(v2)?:/i.test(a))).toEqual([]);
    // Nor is it told anything only a mail sender needs: loadApiConfig reads TABLE_NAME and TOKEN_SECRET_ARN.
    const env = Object.keys(resources[ids.api]!.Properties.Environment.Variables);
    expect(env.filter((k) => /^(MAIL_|SES_)|^PUBLIC_BASE_URL$/.test(k))).toEqual([]);
  });

  it('gives the head-office watcher no way to send email or plan reminders: it only writes to the table', () => {
    for (const id of quietWatchers) {
      const actions = statementsOfFunction(id).flatMap((s) => list(s.Action));
      expect(actions.filter((a) => a === '*' || /^(ses(v2)?|scheduler|iam|lambda|events):/i.test(a)), id).toEqual([]);
      const env = Object.keys(resources[id]!.Properties.Environment.Variables);
      expect(env.filter((k) => /^(MAIL_|SES_|REMINDER_)|^PUBLIC_BASE_URL$/.test(k)), id).toEqual([]);
    }
  });

  it('lets only the mail senders send email, as the configured identity through the configuration set', () => {
    const ses = (id: string) => statementsOfFunction(id).filter((s) => list(s.Action).some((a) => a.startsWith('ses:')));
    for (const id of allFunctions.filter((f) => !mailSenders.includes(f))) expect(ses(id), id).toEqual([]);
    for (const id of mailSenders) {
      const [send, ...others] = ses(id);
      expect(others).toEqual([]);
      expect(send!.Action).toEqual('ses:SendEmail');
      expect(list(send!.Resource).map(render).sort()).toEqual([
        `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:configuration-set/\${${ids.configSet}}`,
        'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/example.org',
      ]);
    }
  });

  it("lets only the stream's two readers read it, and each function write only to its own failure queue", () => {
    const streamAndQueue = (id: string) =>
      statementsOfFunction(id)
        .filter((s) => list(s.Action).some((a) => a.startsWith('sqs:') || /^dynamodb:(\w*Stream\w*|GetShardIterator|GetRecords)$/.test(a)))
        .map((s) => ({ actions: list(s.Action).sort(), resources: list(s.Resource).map(render) }));
    expect(streamAndQueue(ids.api)).toEqual([]);
    // The watchers the router feeds: no stream, and no failure queue (the router's mapping parks their failures).
    for (const id of routed) expect(streamAndQueue(id), id).toEqual([]);
    for (const id of readers) {
      expect(streamAndQueue(id), id).toEqual(
        expect.arrayContaining([
          { actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], resources: [`\${${ids.table}.StreamArn}`] },
          { actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], resources: [`\${${ids.queue}.Arn}`] },
        ]),
      );
      // The third and last: ListStreams on `*`, pinned by the wildcard test above.
      expect(streamAndQueue(id), id).toHaveLength(3);
    }
    // The asynchronously invoked functions: no stream, and only their own failure queue.
    for (const { fn, failures } of asyncFunctions) {
      expect(streamAndQueue(fn), fn).toEqual([
        { actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], resources: [`\${${failures}.Arn}`] },
      ]);
    }
  });

  const secretsStatements = (id: string) =>
    statementsOfFunction(id)
      .filter((s) => list(s.Action).some((a) => a.startsWith('secretsmanager:')))
      .map((s) => ({ effect: s.Effect, actions: list(s.Action).sort(), resources: list(s.Resource), condition: s.Condition }));
  const readTokenKey = () => ({
    effect: 'Allow',
    actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
    resources: [{ Ref: ids.secret }],
    condition: undefined,
  });

  it('lets the mail senders read the token key and nothing else in Secrets Manager; the head-office watcher reads no secret at all', () => {
    for (const [name, access] of accessHere()) {
      const id = functionIds[name];
      if (id === ids.api || id === ids.freshLink) continue;
      expect(secretsStatements(id), name).toEqual(access.tokenKey ? [readTokenKey()] : []);
    }
    expect(secretsStatements(ids.headOffice)).toEqual([]);
  });

  it('lets the API and the fresh-link watcher (which mails sign-in links only to listed addresses) read the token key and the head-office allow-list (its value only), and nothing else in Secrets Manager', () => {
    for (const id of [ids.api, ids.freshLink]) {
      expect(secretsStatements(id), id).toEqual([
        readTokenKey(),
        { effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: [{ Ref: ids.allowlist }], condition: undefined },
      ]);
    }
  });
});

describe('asynchronously invoked functions (the jobs, the reminder, mail feedback)', () => {
  it('retry a bounded number of times within a bounded age, then park the invocation in their own failure queue', () => {
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
    expect(configs.map((c) => c.Properties.FunctionName.Ref).sort()).toEqual(asyncFunctions.map((a) => a.fn).sort());
    for (const { fn, failures } of asyncFunctions) {
      const config = configs.find((c) => c.Properties.FunctionName.Ref === fn)!.Properties;
      expect(config, fn).toMatchObject({
        Qualifier: '$LATEST',
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failures, 'Arn'] } } },
      });
      expect(config.MaximumRetryAttempts).toBeGreaterThanOrEqual(1);
      expect(config.MaximumRetryAttempts).toBeLessThanOrEqual(2);
      expect(config.MaximumEventAgeInSeconds).toBeLessThanOrEqual(6 * 3600);
    }
  });

  it('park failures in encrypted, TLS-only queues that keep them for two weeks', () => {
    for (const { failures } of asyncFunctions) {
      expect(resources[failures]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: failures }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });
});

/** The recurring jobs: each its own function, schedule and scheduler role, on the days and hours functions/jobs/schedules.ts declares. */
const recurring = [
  { job: 'quiet-link sweep', spec: quietLinkSweepSchedule, days: 'MON-FRI', fn: 'sweep', schedule: 'schedule', role: 'schedulerRole' },
  {
    job: 'takeover prompts',
    spec: takeoverPromptSchedule,
    days: takeoverPromptSchedule.weekdays,
    fn: 'prompts',
    schedule: 'promptsSchedule',
    role: 'promptsSchedulerRole',
  },
  {
    job: 'feedback asks',
    spec: feedbackSchedule,
    days: feedbackSchedule.weekdays,
    fn: 'feedbackAsks',
    schedule: 'feedbackAsksSchedule',
    role: 'feedbackAsksSchedulerRole',
  },
  {
    job: 'held mail',
    spec: heldMailSchedule,
    days: heldMailSchedule.weekdays,
    fn: 'heldMail',
    schedule: 'heldMailSchedule',
    role: 'heldMailSchedulerRole',
  },
] as const;

describe('recurring job schedules', () => {
  it('are the only schedules declared in the stack (reminders are created at run time), each with its own role', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', recurring.length);
    expect(new Set(recurring.map((r) => ids[r.role])).size).toBe(recurring.length);
  });
});

describe.each(recurring)('$job schedule', ({ spec, days, ...key }) => {
  const schedule = (): Json => resources[ids[key.schedule]]!.Properties;

  it('runs at the times functions/jobs/schedules.ts declares, in Europe/London, with no flexible window', () => {
    expect(schedule()).toMatchObject({
      ScheduleExpression: spec.cron,
      ScheduleExpressionTimezone: 'Europe/London',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    expect(spec.timeZone).toBe('Europe/London');
  });

  it(`fires on the hour, ${days}, at exactly the hours the local scheduler uses`, () => {
    const fields = /^cron\((\S+) (\S+) \? \* (\S+) \*\)$/.exec(schedule().ScheduleExpression);
    expect(fields, schedule().ScheduleExpression).not.toBeNull();
    const [, minute, hourField, dayField] = fields!;
    expect(minute).toBe('0');
    expect(dayField).toBe(days);
    const hours = hourField!.split(',').flatMap((part) => {
      const [from, to = from] = part.split('-').map(Number);
      return Array.from({ length: to! - from! + 1 }, (_, i) => from! + i);
    });
    expect(hours).toEqual([...spec.hours]);
  });

  it('invokes its function (unqualified) as its own scheduler role, with bounded retries and the jobs\' dead-letter queue', () => {
    const target = schedule().Target;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [ids[key.fn], 'Arn'] });
    expect(target.RoleArn).toEqual({ 'Fn::GetAtt': [ids[key.role], 'Arn'] });
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [ids.jobFailures, 'Arn'] } });
    expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThanOrEqual(1);
    expect(target.RetryPolicy.MaximumRetryAttempts).toBeLessThanOrEqual(3);
    expect(target.RetryPolicy.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
    expect(target.RetryPolicy.MaximumEventAgeInSeconds).toBeLessThanOrEqual(3600);
  });

  it("lets its scheduler role do two things: invoke its function (no version or alias, no `*`, no other job) and dead-letter to the jobs' queue", () => {
    const statements = statementsOfRole(ids[key.role]).map((s) => ({
      effect: s.Effect,
      actions: list(s.Action).sort(),
      resources: list(s.Resource).map(render),
      condition: s.Condition,
    }));
    expect(statements).toEqual([
      { effect: 'Allow', actions: ['lambda:InvokeFunction'], resources: [`\${${ids[key.fn]}.Arn}`], condition: undefined },
      { effect: 'Allow', actions: ['sqs:SendMessage'], resources: [`\${${ids.jobFailures}.Arn}`], condition: undefined },
    ]);
    expect(resources[ids[key.role]]!.Properties.Policies).toBeUndefined();
  });

  it("may be assumed only by EventBridge Scheduler on behalf of this account's default schedule group", () => {
    const [trust, ...others] = resources[ids[key.role]]!.Properties.AssumeRolePolicyDocument.Statement;
    expect(others).toEqual([]);
    expect(trust).toMatchObject({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'scheduler.amazonaws.com' } });
    expect(trust.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(render(trust.Condition.StringEquals['aws:SourceArn'])).toBe(
      'arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule-group/default',
    );
  });

  it('is the only way in: its function has no resource policy letting anyone else invoke it', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    const onFunction = permissions.filter((p) => JSON.stringify(p.Properties.FunctionName).includes(ids[key.fn]));
    expect(onFunction).toEqual([]);
  });
});

describe('one-time reminders', () => {
  const group = (): Json => resources[ids.reminderGroup]!;
  const groupName = (): string => group().Properties.Name;
  const scheduleArns = () => `arn:\${AWS::Partition}:scheduler:\${AWS::Region}:\${AWS::AccountId}:schedule/${groupName()}/*`;
  /** A planner's (the takeover or first-timer watcher's) statements on Scheduler and IAM. */
  const controlPlane = (id: string) =>
    statementsOfFunction(id)
      .filter((s) => list(s.Action).some((a) => /^(scheduler|iam):/.test(a)))
      .map((s) => ({ effect: s.Effect, actions: list(s.Action).sort(), resources: list(s.Resource).map(render), condition: s.Condition }));

  it('live in one schedule group of their own, named as Scheduler allows and removed with the stack', () => {
    expect(only(template.findResources('AWS::Scheduler::ScheduleGroup'))).toBe(group());
    expect(groupName()).toMatch(/^[0-9a-zA-Z\-_.]{1,64}$/);
    expect(groupName()).not.toBe('default');
    expect(group().DeletionPolicy).toBe('Delete');
  });

  it('run as a role that EventBridge Scheduler alone may assume, for schedules in the reminder group of this account', () => {
    const [trust, ...others] = resources[ids.reminderRole]!.Properties.AssumeRolePolicyDocument.Statement;
    expect(others).toEqual([]);
    expect(trust).toEqual({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: {
        StringEquals: {
          'aws:SourceAccount': { Ref: 'AWS::AccountId' },
          'aws:SourceArn': { 'Fn::GetAtt': [ids.reminderGroup, 'Arn'] },
        },
      },
    });
  });

  it('which may do two things: invoke the reminder function (unqualified) and dead-letter to the reminders queue', () => {
    const statements = statementsOfRole(ids.reminderRole).map((s) => ({
      effect: s.Effect,
      actions: list(s.Action).sort(),
      resources: list(s.Resource).map(render),
      condition: s.Condition,
    }));
    expect(statements).toEqual([
      { effect: 'Allow', actions: ['lambda:InvokeFunction'], resources: [`\${${ids.reminder}.Arn}`], condition: undefined },
      { effect: 'Allow', actions: ['sqs:SendMessage'], resources: [`\${${ids.reminderFailures}.Arn}`], condition: undefined },
    ]);
    expect(resources[ids.reminderRole]!.Properties.Policies).toBeUndefined();
  });

  it('are the only way into the reminder function: it has no resource policy', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions.filter((p) => JSON.stringify(p.Properties.FunctionName).includes(ids.reminder))).toEqual([]);
  });

  it.each([
    ['takeover', 'takeover'],
    ['first-timer', 'firstTimer'],
  ] as const)('are planned by the %s watcher: it may create and delete schedules in the reminder group only, and pass the reminder role to Scheduler only', (_, planner) => {
    expect(controlPlane(ids[planner])).toEqual([
      { effect: 'Allow', actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'], resources: [scheduleArns()], condition: undefined },
      {
        effect: 'Allow',
        actions: ['iam:PassRole'],
        resources: [`\${${ids.reminderRole}.Arn}`],
        condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  /** One reminder of each kind, as its planner would request it. */
  const planned: { planner: 'takeover' | 'firstTimer'; reminder: ReminderRequest }[] = [
    {
      planner: 'takeover',
      reminder: { name: 'takeover-abc123-week-before', at: new Date('2026-03-07T09:00:00Z'), timeZone: 'Europe/London', job: 'takeover-reminder', payload: { takeoverId: 'abc123' } },
    },
    {
      planner: 'firstTimer',
      // The name the watcher gives a newcomer plan's Thursday notice, for the reminder function's 'first-timer-notice' job.
      reminder: {
        name: noticeName('Y01234', 'bushy', '2026-03-07'),
        at: new Date('2026-03-05T10:00:00Z'),
        timeZone: 'Europe/London',
        job: 'first-timer-notice',
        payload: { practiceCode: 'Y01234', eventShortName: 'bushy', date: '2026-03-07' },
      },
    },
  ];

  it.each(planned)('the schedules the adapter creates, from the configuration the $planner watcher is given, are the ones it may create, in the shape granted', ({ planner, reminder }) => {
    const deployed = { Partition: 'aws', Region: 'eu-west-2', AccountId: '123456789012' };
    const arn = (value: Json) =>
      render(value).replace(/\$\{AWS::(\w+)\}/g, (_, name: keyof typeof deployed) => deployed[name]);
    const env = resources[ids[planner]]!.Properties.Environment.Variables;
    const targets = loadReminderConfig({
      REMINDER_TARGET_ARN: `arn:aws:lambda:eu-west-2:123456789012:function:${ids.reminder}`,
      REMINDER_ROLE_ARN: `arn:aws:iam::123456789012:role/${ids.reminderRole}`,
      REMINDER_DLQ_ARN: `arn:aws:sqs:eu-west-2:123456789012:${ids.reminderFailures}`,
      REMINDER_GROUP: env.REMINDER_GROUP,
    });
    const input = EventBridgeReminders.createInput(reminder, targets);
    const created = `arn:aws:scheduler:eu-west-2:123456789012:schedule/${input.GroupName}/${input.Name}`;
    const granted = arn(controlPlane(ids[planner])[0]!.resources[0]);
    expect(created.startsWith(granted.slice(0, -1))).toBe(true);
    expect(input).toMatchObject({
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: targets.targetArn, RoleArn: targets.roleArn, DeadLetterConfig: { Arn: targets.deadLetterArn } },
    });
  });

  it('nothing else in the stack may create, change or delete schedules or pass a role', () => {
    const policies = Object.entries(resources).flatMap(([id, r]) => {
      if (r.Type === 'AWS::IAM::Policy') return r.Properties.Roles.map((role: Json) => ({ role: role.Ref as string, doc: r.Properties.PolicyDocument }));
      if (r.Type === 'AWS::IAM::Role') return (r.Properties.Policies ?? []).map((p: Json) => ({ role: id, doc: p.PolicyDocument }));
      return [];
    });
    const plannerRoles = planners.map((id) => resources[id]!.Properties.Role['Fn::GetAtt'][0]);
    const holders = policies
      .filter(({ doc }) =>
        doc.Statement.some((s: Statement) => list(s.Action).some((a) => a === '*' || /^(scheduler|iam):/.test(a))),
      )
      .map(({ role }) => role);
    expect([...new Set(holders)].sort()).toEqual([...plannerRoles].sort());
  });
});

describe('mail feedback (SES bounces and complaints)', () => {
  const defaultBus = 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default';

  it('the configuration set publishes exactly bounces and complaints, to the default event bus', () => {
    const destination = only(template.findResources('AWS::SES::ConfigurationSetEventDestination')).Properties;
    expect(destination.ConfigurationSetName).toEqual({ Ref: ids.configSet });
    expect(destination.EventDestination.Enabled).toBe(true);
    expect([...destination.EventDestination.MatchingEventTypes].sort()).toEqual(['bounce', 'complaint']);
    expect(render(destination.EventDestination.EventBridgeDestination.EventBusArn)).toBe(defaultBus);
    expect(Object.keys(destination.EventDestination).sort()).toEqual(['EventBridgeDestination', 'Enabled', 'MatchingEventTypes'].sort());
  });

  it('a rule on the default bus matches SES bounces and complaints from this configuration set only', () => {
    const rule = resources[ids.feedbackRule]!.Properties;
    expect(only(template.findResources('AWS::Events::Rule')).Properties).toEqual(rule);
    expect(rule.EventBusName).toBe('default');
    expect(rule.State).toBe('ENABLED');
    const { source, 'detail-type': detailType, ...rest } = rule.EventPattern;
    // Nothing else: the handler, not the pattern, picks this stack's configuration set.
    expect(rest).toEqual({});
    expect(source).toEqual(['aws.ses']);
    expect([...detailType].sort()).toEqual(['Email Bounced', 'Email Complaint Received']);
    expect(detailType).toEqual([...feedbackDetailTypes]);
  });

  it('targets the feedback function only, with bounded retries and a dead-letter queue', () => {
    const [target, ...others] = resources[ids.feedbackRule]!.Properties.Targets;
    expect(others).toEqual([]);
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [ids.feedback, 'Arn'] });
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [ids.feedbackFailures, 'Arn'] } });
    expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThanOrEqual(1);
    expect(target.RetryPolicy.MaximumRetryAttempts).toBeLessThanOrEqual(185);
    expect(target.RetryPolicy.MaximumEventAgeInSeconds).toBeLessThanOrEqual(24 * 3600);
  });

  it('lets EventBridge invoke the function for this rule only, and dead-letter to the queue for this rule only', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map((p) => p.Properties);
    const permission = only(permissions.filter((p) => JSON.stringify(p.FunctionName).includes(ids.feedback)));
    expect(permission).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [ids.feedback, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ids.feedbackRule, 'Arn'] },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.feedbackFailures }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ids.feedbackRule, 'Arn'] } } },
          }),
        ]),
      },
    });
  });
});

describe('mail and secrets', () => {
  it('sends through a configuration set that suppresses bounces and complaints and requires TLS', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
  });

  it('generates a long, punctuation-free token key', () => {
    const generate = resources[ids.secret]!.Properties.GenerateSecretString;
    expect(generate.PasswordLength).toBeGreaterThanOrEqual(48);
    expect(generate.ExcludePunctuation).toBe(true);
  });

  it('holds no secret value: the token key is generated by Secrets Manager, and no SecretString holds anything but the allow-list placeholder', () => {
    const secrets = Object.values(resources).filter((r) => r.Type === 'AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(2);
    expect(resources[ids.secret]!.Properties.SecretString).toBeUndefined();
    expect(secrets.map((r) => r.Properties.SecretString).filter((v) => v !== undefined)).toEqual([allowlistPlaceholder]);
    // Nor anywhere else: no SecretString, password or key material in any property of any resource.
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/"(SecretString|Password|SecretAccessKey|PrivateKey)"\s*:\s*"(?!Nobody may sign in)/);
    expect(text).not.toContain('headoffice@example.org');
  });

  it('is an SES domain identity with Easy DKIM (2048-bit), a custom MAIL FROM under the domain, and the configuration set as its default', () => {
    const identity = only(template.findResources('AWS::SES::EmailIdentity'));
    expect(identity.Properties).toEqual({
      EmailIdentity: 'example.org',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: ids.configSet } },
      DkimAttributes: { SigningEnabled: true },
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      MailFromAttributes: { MailFromDomain: 'bounce.example.org', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    });
  });

  it('outputs the DNS records to add: three DKIM CNAMEs, the MAIL FROM MX and SPF, and a suggested DMARC record', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: Json; Description: string }>;
    const records = Object.entries(outputs).filter(([key]) => key.startsWith('SenderDnsRecord')).map(([, o]) => ({ value: render(o.Value), why: o.Description }));
    const identityId = Object.keys(template.findResources('AWS::SES::EmailIdentity'))[0]!;
    expect(records).toEqual([
      ...[1, 2, 3].map((n) => ({ value: `\${${identityId}.DkimDNSTokenName${n}} CNAME \${${identityId}.DkimDNSTokenValue${n}}`, why: `Add to DNS for the sender: DKIM ${n} of 3` })),
      { value: 'bounce.example.org MX 10 feedback-smtp.${AWS::Region}.amazonses.com', why: 'Add to DNS for the sender: MAIL FROM: bounces come back to SES' },
      { value: 'bounce.example.org TXT "v=spf1 include:amazonses.com ~all"', why: 'Add to DNS for the sender: MAIL FROM: SPF' },
      { value: '_dmarc.example.org TXT "v=DMARC1; p=none; rua=mailto:head.office@example.org"', why: 'Add to DNS for the sender: DMARC (suggested)' },
    ]);
  });
});

describe('failure keeper', () => {
  const failureQueues = () => [ids.queue, ids.jobFailures, ids.reminderFailures, ids.feedbackFailures];

  it('reads every failure queue, reporting the messages it could not keep, and nothing else', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter((m: Json) => m.Properties.FunctionName.Ref === ids.keeper) as Json[];
    expect(mappings.map((m) => m.Properties.EventSourceArn['Fn::GetAtt'][0]).sort()).toEqual(failureQueues().sort());
    for (const m of mappings) expect(m.Properties).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 10 });
  });

  it("sends a message it cannot keep, after its tries, to the dead letters, and waits long enough for it (six times its timeout)", () => {
    const timeout = resources[ids.keeper]!.Properties.Timeout;
    for (const queue of failureQueues()) {
      expect(resources[queue]!.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [ids.deadLetters, 'Arn'] }, maxReceiveCount: keeperAttempts });
      expect(resources[queue]!.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    }
    expect(resources[ids.deadLetters]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it("knows which consumer each stream function is (the router too), so it keeps only the records that consumer's filter lets through", () => {
    const env = resources[ids.keeper]!.Properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual(['NODE_OPTIONS', 'STREAM_CONSUMERS', 'TABLE_NAME']);
    const pairs = render(env.STREAM_CONSUMERS).split(',');
    expect(pairs).toEqual([
      `\${${ids.registration}}=registration-watcher`,
      `\${${ids.handover}}=handover-watcher`,
      `\${${ids.freshLink}}=fresh-link-watcher`,
      `\${${ids.takeover}}=takeover-watcher`,
      `\${${ids.firstTimer}}=first-timer-watcher`,
      `\${${ids.headOffice}}=head-office-watcher`,
      `\${${ids.router}}=stream-router`,
    ]);
    expect(loadFailureKeeperConfig({ TABLE_NAME: 't', STREAM_CONSUMERS: pairs.map((p) => p.replace(/\$\{(\w+)\}/, '$1')).join(',') }).streamConsumers).toMatchObject({
      [ids.registration]: 'registration-watcher',
      [ids.router]: 'stream-router',
    });
  });

  it('may read back records from the table stream (those two actions, on that stream only), and reads no secret', () => {
    const onStream = statementsOfFunction(ids.keeper).filter((st) => list(st.Action).some((a) => a.startsWith('dynamodb:Get') && /Shard|Records/.test(a)));
    expect(onStream).toEqual([{ Effect: 'Allow', Action: ['dynamodb:GetRecords', 'dynamodb:GetShardIterator'], Resource: { 'Fn::GetAtt': [ids.table, 'StreamArn'] } }]);
    expect(statementsOfFunction(ids.keeper).some((st) => list(st.Action).some((a) => a.startsWith('secretsmanager:') || a.startsWith('ses:')))).toBe(false);
  });
});

describe('alarms', () => {
  const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Json[];
  const topicId = () => Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;
  const alarmOn = (metricName: string, dimension: Json) =>
    alarms().filter((a) => a.Properties.MetricName === metricName && JSON.stringify(a.Properties.Dimensions ?? []) === JSON.stringify(dimension));

  it('notify one encrypted, TLS-only SNS topic, emailed to the alarmEmails setting', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const topic = only(template.findResources('AWS::SNS::Topic'));
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    expect(resources[keyId]!.Properties.EnableKeyRotation).toBe(true);
    // CloudWatch may use the key to publish, for this account only.
    const cloudwatch = resources[keyId]!.Properties.KeyPolicy.Statement.find((st: Json) => st.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudwatch).toMatchObject({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')) as Json[];
    expect(subscriptions.map((sub) => [sub.Properties.Protocol, sub.Properties.Endpoint, sub.Properties.TopicArn])).toEqual([['email', 'ops@example.org', { Ref: topicId() }]]);
    const policy = only(template.findResources('AWS::SNS::TopicPolicy'));
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    // Every alarm tells the topic when it goes off and when it is over, and says what to do, pointing at the runbook.
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId() }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId() }]);
      expect(alarm.Properties.AlarmDescription).toMatch(/docs\/operations\.md#[a-z0-9-]+$/);
      expect(alarm.Properties.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
  });

  it('watch every function in the stack for errors and throttles, at any one in 5 minutes', () => {
    for (const fn of allFunctions) {
      for (const [metric, threshold] of [['Errors', alarmThresholds.functionErrors], ['Throttles', alarmThresholds.functionThrottles]] as const) {
        const [alarm, ...more] = alarmOn(metric, [{ Name: 'FunctionName', Value: { Ref: fn } }]);
        expect(more, `${metric} alarms on ${fn}`).toEqual([]);
        expect(alarm?.Properties, `${metric} alarm on ${fn}`).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Period: 300, Threshold: threshold, EvaluationPeriods: 1 });
      }
    }
    expect(alarmOn('Errors', []).length + alarms().filter((a) => a.Properties.MetricName === 'Errors').length).toBe(allFunctions.length);
  });

  it("watch each stream reader's iterator age (the router's and the head-office watcher's), at 10 minutes behind", () => {
    const behind = alarms().filter((a) => a.Properties.MetricName === 'IteratorAge');
    expect(behind.map((a) => a.Properties.Dimensions[0].Value.Ref).sort()).toEqual([...readers].sort());
    for (const a of behind) expect(a.Properties).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Maximum', Period: 300, Threshold: alarmThresholds.iteratorAgeMs });
  });

  it('go off as soon as anything lands in a failure queue', () => {
    const failures = alarms().filter((a) => a.Properties.MetricName === 'NumberOfMessagesSent');
    const queues = failures.map((a) => a.Properties.Dimensions[0].Value['Fn::GetAtt'][0]).sort();
    expect(queues).toEqual([ids.queue, ids.jobFailures, ids.reminderFailures, ids.feedbackFailures].sort());
    for (const a of failures) expect(a.Properties).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Sum', Period: 300, Threshold: alarmThresholds.failuresArrived });
  });

  it('go off while the dead letters hold a failure the keeper could not keep', () => {
    const [held, ...more] = alarms().filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(more).toEqual([]);
    expect(held.Properties.Dimensions[0].Value['Fn::GetAtt'][0]).toBe(ids.deadLetters);
    expect(held.Properties).toMatchObject({ Namespace: 'AWS/SQS', Statistic: 'Maximum', Threshold: alarmThresholds.deadLetters });
  });

  it("watch the API stage's 5xx", () => {
    const [alarm, ...more] = alarms().filter((a) => a.Properties.MetricName === '5XXError');
    expect(more).toEqual([]);
    expect(alarm.Properties).toMatchObject({ Namespace: 'AWS/ApiGateway', Statistic: 'Sum', Period: 300, Threshold: alarmThresholds.api5xx });
    expect(alarm.Properties.Dimensions).toEqual([
      { Name: 'ApiName', Value: resources[ids.restApi]!.Properties.Name },
      { Name: 'Stage', Value: { Ref: ids.stage } },
    ]);
  });

  it("watch the account's SES bounce and complaint rates below the levels at which SES reviews an account (5% and 0.1%)", () => {
    const bounce = only(Object.fromEntries(alarmOn('Reputation.BounceRate', []).map((a, i) => [i, a])));
    const complaint = only(Object.fromEntries(alarmOn('Reputation.ComplaintRate', []).map((a, i) => [i, a])));
    expect(bounce.Properties).toMatchObject({ Namespace: 'AWS/SES', Statistic: 'Maximum', Threshold: alarmThresholds.bounceRate });
    expect(complaint.Properties).toMatchObject({ Namespace: 'AWS/SES', Statistic: 'Maximum', Threshold: alarmThresholds.complaintRate });
    expect(alarmThresholds.bounceRate).toBeLessThan(0.05);
    expect(alarmThresholds.complaintRate).toBeLessThan(0.001);
  });

  it('have a dashboard of the same figures', () => {
    const dashboard = only(template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of ['Errors', 'Throttles', 'IteratorAge', '5XXError', 'NumberOfMessagesSent', 'Reputation.BounceRate', 'Reputation.ComplaintRate', 'EmailsSent', 'Answers', 'Nudges']) {
      expect(body).toContain(metric);
    }
  });
});

describe('head-office allow-list', () => {
  /** Every identity-based policy statement in the stack, with the role it belongs to. */
  const allStatements = () =>
    Object.entries(resources).flatMap(([id, r]) => {
      if (r.Type === 'AWS::IAM::Policy') {
        return r.Properties.Roles.flatMap((role: Json) => r.Properties.PolicyDocument.Statement.map((s: Statement) => ({ role: role.Ref as string, s })));
      }
      if (r.Type === 'AWS::IAM::Role') {
        return (r.Properties.Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement.map((s: Statement) => ({ role: id, s })));
      }
      return [];
    });

  it('is a secret deployed with a placeholder naming nobody, so no address is in the template and a deploy keeps the list head office set', () => {
    const secret = resources[ids.allowlist]!;
    expect(secret.Type).toBe('AWS::SecretsManager::Secret');
    expect(secret.Properties.SecretString).toBe(allowlistPlaceholder);
    expect(parseAllowlist(secret.Properties.SecretString)).toEqual([]);
    // The same text whatever the settings: CloudFormation sees no change and leaves the value alone.
    const { stack: other } = createApp(appProps({ ...skipBundling, alarmEmails: 'someone.else@example.org', mailReplyTo: 'other@example.org' }));
    expect(Template.fromStack(other).toJSON().Resources[logicalId(other.secrets.headOfficeAllowlist)].Properties.SecretString).toBe(allowlistPlaceholder);
  });

  it('and the token key are kept when the stack is deleted', () => {
    expect(resources[ids.allowlist]!.DeletionPolicy).toBe('Retain');
    expect(resources[ids.secret]!.DeletionPolicy).toBe('Retain');
  });

  it('is read by the API and the fresh-link watcher alone: no other role has any statement on it', () => {
    // A statement naming the secret, or one that could reach it through a wildcard resource.
    const reaches = (s: Statement) =>
      JSON.stringify(s.Resource).includes(ids.allowlist) ||
      (list(s.Resource).includes('*') && list(s.Action).some((a) => a === '*' || a.startsWith('secretsmanager:')));
    const onAllowlist = allStatements().filter(({ s }) => reaches(s));
    const roleOf = (id: string) => resources[id]!.Properties.Role['Fn::GetAtt'][0];
    expect(onAllowlist.map(({ role }) => role).sort()).toEqual([roleOf(ids.api), roleOf(ids.freshLink)].sort());
    for (const { s } of onAllowlist) expect(s).toEqual({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: ids.allowlist } });
    // And no resource policy opens it to anyone else.
    template.resourceCountIs('AWS::SecretsManager::ResourcePolicy', 0);
  });
});

describe('outputs', () => {
  it('name the API URL, the table, the head-office allow-list secret, the alarm topic and the failure queues', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] });
    expect(render(outputs.ApiUrl.Value)).toBe(apiUrl());
    expect(outputs.TableName.Value).toEqual({ Ref: ids.table });
    expect(outputs.HeadOfficeAllowlistSecretArn.Value).toEqual({ Ref: ids.allowlist });
    expect(outputs.StreamFailuresQueueUrl.Value).toEqual({ Ref: ids.queue }); // Ref of a queue is its URL
    expect(outputs.JobFailuresQueueUrl.Value).toEqual({ Ref: ids.jobFailures });
    expect(outputs.MailFeedbackFailuresQueueUrl.Value).toEqual({ Ref: ids.feedbackFailures });
    expect(outputs.ReminderFailuresQueueUrl.Value).toEqual({ Ref: ids.reminderFailures });
  });
});

describe('settings', () => {
  it('an explicit publicBaseUrl reaches every mail sender instead of the API endpoint', () => {
    const { stack: custom } = createApp(appProps({ ...skipBundling, publicBaseUrl: 'https://nudges.example.org/' }));
    const customResources = Template.fromStack(custom).toJSON().Resources;
    const { watchers: w, mailFeedback, jobs, reminders } = custom;
    const senders = [
      w.registration,
      w.handover,
      w.freshLink,
      w.takeover,
      w.firstTimer,
      mailFeedback.handler,
      jobs.quietLinkSweep,
      jobs.takeoverPrompts,
      jobs.feedbackAsks,
      jobs.heldMail,
      reminders.handler,
    ];
    for (const watcher of senders) {
      const fn = customResources[logicalId(watcher)];
      expect(fn.Properties.Environment.Variables.PUBLIC_BASE_URL).toBe('https://nudges.example.org');
    }
  });
});

describe('replies by email, without the replyDomain setting (cdk.json sets none)', () => {
  it('the stack has no receiving parts: no bucket, receipt rule, receiver or outputs, and no function is told a reply domain or given S3', () => {
    expect(stack.replies).toBeUndefined();
    expect(stack.mail.replyDomain).toBeUndefined();
    for (const type of ['AWS::S3::Bucket', 'AWS::S3::BucketPolicy', 'AWS::SES::ReceiptRuleSet', 'AWS::SES::ReceiptRule']) template.resourceCountIs(type, 0);
    expect(Object.keys(template.toJSON().Outputs).filter((key) => key.startsWith('Reply'))).toEqual([]);
    for (const id of allFunctions) {
      const env = Object.keys(resources[id]!.Properties.Environment.Variables);
      expect(env.filter((key) => key === 'MAIL_REPLY_DOMAIN' || key.startsWith('REPLY_')), id).toEqual([]);
      expect(statementsOfFunction(id).flatMap((s) => list(s.Action)).filter((a) => a.startsWith('s3:')), id).toEqual([]);
    }
    // Nor may SES invoke anything.
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).map((p) => p.Properties.Principal);
    expect(permissions).not.toContain('ses.amazonaws.com');
  });
});

describe('the real app under cdk-nag (AwsSolutions + Serverless)', () => {
  // The app this file synthesised once above (Template.fromStack ran the packs: a finding would have failed there).
  const app = () => stack.node.root as App;

  it('synthesises: the registered packs find nothing unacknowledged', () => {
    expect(() => app().synth()).not.toThrow();
  });

  it('has no finding, error or warning, left in either pack', () => {
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
      const findings = pack
        .validateScope(app())
        .violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}`));
      expect(findings).toEqual([]);
    }
  });

  it('acknowledges exactly these findings, each on its own resource and with a reason', () => {
    const acknowledged = app().node
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
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/FreshLinkWatcherRole/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/HandoverWatcherRole/Resource',
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
        // The stream router: a function like the others, reading the stream (ListStreams on `*`, as the head-office watcher).
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/StreamRouterRole/DefaultPolicy/Resource',
        'AwsSolutions-IAM5[Resource::*] @ ParkrunPracticeNudges/Watchers/StreamRouterRole/Resource',
        'AwsSolutions-L1 @ ParkrunPracticeNudges/Watchers/StreamRouter/Resource',
        'Serverless-LambdaDLQ @ ParkrunPracticeNudges/Watchers/StreamRouter/Resource',
        'Serverless-LambdaLatestVersion @ ParkrunPracticeNudges/Watchers/StreamRouter/Resource',
        'Serverless-LambdaStarPermissions @ ParkrunPracticeNudges/Watchers/StreamRouterRole/Resource',
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
    for (const fn of ['Api/Handler', 'Watchers/RegistrationWatcher', 'Watchers/TakeoverWatcher', 'Watchers/FirstTimerWatcher', 'Watchers/HeadOfficeWatcher', 'Watchers/StreamRouter']) {
      expect(dlqReasons[fn], fn).toMatch(/^Invoked synchronously only/);
    }
    for (const fn of ['Watchers/RegistrationWatcher', 'Watchers/HandoverWatcher', 'Watchers/FreshLinkWatcher', 'Watchers/TakeoverWatcher', 'Watchers/FirstTimerWatcher']) {
      expect(dlqReasons[fn], fn).toBe('Invoked synchronously only, by the stream router (RequestResponse); a DeadLetterConfig applies to asynchronous invocations, which this function never receives.');
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
