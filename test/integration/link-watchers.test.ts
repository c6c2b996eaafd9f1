/** The hand-over and fresh-link watchers, fed real stream records from DynamoDB Local. */
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { newFreshLinkRequestFilter, handoverFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { createFreshLinkWatcher } from '../../functions/watchers/fresh-link-watcher-handler.js';
import { createHandoverWatcher } from '../../functions/watchers/handover-watcher-handler.js';
import { linksIn, magicLinkWorld } from '../support/magic-links.js';
import { readStream } from '../support/stream.js';
import { analystOnly } from '../support/memory-ports.js';

const invokeTwice = async (handler: (e: DynamoDBStreamEvent, c: never) => Promise<unknown>, event: DynamoDBStreamEvent) => [
  await handler(structuredClone(event), {} as never),
  await handler(structuredClone(event), {} as never),
];

describe('hand-over watcher', () => {
  it('asks the successor once, then on accepting welcomes them once, with their own working links and the event team’s contacts', async () => {
    const w = await magicLinkWorld();
    const handOver = linksIn(w.emailTo('jane.smith@nhs.example'))['Someone else at the practice should be the contact? Hand over to them']!;
    expect((await w.post(handOver, { name: 'Nadia Rahman', role: 'Practice nurse', email: 'nadia@nhs.example' })).status).toBe(200);

    const offered = await readStream(w.t.streams, w.t.streamArn, handoverFilter);
    expect(offered).toHaveLength(1);
    expect(await invokeTwice(createHandoverWatcher(w.deps), { Records: offered })).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    const asks = w.transport.sent.filter((e) => e.to === 'nadia@nhs.example');
    expect(asks.map((e) => e.subject)).toEqual(['Dr Jane Smith would like to hand over to you']);
    // The offer carries one link, to accept: none of the link's answers until they have.
    expect(Object.keys(linksIn(asks[0]!)).filter((label) => !label.startsWith('Choose which emails you get'))).toEqual(['Accept the hand-over']);
    expect(asks[0]!.text).not.toContain('sarah@parkrun.example');

    expect((await w.post(linksIn(asks[0]!)['Accept the hand-over']!)).status).toBe(200);
    const accepted = (await readStream(w.t.streams, w.t.streamArn, handoverFilter)).slice(1);
    expect(accepted.map((r) => r.eventName)).toEqual(['MODIFY']);
    expect(await invokeTwice(createHandoverWatcher(w.deps), { Records: accepted })).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);

    const welcomes = w.transport.sent.filter((e) => e.to === 'nadia@nhs.example').slice(1);
    expect(welcomes).toHaveLength(1);
    expect(welcomes[0]!.subject).toBe('Dr Jane Smith has handed over to you: the parkrun practice contact for Riverside Surgery');
    expect(welcomes[0]!.text).toContain('Event director Sarah Okafor: sarah@parkrun.example');
    const res = await w.post(linksIn(welcomes[0]!)["We're in touch"]!, {});
    expect(res.status).toBe(200);
    expect((await w.link())?.lastContactBy).toBe('practice');
  });
});

describe('fresh-link watcher', () => {
  it('mails the new link once, and it works where the old one did not', async () => {
    const w = await magicLinkWorld();
    const old = linksIn(w.emailTo('sarah@parkrun.example'))['Record what you have done or planned']!;
    w.clock.advance(15 * 86_400_000);
    expect((await w.get(old)).status).toBe(410);
    expect((await w.post(`http://localhost/fresh-links/${old.split('/').pop()}`)).status).toBe(202);

    const records = await readStream(w.t.streams, w.t.streamArn, newFreshLinkRequestFilter);
    await invokeTwice(createFreshLinkWatcher({ ...w.deps, allowlist: analystOnly }), { Records: records });
    const fresh = w.transport.sent.filter((e) => e.subject === 'Your new link: Record what you have done or planned');
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.to).toBe('sarah@parkrun.example');
    const url = linksIn(fresh[0]!)['Record what you have done or planned']!;
    expect(url).not.toBe(old);
    expect((await w.get(url)).status).toBe(200);
    expect((await w.post(url, { 'event-comms': 'done' })).status).toBe(200);
  });
});
