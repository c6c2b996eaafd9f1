import { PutCommand } from '../../functions/adapters/dynamo/document-client.js';
import type { HeldMessage } from '../../functions/core/ports.js';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.js';
import { eventItem } from '../../functions/adapters/dynamo/items.js';
import { newRegistrationFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { createRegistrationWatcher } from '../../functions/watchers/registration-watcher-handler.js';
import { apiDeps, mailDeps, storeDeps } from '../../functions/wiring.js';
import { createTestTable } from '../support/dynamo.js';
import { loadEvent } from '../support/events.js';
import { anEvent, registrationBody } from '../support/fixtures.js';
import { FixedClock, mailSettings, RecordingTransport } from '../support/memory-ports.js';
import { readStream } from '../support/stream.js';
import { confirmationIn, isConfirmationRequest } from '../support/registrations.js';

/** A fresh table per test: each test reads the whole stream and must see only its own records. */
async function setup() {
  const t = await createTestTable();
  for (const e of [anEvent(), anEvent({ shortName: 'colwick', name: 'Colwick parkrun', eventDirectors: [{ name: 'Helen Foster', email: 'helen@parkrun.example' }] })]) {
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: eventItem(e) }));
  }
  const store = storeDeps(t.doc, t.tableName, 'k'.repeat(48), new FixedClock(new Date('2026-11-23T10:00:00Z')));
  const transport = new RecordingTransport();
  const deps = mailDeps(store, { ...mailSettings }, transport);
  const watcher = createRegistrationWatcher(deps);
  const app = createApp(apiDeps(store, { addresses: ['analyst@parkrun.example'] }));
  const entityOf = (r: DynamoDBRecord) => (r.dynamodb?.NewImage as Record<string, { S?: string }> | undefined)?.entityType?.S;
  const invoke = (event: DynamoDBStreamEvent) => watcher(structuredClone(event), {} as never);
  const asked = new Set<string>();
  /** Registers, lets the watcher ask the champion, and, unless told not to, confirms from the email, as the champion would. */
  const register = async (body: Record<string, unknown> = {}, options: { confirm?: boolean } = {}) => {
    const response = await app.request('/api/registrations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(registrationBody(body)) });
    const pending = (await readStream(t.streams, t.streamArn, newRegistrationFilter)).filter((r) => entityOf(r) === 'PendingRegistration' && !asked.has(r.eventID!));
    pending.forEach((r) => asked.add(r.eventID!));
    expect(await invoke({ Records: pending })).toEqual({ batchItemFailures: [] });
    if (options.confirm !== false) {
      for (const request of transport.sent.filter(isConfirmationRequest)) {
        const { registrationId, token } = confirmationIn(request);
        await app.request(`/registrations/${registrationId}/confirm/${token}`, { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } });
      }
    }
    return response;
  };
  /** The confirmed registrations on the stream: what the introductions follow from. */
  const newRegistrations = async (): Promise<DynamoDBStreamEvent> => ({ Records: (await readStream(t.streams, t.streamArn, newRegistrationFilter)).filter((r) => entityOf(r) === 'Registration') });
  return { t, store, transport, register, newRegistrations, invoke };
}

/** Who got an introduction (the confirmation requests, asked for by the form, aside). */
const recipients = (transport: RecordingTransport) => transport.sent.filter((e) => !isConfirmationRequest(e)).map((e) => e.to).sort();

let s: Awaited<ReturnType<typeof setup>>;
beforeEach(async () => {
  s = await setup();
});

