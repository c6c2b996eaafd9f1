/**
 * The stream router: one reader of the table stream for every watcher that sends mail. Each
 * watcher gets only its own records, in order; the router reports what any of them failed.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  headOfficeFilter,
  matchesFilter,
  maxFiltersPerMapping,
  orPatterns,
  patternsOf,
  routedWatcherNames,
  streamReaders,
  streamRouter,
  streamWatchers,
  type FilterPattern,
  type WatcherName,
} from '../../functions/adapters/dynamo/stream-filters.js';
import { ConsumerFunctionError, lambdaStreamConsumer } from '../../functions/adapters/lambda-invoke.js';
import { loadFailureKeeperConfig, loadStreamRouterConfig } from '../../functions/config.js';
import { failureKeeperDeps } from '../../functions/failure-wiring.js';
import { inProcessStreamReaders, routeStreamBatch, type RoutedConsumer, type StreamEventHandler } from '../../functions/watchers/stream-router-handler.js';

let sequence = 100;
function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', entityType: string, extra: Record<string, string> = {}): DynamoDBRecord {
  const SequenceNumber = String(sequence++);
  const image = { entityType: { S: entityType }, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { S: v }])) };
  return {
    eventID: `event-${SequenceNumber}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: { SequenceNumber, Keys: { pk: { S: `${entityType.toUpperCase()}#${SequenceNumber}` } }, ...(eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image }) },
  } as DynamoDBRecord;
}
const seq = (r: DynamoDBRecord) => r.dynamodb!.SequenceNumber!;

/** A consumer that records what it was given and fails what `fail` picks. */
function consumer(name: string, filter: FilterPattern | readonly FilterPattern[], fail: (r: DynamoDBRecord) => boolean = () => false) {
  const seen: DynamoDBRecord[][] = [];
  const spec: RoutedConsumer = {
    name,
    filter,
    invoke: async (event) => {
      seen.push(event.Records);
      return { batchItemFailures: event.Records.filter(fail).map((r) => ({ itemIdentifier: seq(r) })) };
    },
  };
  return { spec, seen };
}

const registrations = { eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: ['Registration'] } } } };
const handovers = { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { entityType: { S: ['Handover'] } } } };

describe('routeStreamBatch', () => {
  it('hands each consumer only its own records, in order, and reports only the record one of them failed', async () => {
    const [r1, h1, other, r2, h2] = [record('INSERT', 'Registration'), record('INSERT', 'Handover'), record('INSERT', 'Link'), record('INSERT', 'Registration'), record('MODIFY', 'Handover')];
    const registration = consumer('registration', registrations);
    const handover = consumer('handover', handovers, (r) => r === h2 || seq(r) === seq(h2));
    const response = await routeStreamBatch({ Records: [r1!, h1!, other!, r2!, h2!] }, [registration.spec, handover.spec]);
    expect(registration.seen).toEqual([[r1, r2]]);
    expect(handover.seen).toEqual([[h1, h2]]);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: seq(h2!) }] });
  });

  it('reports every record of a consumer whose function failed (a FunctionError), and nothing of the others', async () => {
    const lambda = mockClient(LambdaClient);
    lambda.on(InvokeCommand, { FunctionName: 'registration-fn' }).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: new TextEncoder().encode(JSON.stringify({ errorType: 'Error', errorMessage: 'SES said no' })) as never,
    });
    lambda.on(InvokeCommand, { FunctionName: 'handover-fn' }).resolves({ StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify({ batchItemFailures: [] })) as never });
    const client = new LambdaClient({ region: 'eu-west-2' });
    const [r1, h1, r2] = [record('INSERT', 'Registration'), record('INSERT', 'Handover'), record('INSERT', 'Registration')];
    const response = await routeStreamBatch({ Records: [r1!, h1!, r2!] }, [
      { name: 'registration', filter: registrations, invoke: lambdaStreamConsumer(client, 'registration-fn') },
      { name: 'handover', filter: handovers, invoke: lambdaStreamConsumer(client, 'handover-fn') },
    ]);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: seq(r1!) }, { itemIdentifier: seq(r2!) }] });
    // Each function was sent its own records only, synchronously.
    const sent = lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input);
    expect(sent.map((input) => [input.FunctionName, input.InvocationType, JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))]).sort()).toEqual(
      [
        ['handover-fn', 'RequestResponse', { Records: [h1] }],
        ['registration-fn', 'RequestResponse', { Records: [r1, r2] }],
      ].sort(),
    );
    lambda.restore();
  });

  it('reports every record of a consumer it could not call, or that named a record it was not given', async () => {
    const [r1, h1, h2] = [record('INSERT', 'Registration'), record('INSERT', 'Handover'), record('MODIFY', 'Handover')];
    const unreachable: RoutedConsumer = { name: 'registration', filter: registrations, invoke: () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' })) };
    const confused: RoutedConsumer = { name: 'handover', filter: handovers, invoke: async () => ({ batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] }) };
    expect(await routeStreamBatch({ Records: [r1!, h1!, h2!] }, [unreachable])).toEqual({ batchItemFailures: [{ itemIdentifier: seq(r1!) }] });
    expect(await routeStreamBatch({ Records: [r1!, h1!, h2!] }, [confused])).toEqual({ batchItemFailures: [{ itemIdentifier: seq(h1!) }, { itemIdentifier: seq(h2!) }] });
  });

  it('calls no consumer that has no records in the batch, and counts an empty answer as all handled', async () => {
    const registration = consumer('registration', registrations);
    const handover: RoutedConsumer = { name: 'handover', filter: handovers, invoke: async () => undefined };
    expect(await routeStreamBatch({ Records: [record('INSERT', 'Handover'), record('REMOVE', 'Registration')] }, [registration.spec, handover])).toEqual({ batchItemFailures: [] });
    expect(registration.seen).toEqual([]);
  });
});

