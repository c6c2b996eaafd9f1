/**
 * A reply by email meeting faults, through the real reply receiver (SES's receipt event, the
 * stored message, the parser, the use case) on DynamoDB Local: DynamoDB refusing calls, SES
 * refusing sends, the stored message unreadable for a while, the Lambda killed at any point,
 * and two instances taking the same message at once. The receiver throws on a fault, so
 * Lambda invokes it again (each time on whichever instance, minutes later); once it has gone
 * through, the other side has the relay once, the link has the contact once, and the table
 * is what a clean run leaves.
 */
import type { SESEvent } from 'aws-lambda';
import { describe, it, vi } from 'vitest';
import { eventItem, linkItem, practiceItem } from '../../functions/adapters/dynamo/items.js';
import { replyAddressDays } from '../../functions/core/magic-links.js';
import { replyAddress } from '../../functions/core/policies/reply-address.js';
import type { MailTransport, OutgoingEmail } from '../../functions/core/ports.js';
import { mailDeps, storeDeps } from '../../functions/wiring.js';
import { createReplyReceiver } from '../../functions/watchers/reply-receiver-handler.js';
import { anEvent } from '../support/fixtures.js';
import { aLink, aPractice } from '../support/sweep-world.js';
import { MovableClock } from '../../functions/adapters/clock.js';
import { FixedClock, mailSettings } from '../support/memory-ports.js';
import { createTestTable } from '../support/dynamo.js';
import {
  aFifthRefused,
  expectSameAsClean,
  everyNth,
  FaultyDynamo,
  inboxLines,
  isMarkSent,
  killed,
  ledger,
  MockSes,
  once,
  Outbox,
  putItems,
  rerunAfterMs,
  seededRate,
  snapshot,
  tokenSecret,
  type DynamoCall,
  type Provider,
} from './support.js';

vi.setConfig({ testTimeout: 180_000 });

const receivedAt = new Date('2026-12-01T10:00:00Z');
const day = 86_400_000;
const domain = 'reply.parkrun-practice.example';
const director = 'sarah@parkrun.example';
const words = 'Lovely to hear from you, come and say hello at the finish funnel on Saturday.';

/** Bushy parkrun and Practice A00001, last in touch 50 days ago. */
const seed = () => [eventItem(anEvent()), practiceItem(aPractice('A00001'), new Date(receivedAt.getTime() - 200 * day).toISOString()), linkItem(aLink('A00001', 'bushy', receivedAt, 50))];

function rawReply(to: string): Buffer {
  return Buffer.from(
    [
      `From: Sarah Okafor <${director}>`,
      `To: ${to}`,
      'Subject: Re: Practice A00001 and Bushy parkrun: time to say hello',
      'Message-ID: <CAF1x2y3z4@mail.parkrun.example>',
      'Date: Tue, 01 Dec 2026 09:59:58 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      words,
      '',
      'On Tue, 1 Dec 2026 at 09:00, parkrun practice nudges <nudges@parkrun-practice.example> wrote:',
      '> Time to say hello?',
      '',
    ].join('\r\n'),
  );
}

function sesEvent(to: string): SESEvent {
  const verdict = { status: 'PASS' };
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: { messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g81', timestamp: receivedAt.toISOString(), destination: [to] },
          receipt: { timestamp: receivedAt.toISOString(), recipients: [to], spfVerdict: verdict, dkimVerdict: verdict, spamVerdict: verdict, virusVerdict: verdict },
        },
      },
    ],
  } as unknown as SESEvent;
}

interface Faults {
  /** Sets up each new instance's faults; `attempt` is the invocation, 0 first. */
  instance?: (dynamo: FaultyDynamo, attempt: number) => void;
  /** The stored message cannot be read on these invocations. */
  unreadable?: (attempt: number) => boolean;
}

/**
 * The director's reply address for the link, issued as the nudge's was; then the receipt
 * invoked as Lambda does, again after each failure, each time on a new instance, until an
 * invocation goes through.
 */