describe('registration watcher on DynamoDB Local', () => {
  it('asks only the champion the form named to confirm, and introduces nobody until they do', async () => {
    expect((await s.register({}, { confirm: false })).status).toBe(201);
    expect(s.transport.sent.map((e) => [e.to, e.subject])).toEqual([['jane.smith@nhs.example', 'Confirm your parkrun practice registration']]);
    expect((await s.newRegistrations()).Records).toEqual([]);
    expect(await s.store.partnerships.getPractice('A81001')).toBeUndefined();
    expect(await s.store.partnerships.getLink('A81001', 'bushy')).toBeUndefined();
    // The same record delivered again asks once.
    const again = (await readStream(s.t.streams, s.t.streamArn, newRegistrationFilter)).filter((r) => (r.dynamodb?.NewImage as Record<string, { S?: string }>).entityType?.S === 'PendingRegistration');
    expect(await s.invoke({ Records: again })).toEqual({ batchItemFailures: [] });
    expect(s.transport.sent).toHaveLength(1);
  });

  it('sees only new registrations on the stream, and introduces both sides', async () => {
    expect((await s.register()).status).toBe(201);
    const all = await readStream(s.t.streams, s.t.streamArn);
    const batch = await s.newRegistrations();
    expect(all.length).toBeGreaterThan(batch.Records.length);
    expect(batch.Records).toHaveLength(1);
    expect(await s.invoke(batch)).toEqual({ batchItemFailures: [] });
    expect(recipients(s.transport)).toEqual(['jane.smith@nhs.example', 'sarah@parkrun.example', 'tom@parkrun.example']);
    expect(await s.store.partnerships.getLink('A81001', 'bushy')).toMatchObject({ status: 'introduced' });
  });

  it('sends each email once when the same batch is delivered twice', async () => {
    await s.register({ events: ['bushy', 'colwick'] });
    const batch = await s.newRegistrations();
    await s.invoke(batch);
    expect(await s.invoke(batch)).toEqual({ batchItemFailures: [] });
    expect(recipients(s.transport)).toEqual(['helen@parkrun.example', 'jane.smith@nhs.example', 'sarah@parkrun.example', 'tom@parkrun.example']);
  });

  it('sends each email once when two watchers race on the same batch', async () => {
    await s.register();
    await s.register({ practiceCode: 'B82002', practiceName: 'Lea Bridge Practice', champion: { name: 'Ann Lee', role: 'Practice nurse', email: 'ann@nhs.example' } });
    const batch = await s.newRegistrations();
    const responses = await Promise.all([s.invoke(batch), s.invoke(batch)]);
    // A watcher that met the other's send lease reports those records; Lambda redelivers them.
    for (const response of responses) {
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      if (failed.size > 0) {
        const retry = { Records: batch.Records.filter((r) => failed.has(r.dynamodb?.SequenceNumber ?? '')) };
        expect(await s.invoke(retry)).toEqual({ batchItemFailures: [] });
      }
    }
    // Each director's second introduction in the week waits for their budget (policies/mail-budget.ts), held once.
    expect(recipients(s.transport)).toEqual(['ann@nhs.example', 'jane.smith@nhs.example', 'sarah@parkrun.example', 'tom@parkrun.example']);
    expect(new Set(s.transport.sent.map((e) => `${e.to}|${e.subject}`)).size).toBe(s.transport.sent.length);
    const held: HeldMessage[] = [];
    for await (const page of s.store.held.due(new Date('2100-01-01T00:00:00Z'))) held.push(...page);
    expect(held.map((m) => m.to).sort()).toEqual(['sarah@parkrun.example', 'tom@parkrun.example']);
    expect(held.every((m) => m.template === 'intro-event-team' && m.unasked)).toBe(true);
  });

  it('reports only the record that failed, and still introduces the others', async () => {
    await s.register();
    const good = (await s.newRegistrations()).Records[0]!;
    const poison = loadEvent<DynamoDBStreamEvent>('dynamodb', 'registration-insert').Records[0] as DynamoDBRecord;
    delete (poison.dynamodb!.NewImage as Record<string, unknown>).eventShortNames;
    const response = await s.invoke({ Records: [poison, good] });
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.dynamodb!.SequenceNumber }] });
    expect(recipients(s.transport)).toEqual(['jane.smith@nhs.example', 'sarah@parkrun.example', 'tom@parkrun.example']);
  });

  it('rides out brief SES throttling within the send', async () => {
    await s.register();
    const batch = await s.newRegistrations();
    s.transport.failNext = 2;
    expect(await s.invoke(batch)).toEqual({ batchItemFailures: [] });
    expect(recipients(s.transport)).toEqual(['jane.smith@nhs.example', 'sarah@parkrun.example', 'tom@parkrun.example']);
  });

  it('loses nothing when mail stays throttled: the record is retried and finishes the job', async () => {
    await s.register();
    const batch = await s.newRegistrations();
    // The three introductions go out side by side, each tried four times: every try throttled.
    s.transport.failNext = 12;
    const first = await s.invoke(batch);
    expect(first.batchItemFailures).toHaveLength(1);
    expect(await s.invoke(batch)).toEqual({ batchItemFailures: [] });
    expect(recipients(s.transport)).toEqual(['jane.smith@nhs.example', 'sarah@parkrun.example', 'tom@parkrun.example']);
  });

  it('handles the recorded Lambda event fixture', async () => {
    const response = await s.invoke(loadEvent<DynamoDBStreamEvent>('dynamodb', 'registration-insert'));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(recipients(s.transport)).toEqual(['jane.smith@nhs.example', 'sarah@parkrun.example', 'tom@parkrun.example']);
    // The fixture's registration was never written through the API, so the watcher creates its link.
    expect(await s.store.partnerships.getLink('A81001', 'bushy')).toMatchObject({ status: 'introduced', registrationId: '7f1d1a52-6c1f-4d7e-9a43-0f0d8f4b2a10' });
  });
});
