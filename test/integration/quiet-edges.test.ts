/**
 * The quieter edges of abuse, on DynamoDB Local: the sign-in page takes the same path and
 * time whether or not an address is on the head-office list, and an address that has
 * stopped our email gets no fresh link, nor can a link to stop email ask for one.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.js';
import { newFreshLinkRequestFilter } from '../../functions/adapters/dynamo/stream-filters.js';
import { createFreshLinkWatcher } from '../../functions/watchers/fresh-link-watcher-handler.js';
import { apiDeps } from '../../functions/wiring.js';
import { ConfiguredAllowlist } from '../../functions/adapters/head-office-allowlist.js';
import { magicLinkWorld, linksIn, pathOf } from '../support/magic-links.js';
import { readStream } from '../support/stream.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('sign-in requests', () => {
  it('take the same time for an address on the list and one that is not, within noise, over 50 of each', async () => {
    const w = await magicLinkWorld();
    const listed = Array.from({ length: 50 }, (_, i) => `analyst${i}@parkrun.example`);
    const app = createApp(apiDeps(w.store, { addresses: listed }));
    const time = async (email: string) => {
      const started = performance.now();
      const res = await app.request('http://localhost/head-office/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
        body: `email=${encodeURIComponent(email)}`,
      });
      await res.text();
      return performance.now() - started;
    };
    // Warm up, then alternate the two kinds, so whatever else the machine does falls on both alike.
    for (let i = 0; i < 5; i++) await time(`warm${i}@example.org`);
    const onList: number[] = [];
    const offList: number[] = [];
    for (let i = 0; i < 50; i++) {
      onList.push(await time(listed[i]!));
      offList.push(await time(`stranger${i}@example.org`));
    }
    const [a, b] = [median(onList), median(offList)];
    // Before, the listed path did two writes the other skipped: 8.6 ms against 2.8 ms (three times).
    expect(Math.abs(a - b), `medians ${a.toFixed(2)} ms and ${b.toFixed(2)} ms`).toBeLessThanOrEqual(Math.max(3, 0.5 * Math.min(a, b)));

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