async function replied(provider: Provider, faults: Faults = {}, maxInvocations = 12) {
  const t = await createTestTable();
  await putItems(t.doc, t.tableName, seed());
  const clock = new MovableClock(new FixedClock(receivedAt));
  const mail = { ...mailSettings, replyDomain: domain };
  const setup = storeDeps(t.doc, t.tableName, tokenSecret, clock);
  const token = await setup.tokens.issue(
    { purpose: 'reply', subject: 'A00001.bushy', recipient: director, role: 'event-director', detail: { kind: 'nudges' }, expiresAt: new Date(receivedAt.getTime() + replyAddressDays * day) },
    clock.now(),
  );
  const to = replyAddress(token, domain);
  const invoke = (attempt: number) => {
    const dynamo = new FaultyDynamo(t.endpoint);
    faults.instance?.(dynamo, attempt);
    const wire = provider.transport();
    // A killed instance sends nothing more either.
    const transport: MailTransport = {
      send: async (email: OutgoingEmail) => {
        if (dynamo.killed) throw killed();
        return wire.send(email);
      },
    };
    const deps = mailDeps(storeDeps(dynamo.doc, t.tableName, tokenSecret, clock), mail, transport);
    const receiver = createReplyReceiver({
      ...deps,
      replyDomain: domain,
      headOfficeEmail: mail.replyTo,
      objectPrefix: 'replies/',
      messages: {
        read: async (key) => {
          if (faults.unreadable?.(attempt)) throw Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalError' });
          if (key !== 'replies/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g81') throw new Error(`no such object ${key}`);
          return rawReply(to);
        },
      },
    });
    return receiver(sesEvent(to), {} as never);
  };
  const failures: string[] = [];
  for (let attempt = 0; ; attempt++) {
    if (attempt >= maxInvocations) throw new Error(`The reply did not go through in ${maxInvocations} invocations: ${failures.join('; ')}`);
    // Lambda's retries of an event invocation come a minute or more later; the failure replay, later still.
    if (attempt > 0) clock.advance(rerunAfterMs);
    try {
      await invoke(attempt);
      break;
    } catch (error) {
      failures.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
  }
  const items = await snapshot(t.doc, t.tableName);
  // The relay limit's window is keyed by the reply address's hash, a new one in each world.
  items.items = items.items.map((item) => item.replace(/RATE#reply#[A-Za-z0-9_-]+/, 'RATE#reply#<address>'));
  return { inbox: inboxLines(provider.accepted), ledger: await ledger(t.doc, t.tableName), snapshot: items, failures, relayed: provider.accepted };
}

/** The reply received with nothing going wrong. */
const cleanReply = once(() => replied(new Outbox()));

describe.concurrent('a reply by email, received cleanly', () => {
  it('relays the new words to the champion once and records the contact, so the faults below have something to repeat', async ({ expect }) => {
    const clean = await cleanReply();
    expect(clean.failures).toEqual([]);
    expect(clean.inbox).toEqual(['a00001@nhs.example | Sarah Okafor (Bushy parkrun) replied']);
    expect(clean.relayed[0]!.text).toContain(words);
    expect(clean.relayed[0]!.text).not.toContain('Time to say hello?');
    expect(clean.snapshot.items.filter((i) => i.includes('"type":"contact"'))).toHaveLength(1);
    expect(clean.snapshot.items.find((i) => i.includes('"entityType":"Link"'))).toContain('"lastContactHow":"email-reply"');
  });
});

describe.concurrent('a reply meeting faults', () => {
  it('with DynamoDB refusing a quarter of calls, SES a fifth of sends, and the stored message unreadable at first: retried until it goes through, relayed once, the same table', async ({ expect }) => {
    const ses = new MockSes();
    ses.refuse = aFifthRefused;
    const [clean, faulty] = await Promise.all([
      cleanReply(),
      // Refusals past the SDK's own retries: early in the second invocation, later in the
      // third, then a quarter of calls at random until one goes through.
      replied(ses, { instance: (dynamo, attempt) => (dynamo.fault = attempt === 1 ? everyNth(2) : attempt === 2 ? everyNth(5) : seededRate(0.25, attempt)), unreadable: (attempt) => attempt === 0 }, 30),
    ]);
    // The faults happened, and made the receiver throw for Lambda to retry.
    expect(faulty.failures.length).toBeGreaterThanOrEqual(3);
    expect(faulty.failures[0]).toContain('InternalError');
    expectSameAsClean(expect, faulty, clean);
  });

  it('with the Lambda killed just before each of its DynamoDB calls in turn: the retry relays nothing twice and leaves the same table', async ({ expect }) => {
    const clean = await cleanReply();
    // A clean invocation's calls are the points it may die at; but not the ledger's "sent"
    // mark, just after SES accepted the relay: the one window the mailer documents (SES takes
    // no idempotency key), where a second copy is allowed (killed-job.test.ts says more).
    const calls: DynamoCall[] = [];
    await replied(new Outbox(), { instance: (dynamo) => (dynamo.done = (call) => void calls.push(call)) });
    const points = calls.filter((call) => !isMarkSent(call)).map((call) => call.n);
    expect(points.length).toBeGreaterThan(3);
    expect(points.length).toBe(calls.length - 1);
    const runs = await Promise.all(
      points.map((at) =>
        replied(new Outbox(), {
          instance: (dynamo, attempt) => {
            if (attempt === 0) dynamo.fault = (call) => (call.n === at ? ((dynamo.killed = true), killed()) : undefined);
          },
        }).then((run) => ({ at, run })),
      ),
    );
    for (const { at, run } of runs) {
      expect(run.failures, `killed at call ${at}`).toHaveLength(1);
      expect(run.inbox, `killed at call ${at}`).toEqual(clean.inbox);
      expect(run.snapshot, `killed at call ${at}`).toEqual(clean.snapshot);
      expect(run.ledger, `killed at call ${at}`).toEqual(clean.ledger);
    }
  });
});
