/**
 * The quieter edges of abuse, on DynamoDB Local: the sign-in page makes the same calls and
 * answers the same page whether or not an address is on the head-office list, and an address that has
 * stopped our email gets no fresh link, nor can a link to stop email ask for one.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.js';
import { newFreshLinkRequestFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { createFreshLinkWatcher } from '../../functions/watchers/fresh-link-watcher-handler.js';
import { apiDeps, storeDeps } from '../../functions/wiring.js';
import { localDocumentClient } from '../../local/dynamodb-local.js';
import { ConfiguredAllowlist } from '../../functions/adapters/head-office-allowlist.js';
import { magicLinkWorld, linksIn, pathOf } from '../support/magic-links.js';
import { readStream } from '../support/stream.js';

describe('sign-in requests', () => {
  it('make the same calls to the table and answer the same page for an address on the list and one that is not', async () => {
    const w = await magicLinkWorld();
    const listed = Array.from({ length: 20 }, (_, i) => `analyst${i}@parkrun.example`);
    // What each request asks of the table, in order: the operation and what shapes its cost
    // (keys asked for, conditions, items written), not the values. The time a request takes
    // follows from these; timing the two kinds against each other failed on a busy machine
    // (medians 47 and 152 ms for the same work), so the work itself is compared.
    let calls: string[] = [];
    const shape = (input: Record<string, unknown>) =>
      Object.keys(input)
        .filter((k) => k !== 'TableName' && k !== 'ExpressionAttributeValues' && k !== 'Item' && k !== 'Key')
        .sort()
        .map((k) => (k === 'TransactItems' ? `${k}:${(input[k] as unknown[]).map((i) => Object.keys(i as object)[0]).join('+')}` : typeof input[k] === 'string' ? `${k}=${input[k]}` : k))
        .join(',');
    const doc = localDocumentClient(w.t.endpoint, (call, next) => {
      calls.push(`${call.operation}(${shape(call.input as Record<string, unknown>)})`);
      return next();
    });
    const app = createApp(apiDeps(storeDeps(doc, w.t.tableName, 'k'.repeat(48), w.clock), { addresses: listed }));
    const request = async (email: string) => {
      calls = [];
      const res = await app.request('http://localhost/head-office/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
        body: `email=${encodeURIComponent(email)}`,
      });
      return { status: res.status, page: await res.text(), calls };
    };
    for (let i = 0; i < listed.length; i++) {
      const [on, off] = [await request(listed[i]!), await request(`stranger${i}@example.org`)];
      expect(on.status).toBe(200);
      expect(off.page.replaceAll(`stranger${i}@example.org`, listed[i]!)).toBe(on.page);
      expect(on.calls.length).toBeGreaterThan(0);
      // Before, the listed path made two writes the other skipped: 8.6 ms against 2.8 ms.
      expect(off.calls).toEqual(on.calls);
    }

    // Only the listed addresses get a link: the watcher checks the list.
    const before = w.transport.sent.length;
    const records = await readStream(w.t.streams, w.t.streamArn, newFreshLinkRequestFilter);
    await createFreshLinkWatcher({ ...w.deps, allowlist: new ConfiguredAllowlist({ addresses: listed }, w.clock) })({ Records: records as DynamoDBRecord[] }, {} as never);
    const mailed = new Set(w.transport.sent.slice(before).map((m) => m.to));
    expect(mailed).toEqual(new Set(listed));
  });
});

describe('fresh links', () => {
  const freshLinkPage = (w: Awaited<ReturnType<typeof magicLinkWorld>>, token: string) =>
    w.app.request(`http://localhost/fresh-links/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, body: '' });

  it('are not sent to an address that has stopped all our email, though the page reads the same', async () => {
    const w = await magicLinkWorld();
    const intro = w.emailTo('sarah@parkrun.example');
    const inTouch = linksIn(intro)["We're in touch"]!;
    // Used once, the link offers a fresh one.
    expect((await w.post(inTouch)).status).toBe(200);
    const unsubscribe = intro.headers.find((h) => h.name === 'List-Unsubscribe')!.value.slice(1, -1);
    expect((await w.app.request(`http://localhost${pathOf(unsubscribe)}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);

    const before = (await readStream(w.t.streams, w.t.streamArn, newFreshLinkRequestFilter)).length;
    const res = await freshLinkPage(w, pathOf(inTouch).split('/').pop()!);
    expect(res.status).toBe(202);
    expect(await res.text()).toContain('We are emailing a new link to s••••@parkrun.example');
    expect(await readStream(w.t.streams, w.t.streamArn, newFreshLinkRequestFilter)).toHaveLength(before);
  });

  it('cannot be asked for with a link to stop email', async () => {
    const w = await magicLinkWorld();
    const unsubscribe = w.emailTo('sarah@parkrun.example').headers.find((h) => h.name === 'List-Unsubscribe')!.value.slice(1, -1);
    const res = await freshLinkPage(w, pathOf(unsubscribe).split('/').pop()!);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Links to stop emails are not renewed');
    expect(await readStream(w.t.streams, w.t.streamArn, newFreshLinkRequestFilter)).toEqual([]);
  });
});
