/**
 * A whole product over a real table, with a recording mail transport, for driving magic
 * links the way people do: register, let the watcher introduce, then follow the links
 * found in the emails.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { PutCommand } from '../../functions/adapters/dynamo/document-client.js';
import { createApp } from '../../functions/api/app.js';
import { eventItem } from '../../functions/adapters/dynamo/items.js';
import { MovableClock } from '../../functions/adapters/clock.js';
import { introduceRegistration } from '../../functions/core/use-cases/introduce-registration.js';
import type { OutgoingEmail } from '../../functions/core/ports.js';
import { apiDeps, mailDeps, storeDeps } from '../../functions/wiring.js';
import { handoverFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { createHandoverWatcher } from '../../functions/watchers/handover-watcher-handler.js';
import { createTestTable } from './dynamo.js';
import { readStream } from './stream.js';
import { anEvent, registrationBody } from './fixtures.js';
import { FixedClock, mailSettings, RecordingTransport } from './memory-ports.js';
import { registerAndConfirm } from './registrations.js';

/** The URLs in a plain-text email, by the label before them ("We're in touch: https://…"). */
export function linksIn(email: OutgoingEmail): Record<string, string> {
  const links: Record<string, string> = {};
  for (const match of email.text.matchAll(/^(.+?): (https?:\/\/\S+)$/gm)) links[match[1]!] ??= match[2]!;
  return links;
}

/** Path and query of a URL, for app.request. */
export const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** Starts on Monday 23 November 2026, 10:00 UTC (inside practice hours, so mail to practices goes at once), unless told otherwise. */
export async function magicLinkWorld(practiceName = 'Riverside Surgery', start = new Date('2026-11-23T10:00:00Z')) {
  const t = await createTestTable();
  await t.doc.send(new PutCommand({ TableName: t.tableName, Item: eventItem(anEvent()) }));
  const clock = new MovableClock(new FixedClock(start));
  const store = storeDeps(t.doc, t.tableName, 'k'.repeat(48), clock);
  const transport = new RecordingTransport();
  const deps = mailDeps(store, { ...mailSettings }, transport);
  const app = createApp(apiDeps(store, { addresses: ['analyst@parkrun.example'] }));
  const registration = await registerAndConfirm(deps, transport.sent, registrationBody({ practiceName }));
  await introduceRegistration(deps, registration);
  const emailTo = (address: string) => {
    const found = [...transport.sent].reverse().find((e) => e.to === address);
    if (!found) throw new Error(`no email to ${address}`);
    return found;
  };
  const form = (fields: Record<string, string> = {}, headers: Record<string, string> = {}) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', 'sec-fetch-site': 'same-origin', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  const post = (url: string, fields?: Record<string, string>, headers?: Record<string, string>) => app.request(`http://localhost${pathOf(url)}`, form(fields, headers));
  const get = (url: string) => app.request(`http://localhost${pathOf(url)}`);
  const link = () => store.partnerships.getLink('A81001', 'bushy');
  /** Runs the hand-over watcher over the stream so far, as Lambda would (twice over the same records is harmless). */
  const watchHandovers = async () => {
    const records = await readStream(t.streams, t.streamArn, handoverFilter);
    const handler = createHandoverWatcher(deps) as unknown as (e: DynamoDBStreamEvent, c: unknown) => Promise<DynamoDBBatchResponse>;
    const { batchItemFailures } = await handler({ Records: records }, {});
    if (batchItemFailures.length) throw new Error(`hand-over watcher failed ${batchItemFailures.length} records`);
  };
  /** The successor asks nothing more than to click: the offer email's accept link, followed with a POST. */
  const acceptHandover = async (successor: string) => {
    await watchHandovers();
    const accept = linksIn(emailTo(successor))['Accept the hand-over'];
    if (!accept) throw new Error(`no hand-over offer to ${successor}`);
    const res = await post(accept);
    await watchHandovers();
    return res;
  };
  return { t, clock, store, deps, app, transport, emailTo, post, get, link, watchHandovers, acceptHandover };
}