describe('lambdaStreamConsumer', () => {
  const lambda = mockClient(LambdaClient);
  beforeEach(() => lambda.reset());
  const invoke = () => lambdaStreamConsumer(new LambdaClient({ region: 'eu-west-2' }), 'fn')({ Records: [record('INSERT', 'Registration')] });

  it('reads a partial batch response, and a handler that returned nothing as all handled', async () => {
    lambda.on(InvokeCommand).resolvesOnce({ Payload: new TextEncoder().encode('{"batchItemFailures":[{"itemIdentifier":"7"}]}') as never }).resolvesOnce({ Payload: new TextEncoder().encode('null') as never });
    expect(await invoke()).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
    expect(await invoke()).toEqual({ batchItemFailures: [] });
  });

  it('throws on a FunctionError (a timeout too), naming the function and what Lambda said', async () => {
    lambda.on(InvokeCommand).resolves({ FunctionError: 'Unhandled', Payload: new TextEncoder().encode('{"errorType":"Sandbox.Timedout","errorMessage":"Task timed out after 30.00 seconds"}') as never });
    const thrown = await invoke().catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(ConsumerFunctionError);
    expect((thrown as Error).message).toBe('fn failed (Unhandled): Sandbox.Timedout: Task timed out after 30.00 seconds');
  });

  it('throws on an answer that is not a partial batch response', async () => {
    lambda.on(InvokeCommand).resolves({ Payload: new TextEncoder().encode('{"batchItemFailures":"all"}') as never });
    await expect(invoke()).rejects.toThrow(/neither nothing nor a partial batch response/);
  });
});

describe("the router's filter", () => {
  /** Records of every kind the table writes that a filter could tell apart. */
  const kinds = ['Registration', 'PendingRegistration', 'Handover', 'FreshLinkRequest', 'IntroductionRequest', 'Takeover', 'FirstTimerNaming', 'NewcomerPlan', 'Link', 'Token', 'Message', 'Failure', 'Event'];
  const statuses = [undefined, 'offered', 'accepted', 'proposed', 'declined', 'fixed', 'cancelled', 'planned'];
  const every = kinds.flatMap((kind) =>
    (['INSERT', 'MODIFY', 'REMOVE'] as const).flatMap((eventName) => statuses.map((status) => record(eventName, kind, status ? { status } : {}))),
  );

  it('fits in one mapping, and lets through exactly what some watcher the router feeds takes', () => {
    expect(patternsOf(streamRouter.filter).length).toBeLessThanOrEqual(maxFiltersPerMapping);
    for (const r of every) {
      const wanted = routedWatcherNames.some((name) => matchesFilter(streamWatchers[name].filter, r));
      expect(matchesFilter(streamRouter.filter, r), JSON.stringify(r.dynamodb?.NewImage ?? r.dynamodb?.OldImage) + r.eventName).toBe(wanted);
    }
  });

  it('merges two patterns exactly when they differ in one field only', () => {
    const merged = orPatterns([registrations, { eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: ['FreshLinkRequest'] } } } }, handovers]);
    expect(merged).toEqual([{ eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: ['Registration', 'FreshLinkRequest'] } } } }, handovers]);
  });

  it('past the limit, lets through more (never less) in fewer patterns: by the fields every pattern names', () => {
    const filters = routedWatcherNames.map((name) => streamWatchers[name].filter);
    for (const limit of [3, 1]) {
      const broad = orPatterns(filters, limit);
      expect(broad.length, `limit ${limit}`).toBeLessThanOrEqual(limit);
      for (const r of every) if (filters.some((f) => matchesFilter(f, r))) expect(matchesFilter(broad, r)).toBe(true);
    }
    const [one, ...more] = orPatterns(filters, 1) as Array<{ eventName: string[]; dynamodb: { NewImage: { entityType: { S: string[] } } } }>;
    expect(more).toEqual([]);
    expect(Object.keys(one!).sort()).toEqual(['dynamodb', 'eventName']);
    expect([...one!.eventName].sort()).toEqual(['INSERT', 'MODIFY']);
    expect([...one!.dynamodb.NewImage.entityType.S].sort()).toEqual(
      ['Registration', 'PendingRegistration', 'FreshLinkRequest', 'IntroductionRequest', 'Handover', 'Takeover', 'FirstTimerNaming', 'NewcomerPlan'].sort(),
    );
  });
});

