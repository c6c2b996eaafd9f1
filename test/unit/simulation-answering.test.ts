/** A simulated person's reply by email goes over real SMTP to the local reply inbox, as a mail app's would. */
import { afterEach, describe, expect, it } from 'vitest';
import { startReplyInbox, type ReplyInbox } from '../../local/reply-inbox.js';
import type { InboundReply } from '../../functions/core/use-cases/email-reply.js';
import { answer } from '../../simulation/answering.js';
import type { PlannedAnswer } from '../../simulation/people.js';

let inbox: ReplyInbox | undefined;
afterEach(async () => {
  await inbox?.stop();
  inbox = undefined;
});

const planned = (to: string): PlannedAnswer => ({
  actor: 'champion',
  onDay: 3,
  kind: 'reply',
  url: `mailto:${to}`,
  form: () => undefined,
  reply: { from: 'champion@practice.test', to, subject: 'Re: Time to say hello', inReplyTo: '<m1@ses.test>', words: 'Lovely to hear from you, see you Saturday.' },
});

describe('a simulated reply by email', () => {
  it('reaches the reply inbox over SMTP from the reader, with their words; mail for another domain is refused', async () => {
    const got: InboundReply[] = [];
    inbox = await startReplyInbox({
      port: 0,
      replyDomain: 'reply.nudges.test',
      clock: { now: () => new Date('2027-03-01T10:00:00Z') },
      receive: async (reply) => {
        got.push(reply);
        return { outcome: 'relayed', to: ['director@bushy.test'], contactRecorded: true };
      },
    });
    expect(await answer(planned('reply+ABCDEF@reply.nudges.test'), inbox.port)).toEqual({ outcome: 'answered', status: 250 });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ from: 'champion@practice.test', recipients: ['reply+abcdef@reply.nudges.test'] });
    // The new words only: the quoted line below them is dropped, as from any mail app.
    expect(got[0]!.words).toBe('Lovely to hear from you, see you Saturday.');
    expect(inbox.received.map((r) => r.result)).toEqual([{ outcome: 'relayed', to: ['director@bushy.test'], contactRecorded: true }]);

    expect(await answer(planned('someone@elsewhere.test'), inbox.port)).toEqual({ outcome: 'refused', status: 550 });
    expect(got).toHaveLength(1);
  });

  it('is an error, not a silent success, with no reply inbox to send to', async () => {
    expect(await answer(planned('reply+ABCDEF@reply.nudges.test'))).toMatchObject({ outcome: 'error' });
  });
});
