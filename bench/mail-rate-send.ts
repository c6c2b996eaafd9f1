/**
 * The sending half of the mail-rate benchmark, in its own process (the SES mock patches
 * the client class for the whole process): the configuration as the functions load it,
 * and the Mailer and transport chain exactly as functions/wiring.ts builds them for
 * production (RetryingTransport over PacedTransport over SesMailTransport), over the real
 * ledger, opt-out and token adapters on DynamoDB Local. Only SES itself is mocked: each
 * SendEmail takes 50 ms, and the moment each one starts is recorded.
 *
 * Twenty messages go first to warm up, unmeasured. The messages carry no quiet-hours
 * window, so none is held: every one goes through the sending path.
 *
 * Args: endpoint tableName messages senders [rate]. Senders share one Mailer, as the
 * feedback job's concurrent sends do (core/concurrency.ts); 1 is a watcher's one at a time.
 */
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { DocumentClient } from '../functions/adapters/dynamo/document-client.js';
import { mockClient } from 'aws-sdk-client-mock';
import { randomUUID } from 'node:crypto';
import { loadWatcherConfig } from '../functions/config.js';
import { answerLinks, answerUrls } from '../functions/core/magic-links.js';
import { mailDeps, storeDeps } from '../functions/wiring.js';
import { localAwsEnv, localDocumentClient } from '../local/dynamodb-local.js';
import { quietLinkNudge } from '../templates/quiet-link-nudge.js';

const [endpoint, tableName, messagesArg, sendersArg, rateArg] = process.argv.slice(2);
const messages = Number(messagesArg);
const senders = Number(sendersArg);
const sesMs = 50;
const warmUp = 20;

const config = loadWatcherConfig({
  TABLE_NAME: tableName,
  TOKEN_SECRET: 'b'.repeat(48),
  PUBLIC_BASE_URL: 'https://nudges.example.org',
  MAIL_FROM: 'parkrun practice nudges <nudges@example.org>',
  MAIL_REPLY_TO: 'health@example.org',
  // The configured maximum: SEND_RATE_PER_SECOND as set (default 10), or --rate.
  SEND_RATE_PER_SECOND: rateArg || process.env.SEND_RATE_PER_SECOND,
});
const configuredPerSecond = config.mail.sendRatePerSecond;

process.env.AWS_REGION ??= localAwsEnv.AWS_REGION;
const starts: number[] = [];
const ses = mockClient(SESv2Client);
ses.on(SendEmailCommand).callsFake(async () => {
  starts.push(performance.now());
  await new Promise((resolve) => setTimeout(resolve, sesMs));
  return { MessageId: `bench-${starts.length}` };
});

// The real adapters, over a document client that only times its calls: how long the
// mailer's own table work (claim, opt-out check, tokens, markSent) takes per message.
const doc = localDocumentClient(endpoint!);
let dynamoCalls = 0;
let dynamoMs = 0;
const timed = Object.assign(Object.create(doc) as DocumentClient, {
  send: async (command: Parameters<DocumentClient['send']>[0]) => {
    const t = performance.now();
    try {
      return await doc.send(command as never);
    } finally {
      dynamoCalls++;
      dynamoMs += performance.now() - t;
    }
  },
});
const store = storeDeps(timed, config.tableName, 'b'.repeat(48));
// No transport given: mailDeps builds the production chain over a (mocked) SESv2Client.
const { mailer } = mailDeps(store, config.mail);

const run = randomUUID().slice(0, 8);
/** One quiet-link nudge, as the sweep sends it: a claim, an opt-out check, seven tokens, a render, SES, markSent. */
const send = (i: number, key = `bench-rate#${run}#${i}`) => {
  const practiceCode = `B${String(i).padStart(5, '0')}`;
  const id = `${practiceCode}.bushy`;
  return mailer.send({
    idempotencyKey: key,
    kind: 'nudges',
    to: `champion${i}@nhs.example`,
    template: quietLinkNudge,
    links: answerLinks('', id, 'champion', { handOver: true }),
    view: (urls) => ({
      championName: `Champion ${i}`,
      practiceName: `Practice ${i}`,
      eventName: 'Bushy parkrun',
      weeksQuiet: 7,
      secondNudge: false,
      directors: [{ name: 'Sarah Okafor', email: 'sarah@parkrun.example' }],
      nextEventDate: 'Saturday 28 November',
      answers: answerUrls(urls, '', 'Bushy parkrun'),
    }),
    reason: `You get this as the parkrun practice contact for Practice ${i}.`,
    practiceCode,
    eventShortName: 'bushy',
  });
};

// Warm-up, not measured: the SDK's first requests and DynamoDB Local's JIT, as a warm Lambda would be.
for (let i = 0; i < warmUp; i++) await send(i, `bench-warm-up#${run}#${i}`);
starts.length = 0;
dynamoCalls = 0;
dynamoMs = 0;
await new Promise((resolve) => setTimeout(resolve, 1000));

const outcomes: Record<string, number> = {};
const perMessageMs: number[] = [];
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: senders }, async () => {
    while (next < messages) {
      const i = next++;
      const t = performance.now();
      const outcome = await send(i);
      perMessageMs.push(performance.now() - t);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
  }),
);
const wallSeconds = (performance.now() - started) / 1000;

starts.sort((a, b) => a - b);
const first = starts[0]!;
const last = starts[starts.length - 1]!;
// Most sends started in any window [t, t + 1 s): every window that matters starts at a send.
let maxInAnySecond = 0;
let windowsOver = 0;
for (let i = 0, j = 0; i < starts.length; i++) {
  while (j < starts.length && starts[j]! < starts[i]! + 1000) j++;
  maxInAnySecond = Math.max(maxInAnySecond, j - i);
  if (j - i > configuredPerSecond) windowsOver++;
}
const gaps = starts.slice(1).map((s, i) => s - starts[i]!);
const sortedGaps = [...gaps].sort((a, b) => a - b);
const paceGap = 1000 / configuredPerSecond;
const sortedPerMessage = [...perMessageMs].sort((a, b) => a - b);
const seconds = (last - first) / 1000;
console.log(
  JSON.stringify({
    messages: starts.length,
    outcomes,
    configuredPerSecond,
    seconds: Number(seconds.toFixed(2)),
    wallSeconds: Number(wallSeconds.toFixed(2)),
    maxInAnySecond,
    windowsOver,
    minGapMs: Number(sortedGaps[0]!.toFixed(2)),
    medianGapMs: Number(sortedGaps[Math.floor(sortedGaps.length / 2)]!.toFixed(2)),
    // Gaps longer than the pace by over 5 ms: the sender, not the pace, set when the send started.
    gapsOverPaceShare: Number((gaps.filter((g) => g > paceGap + 5).length / gaps.length).toFixed(3)),
    p90GapMs: Number(sortedGaps[Math.floor(sortedGaps.length * 0.9)]!.toFixed(2)),
    maxGapMs: Number(sortedGaps[sortedGaps.length - 1]!.toFixed(2)),
    dynamoCallsPerMessage: Number((dynamoCalls / messages).toFixed(2)),
    dynamoMsPerMessage: Number((dynamoMs / messages).toFixed(1)),
    medianSendMs: Number(sortedPerMessage[Math.floor(sortedPerMessage.length / 2)]!.toFixed(1)),
    sesCalls: ses.commandCalls(SendEmailCommand).length - warmUp,
  }),
);
ses.restore();
