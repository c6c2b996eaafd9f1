/**
 * Least privilege that cannot drift from the code: every call each function makes to the
 * table, as it goes on the wire through a whole story on DynamoDB Local (every watcher,
 * job, reminder, the API, the bounce handler, the reply receiver and the failure keeper), is one infra/table-access.ts grants it,
 * and, for DeleteItem and BatchWriteItem, on an item under the key prefixes it names. The
 * infra test pins the synthesised policies to the same declaration.
 */
import { describe, expect, it } from 'vitest';
import { handleMailFeedback } from '../../functions/core/use-cases/mail-feedback.js';
import { releaseHeldMail } from '../../functions/core/use-cases/held-mail.js';
import { runFeedbackAsks } from '../../functions/core/use-cases/attendance-feedback.js';
import { receiveReply } from '../../functions/core/use-cases/email-reply.js';
import { replyAddress } from '../../functions/core/policies/reply-address.js';
import { actionsOf, tableAccess, type FunctionName } from '../../infra/table-access.js';
import { storyWorld } from '../faults/story.js';
import { Outbox } from '../faults/support.js';
import { asFunction, observingHook, recordInto, type AuthorisedAction } from '../support/table-calls.js';
import { readFileSync } from 'node:fs';
import type { SQSEvent } from 'aws-lambda';
import { failureKeeperDeps } from '../../functions/failure-wiring.js';
import { createFailureKeeper } from '../../functions/watchers/failure-keeper-handler.js';
import { localDocumentClient } from '../../local/dynamodb-local.js';

/** What the grant does not cover, one line per kind of call, or nothing. */
function beyondGrant(calls: AuthorisedAction[]): string[] {
  const refused = calls.filter(({ fn, action, pk }) => {
    const access = tableAccess[fn];
    if (!actionsOf(access).includes(action)) return true;
    if (action === 'DeleteItem') return !access.deletesUnder.some((prefix) => pk?.startsWith(prefix));
    if (action === 'BatchWriteItem') return !access.batchWritesUnder.some((prefix) => pk?.startsWith(prefix));
    return false;
  });
  return [...new Set(refused.map(({ fn, action, pk }) => `${fn} ${action} ${pk?.split('#')[0] ?? ''}#`))];
}

describe('table grants', () => {
  it("hold every call every function makes through a whole story: the item's action, and its key prefix where the grant names one", async () => {
    const calls: AuthorisedAction[] = [];
    const w = await storyWorld({ provider: new Outbox(), observe: recordInto(calls) });
    await w.tell();
    // What the story wakes no function for: a bounce (late on a Friday, so the mail it
    // causes is held for the morning), the held-mail job, and the monthly feedback asks.
    w.at('2027-01-08T22:30:00Z');
    await asFunction('mailFeedback', () =>
      handleMailFeedback({ ...w.deps, headOfficeEmail: 'analyst@parkrun.example' }, { kind: 'bounce', permanent: true, recipients: ['nadia@nhs.example'], at: w.clock.now() }),
    );
    await w.pump();
    w.at('2027-01-11T09:30:00Z');
    await asFunction('heldMail', () => releaseHeldMail(w.deps));
    w.at('2027-02-02T10:00:00Z');
    await asFunction('feedbackAsks', () => runFeedbackAsks(w.deps));
    await w.pump();
    // A reply by email, as the reply receiver handles it: Sarah answers about Bushy's link with Jane's practice.
    w.at('2027-02-03T10:00:00Z');
    const domain = 'reply.parkrun-practice.example';
    const token = await w.deps.tokens.issue(
      { purpose: 'reply', subject: 'A81001.bushy', recipient: 'sarah@parkrun.example', role: 'event-director', detail: { kind: 'introductions' }, expiresAt: new Date('2027-05-01T00:00:00Z') },
      w.clock.now(),
    );
    const replied = await asFunction('replyReceiver', () =>
      receiveReply(
        { ...w.deps, replyDomain: domain, headOfficeEmail: 'analyst@parkrun.example' },
        { recipients: [replyAddress(token, domain)], from: 'sarah@parkrun.example', receivedAt: w.clock.now(), messageKey: 'table-grants', words: 'See you on Saturday.', attachments: 0, sizeBytes: 600 },
      ),
    );
    expect(replied).toMatchObject({ outcome: 'relayed', contactRecorded: true });
    await w.pump();
    // A failed invocation carries its own request: the stream is not read.
    const noStream = { read: () => Promise.reject(new Error('a failed invocation reads no stream')) };
    // And a failure to keep: a reminder that failed for good, as its queue hands it to the keeper.
    const keeper = createFailureKeeper(failureKeeperDeps(localDocumentClient(w.t.endpoint, observingHook(recordInto(calls))), w.t.tableName, {}, noStream));
    const failed = JSON.parse(readFileSync(new URL('../events/sqs/invocation-failure.json', import.meta.url), 'utf8')) as SQSEvent;
    expect(await asFunction('failureKeeper', () => keeper(failed, {} as never))).toEqual({ batchItemFailures: [] });

    expect(beyondGrant(calls)).toEqual([]);
    // Every function was heard from, so none is held to its grant vacuously.
    expect([...new Set(calls.map((c) => c.fn))].sort()).toEqual((Object.keys(tableAccess) as FunctionName[]).sort());
    // And the narrowed actions were really used, under their prefixes.
    expect(calls.some((c) => c.fn === 'heldMail' && c.action === 'DeleteItem' && c.pk?.startsWith('HELD#'))).toBe(true);
    expect(calls.some((c) => c.fn === 'registrationWatcher' && c.action === 'BatchWriteItem' && c.pk?.startsWith('TOKEN#'))).toBe(true);
  });

  it('would notice a call beyond a grant', () => {
    const calls: AuthorisedAction[] = [
      { fn: 'headOfficeWatcher', action: 'DeleteItem', pk: 'PRACTICE#A81001' },
      { fn: 'registrationWatcher', action: 'BatchWriteItem', pk: 'PRACTICE#A81001' },
      { fn: 'api', action: 'DeleteItem', pk: 'SESSION#abc' },
    ];
    expect(beyondGrant(calls)).toEqual(['headOfficeWatcher DeleteItem PRACTICE#', 'registrationWatcher BatchWriteItem PRACTICE#']);
  });
});
