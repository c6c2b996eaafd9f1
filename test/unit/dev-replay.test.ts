/** The local stack's replay endpoint, over a registry of fake consumers and jobs, and the CLI's client for it. */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { devReplayRoutes, LocalReplay, type LocalReplayTarget } from '../../local/dev-replay.js';

const post = (app: Hono, body: unknown) =>
  app.request('/dev/failures/replay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

function registry() {
  const calls: Array<{ name: string; event: unknown }> = [];
  const targets: Record<string, LocalReplayTarget> = {
    'registration-watcher': async (event) => {
      calls.push({ name: 'registration-watcher', event });
      return { batchItemFailures: [] };
    },
    'handover-watcher': async (event) => {
      calls.push({ name: 'handover-watcher', event });
      return { batchItemFailures: [{ itemIdentifier: '7' }] };
    },
    'quiet-link-sweep': async (event) => {
      calls.push({ name: 'quiet-link-sweep', event });
      throw Object.assign(new Error('SES said no'), { name: 'MessageRejected' });
    },
  };
  return { calls, app: new Hono().route('/', devReplayRoutes((name) => targets[name])) };
}

let server: ServerType | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('POST /dev/failures/replay', () => {
  it('runs the named consumer with the event and says whether it ran cleanly', async () => {
    const { app, calls } = registry();
    const event = { Records: [{ eventID: '1', dynamodb: { SequenceNumber: '7' } }] };
    expect(await (await post(app, { target: 'registration-watcher', event })).json()).toEqual({ ok: true });
    // Records reported in batchItemFailures failed again, though the handler returned.
    expect(await (await post(app, { target: 'handover-watcher', event })).json()).toEqual({ ok: false, why: expect.stringMatching(/^reported 1 record failed again/) });
    expect(calls).toEqual([
      { name: 'registration-watcher', event },
      { name: 'handover-watcher', event },
    ]);
  });

  it('answers with what a job threw, and runs a job with no event as {}', async () => {
    const { app, calls } = registry();
    const res = await post(app, { target: 'quiet-link-sweep' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: false, why: 'MessageRejected: SES said no' });
    expect(calls).toEqual([{ name: 'quiet-link-sweep', event: {} }]);
  });

  it('refuses a name nothing answers to, and a body without a target, running nothing', async () => {
    const { app, calls } = registry();
    const unknown = await post(app, { target: 'no-such-watcher', event: {} });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, why: 'No local consumer or job named no-such-watcher' });
    expect((await post(app, 'not json')).status).toBe(400);
    expect((await post(app, { event: {} })).status).toBe(400);
    expect(calls).toEqual([]);
  });
});

describe('LocalReplay (the CLI on the local stack)', () => {
  it('posts the target and event to the local stack and returns its outcome', async () => {
    const { app, calls } = registry();
    const url = await new Promise<string>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`));
    });
    const replay = new LocalReplay(url);
    expect(await replay.invoke('registration-watcher', { Records: [] })).toEqual({ ok: true });
    expect(await replay.invoke('quiet-link-sweep', {})).toEqual({ ok: false, why: 'MessageRejected: SES said no' });
    expect(await replay.invoke('nobody', {})).toEqual({ ok: false, why: 'No local consumer or job named nobody' });
    expect(calls.map((c) => c.name)).toEqual(['registration-watcher', 'quiet-link-sweep']);
  });

  it('throws when what answers is not the local stack', async () => {
    const other = new Hono().post('/dev/failures/replay', (c) => c.text('gateway timeout', 504));
    const url = await new Promise<string>((resolve) => {
      server = serve({ fetch: other.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`));
    });
    await expect(new LocalReplay(url).invoke('registration-watcher', {})).rejects.toThrow(/answered 504 without an outcome/);
  });
});
