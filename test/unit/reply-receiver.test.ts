/**
 * The reply receiver (watchers/reply-receiver-handler.ts) on the in-memory ports: SES's
 * receipt event (test/events/ses/reply-received.json) becomes the envelope, the stored
 * message is read from `<prefix><messageId>`, the reply is relayed, the log says how it went
 * without a word of it, and a failure is thrown for Lambda to retry. And the S3 adapter's
 * exact command.
 */
import { readFileSync } from 'node:fs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { S3MessageStore } from '../../functions/adapters/s3-message-store.js';
import { log } from '../../functions/log.js';
import { loadReplyReceiverSettings } from '../../functions/config.js';
import { createReplyReceiver, envelopeOf, type ReceivedMessages } from '../../functions/watchers/reply-receiver-handler.js';
import { replyChampion, replyDomain, replyWorld } from '../support/reply-world.js';

const monday = new Date('2026-11-23T10:00:00Z');
const domain = replyDomain;
const champion = replyChampion;
const words = 'Come and say hello at the finish funnel.';

/** A fresh copy of the fixture for each test: nothing one test changes reaches another. */
const sesEvent = (): SESEvent => JSON.parse(readFileSync(new URL('../events/ses/reply-received.json', import.meta.url), 'utf8')) as SESEvent;

function rawReply(to: string, from = 'sarah@parkrun.example'): Buffer {
  return Buffer.from(
    [
      `From: Sarah Okafor <${from}>`,
      `To: ${to}`,
      'Subject: Re: An introduction',
      'Message-ID: <CAF1x2y3z4@mail.parkrun.example>',
      'Date: Mon, 23 Nov 2026 09:59:58 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      words,
      '',
      'On Mon, 23 Nov 2026 at 09:00, parkrun practice nudges <nudges@parkrun-practice.example> wrote:',
      '> An earlier email',
      '',
    ].join('\r\n'),
  );
}

class FakeMessages implements ReceivedMessages {
  readonly objects = new Map<string, Buffer>();
  readonly reads: string[] = [];
  async read(key: string): Promise<Buffer> {
    this.reads.push(key);
    const object = this.objects.get(key);
    if (!object) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return object;
  }
}

async function world() {
  const { deps, director, address: addressFor, stored } = replyWorld(monday);
  const address = await addressFor('event-director');
  const messages = new FakeMessages();
  const receiver = createReplyReceiver({ ...deps, replyDomain: domain, headOfficeEmail: 'health@parkrun-practice.example', messages, objectPrefix: 'replies/' });
  /** SES's event for a message to `to`, stored under its id. */
  const received = (to = address, raw = rawReply(to)) => {
    const ses = sesEvent();
    const record = ses.Records[0]!.ses;
    record.receipt.recipients = [to];
    messages.objects.set(`replies/${record.mail.messageId}`, raw);
    return ses;
  };
  const invoke = (ses: SESEvent) => receiver(ses, {} as never);
  return { deps, director, address, messages, received, invoke, stored };
}

describe('the envelope, from SES’s receipt', () => {
  it('is the receipt’s recipients, its time and its four verdicts; the message id names the stored object', () => {
    expect(envelopeOf(sesEvent().Records[0])).toEqual({
      messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g81',
      envelope: {
        recipients: ['reply+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@reply.parkrun-practice.example'],
        receivedAt: new Date('2026-11-23T10:00:00.000Z'),
        verdicts: { spf: 'PASS', dkim: 'GRAY', spam: 'PASS', virus: 'PASS' },
      },
    });
  });

  it('refuses a record without a receipt, without recipients, or whose message id could name another key', () => {
    const record = () => sesEvent().Records[0]!;
    const noReceipt = record() as any;
    delete noReceipt.ses.receipt;
    expect(() => envelopeOf(noReceipt)).toThrow();
    const noRecipients = record();
    noRecipients.ses.receipt.recipients = [];
    expect(() => envelopeOf(noRecipients)).toThrow();
    for (const id of ['../other/key', 'a/b', '', '.hidden']) {
      const bad = record();
      bad.ses.mail.messageId = id;
      expect(() => envelopeOf(bad), id).toThrow();
    }
    const noVerdict = record() as any;
    delete noVerdict.ses.receipt.spamVerdict;
    expect(() => envelopeOf(noVerdict)).toThrow();
  });
});