describe('the readers of the stream', () => {
  it('are two: the stream router and the head-office watcher, which the router does not feed', () => {
    expect(streamReaders.map((r) => r.name)).toEqual(['stream-router', 'head-office-watcher']);
    expect(routedWatcherNames).not.toContain('head-office-watcher');
    expect(streamReaders[1]!.filter).toBe(headOfficeFilter);
  });

  it('run in one process over the watchers\' handlers, the router calling those it feeds directly', async () => {
    const given: Partial<Record<WatcherName, DynamoDBRecord[]>> = {};
    const handler = (name: WatcherName): StreamEventHandler => async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      given[name] = event.Records;
      return { batchItemFailures: name === 'takeover-watcher' ? event.Records.map((r) => ({ itemIdentifier: seq(r) })) : [] };
    };
    const handlers = Object.fromEntries((Object.keys(streamWatchers) as WatcherName[]).map((name) => [name, handler(name)])) as Record<WatcherName, StreamEventHandler>;
    const [router, headOffice] = inProcessStreamReaders(handlers);
    const takeover = record('MODIFY', 'Takeover', { status: 'fixed' });
    const registration = record('INSERT', 'PendingRegistration');
    expect(await router!.consumer({ Records: [registration, takeover] })).toEqual({ batchItemFailures: [{ itemIdentifier: seq(takeover) }] });
    expect(given).toEqual({ 'registration-watcher': [registration], 'takeover-watcher': [takeover] });
    expect(headOffice!.consumer).toBe(handlers['head-office-watcher']);
  });
});

describe('the router\'s settings', () => {
  const routes = routedWatcherNames.map((name) => `${name}=Stack-${name}-Ab12`).join(',');

  it('name a function for every watcher it feeds', () => {
    expect(loadStreamRouterConfig({ STREAM_ROUTES: routes }).routes).toEqual(Object.fromEntries(routedWatcherNames.map((name) => [name, `Stack-${name}-Ab12`])));
  });

  it.each([
    ['one left out', routes.split(',').slice(1).join(',')],
    ['a watcher it does not feed', `${routes},head-office-watcher=Stack-HeadOffice`],
    ['no function', routes.replace(/=Stack-registration-watcher-Ab12/, '=')],
    ['nothing at all', undefined],
  ])('refuse %s', (_, value) => {
    expect(() => loadStreamRouterConfig({ STREAM_ROUTES: value })).toThrow(/^Invalid configuration: STREAM_ROUTES/);
  });
});

describe("the failure keeper, for a batch the router gave up on", () => {
  it("keeps the records any watcher the router feeds takes, to be run again through the router", () => {
    const { streamConsumers } = loadFailureKeeperConfig({ TABLE_NAME: 't', STREAM_CONSUMERS: 'Stack-Router-Ab12=stream-router,Stack-HeadOffice-Cd34=head-office-watcher' });
    const deps = failureKeeperDeps({} as never, 't', streamConsumers, { read: async () => [] });
    const routers = deps.consumerOf('arn:aws:lambda:eu-west-2:123456789012:function:Stack-Router-Ab12')!;
    expect(routers(record('INSERT', 'PendingRegistration'))).toBe(true);
    expect(routers(record('MODIFY', 'Takeover', { status: 'fixed' }))).toBe(true);
    expect(routers(record('MODIFY', 'Link'))).toBe(false);
    expect(deps.consumerOf('arn:aws:lambda:eu-west-2:123456789012:function:Stack-HeadOffice-Cd34')!(record('MODIFY', 'Link'))).toBe(true);
  });
});