describe('the reply receiver', () => {
  let logged: unknown[][];
  beforeEach(() => {
    logged = [];
    vi.spyOn(log, 'info').mockImplementation((...args) => void logged.push(args));
    vi.spyOn(log, 'warn').mockImplementation((...args) => void logged.push(args));
    vi.spyOn(log, 'error').mockImplementation((...args) => void logged.push(args));
  });
  afterEach(() => vi.restoreAllMocks());

  it('reads the stored message under the prefix and relays its new words to the other side, counting the contact at SES’s receipt time', async () => {
    const w = await world();
    await w.invoke(w.received());
    expect(w.messages.reads).toEqual(['replies/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g81']);
    const [relayed, ...more] = w.deps.transport.sent;
    expect(more).toEqual([]);
    expect(relayed!.to).toBe(champion);
    expect(relayed!.text).toContain(words);
    // The quoted history stays behind.
    expect(relayed!.text).not.toContain('An earlier email');
    expect(w.stored()).toMatchObject({ lastContactAt: '2026-11-23T10:00:00.000Z', lastContactBy: 'event' });
  });

  it('logs the outcome, the message id and the verdicts, and never a word, a subject or an address of the message', async () => {
    const w = await world();
    await w.invoke(w.received());
    expect(logged).toEqual([
      [
        'Reply received',
        {
          messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g81',
          sizeBytes: expect.any(Number),
          verdicts: { spf: 'PASS', dkim: 'GRAY', spam: 'PASS', virus: 'PASS' },
          outcome: 'relayed',
          relayedTo: 1,
          contactRecorded: true,
        },
      ],
    ]);
    const text = JSON.stringify(logged);
    for (const secret of ['finish funnel', 'introduction', 'sarah@', champion, w.address, 'reply+']) expect(text).not.toContain(secret);
  });

  it('passes SES’s verdicts on: a message SES marks as a virus is read but nothing is relayed or recorded', async () => {
    const w = await world();
    const ses = w.received();
    ses.Records[0]!.ses.receipt.virusVerdict.status = 'FAIL';
    const before = w.stored();
    await w.invoke(ses);
    expect(w.deps.transport.sent).toEqual([]);
    expect(w.stored()).toEqual(before);
    expect(logged[0]![1]).toMatchObject({ outcome: 'ignored', reason: 'spam-or-virus' });
  });

  it('sends nothing twice when SES or Lambda delivers the same message again', async () => {
    const w = await world();
    await w.invoke(w.received());
    await w.invoke(w.received());
    expect(w.deps.transport.sent).toHaveLength(1);
    expect(logged[1]![1]).toMatchObject({ outcome: 'relayed', contactRecorded: false });
  });

  it('throws when the stored message cannot be read, so Lambda retries it and then keeps it as a failure', async () => {
    const w = await world();
    const ses = w.received();
    w.messages.objects.clear();
    await expect(w.invoke(ses)).rejects.toThrow(/does not exist/);
    expect(w.deps.transport.sent).toEqual([]);
    expect(logged).toEqual([['Reply not handled; Lambda will retry it', expect.any(Error), { messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g81' }]]);
  });

  it('throws on a malformed record, reading nothing', async () => {
    const w = await world();
    const ses = w.received();
    ses.Records[0]!.ses.mail.messageId = '../elsewhere';
    await expect(w.invoke(ses)).rejects.toThrow();
    expect(w.messages.reads).toEqual([]);
  });
});

describe('its settings', () => {
  const env = { REPLY_BUCKET: 'parkrunpracticenudges-repliesmessages-1a2b3c', REPLY_OBJECT_PREFIX: 'replies/' };

  it('are the bucket, the prefix and the reply domain, and it fails at start without any of them', () => {
    expect(loadReplyReceiverSettings(env, domain)).toEqual({ bucket: env.REPLY_BUCKET, objectPrefix: 'replies/', replyDomain: domain });
    expect(() => loadReplyReceiverSettings(env, undefined)).toThrow(/MAIL_REPLY_DOMAIN: required/);
    expect(() => loadReplyReceiverSettings({ ...env, REPLY_BUCKET: undefined }, domain)).toThrow(/REPLY_BUCKET/);
    expect(() => loadReplyReceiverSettings({ ...env, REPLY_OBJECT_PREFIX: 'replies' }, domain)).toThrow(/REPLY_OBJECT_PREFIX/);
  });
});

describe('the S3 message store', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());

  it('gets the one object, by bucket and key, and hands back its bytes', async () => {
    const bytes = rawReply('reply+x@reply.parkrun-practice.example');
    s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => new Uint8Array(bytes) } as never });
    const store = new S3MessageStore('replies-bucket', { region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    expect((await store.read('replies/abc')).equals(bytes)).toBe(true);
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toEqual([{ Bucket: 'replies-bucket', Key: 'replies/abc' }]);
  });

  it('lets an error through: the receiver throws it for Lambda to retry', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const store = new S3MessageStore('replies-bucket', { region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await expect(store.read('replies/abc')).rejects.toThrow(/Access Denied/);
  });
});
