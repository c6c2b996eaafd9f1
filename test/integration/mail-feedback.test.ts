/** SES bounce and complaint events (fixtures under test/events/ses) through the real handler on DynamoDB Local. */
import type { EventBridgeEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createMailFeedbackHandler } from '../../functions/watchers/mail-feedback-handler.js';
import { loadEvent } from '../support/events.js';
import { aLink, aPractice, sweepWorld, tuesdayMorning } from '../support/sweep-world.js';

async function world() {
  const w = await sweepWorld({ practices: [aPractice('A00001')], links: [aLink('A00001', 'bushy', tuesdayMorning, 10)] });
  const handler = createMailFeedbackHandler({ ...w.deps, headOfficeEmail: 'health@parkrun-practice.example', configurationSet: 'parkrun-practice-nudges' });
  const deliver = (scenario: string) => handler(loadEvent<EventBridgeEvent<string, unknown>>('ses', scenario), {} as never);
  return { ...w, deliver };
}

describe('bounces and complaints', () => {
  it("suppresses a champion's address that bounced for good, flags the link, and tells the directors and head office once", async () => {
    const w = await world();
    await w.deliver('bounce-permanent');
    await w.deliver('bounce-permanent');
    expect(await w.store.optOuts.isSuppressed('a00001@nhs.example')).toBe(true);
    // Their own preferences are theirs: a bounce is kept apart, so saving preferences cannot undo it.
    expect(await w.store.optOuts.getPreferences('a00001@nhs.example')).toEqual({ stopped: [] });
    const link = await w.link('A00001');
    expect(link).toMatchObject({ status: 'contact-lost' });
    expect(link?.dueAt).toBeUndefined();
    expect(w.sent()).toEqual([
      { to: 'sarah@parkrun.example', subject: 'We can no longer reach Practice A00001' },
      { to: 'tom@parkrun.example', subject: 'We can no longer reach Practice A00001' },
      { to: 'health@parkrun-practice.example', subject: 'We can no longer reach Practice A00001' },
    ]);
    // And the sweep leaves it alone from now on.
    w.clock.set(new Date(tuesdayMorning.getTime() + 60 * 86_400_000));
    expect((await w.sweep()).report.nudges).toBe(0);
  });

  it('ignores a transient bounce (a full mailbox): SES retries those itself', async () => {
    const w = await world();
    await w.deliver('bounce-transient');
    expect(await w.store.optOuts.isOptedOut('a00001@nhs.example', 'nudges')).toBe(false);
    expect((await w.link('A00001'))?.status).toBe('active');
    expect(w.sent()).toEqual([]);
  });

  it('suppresses an address that complained, and the mailer then refuses it', async () => {
    const w = await world();
    await w.deliver('complaint');
    expect(await w.store.optOuts.isOptedOut('sarah@parkrun.example', 'digests')).toBe(true);
    const outcome = await w.deps.mailer.send({
      idempotencyKey: 'after-complaint',
      kind: 'digests',
      to: 'sarah@parkrun.example',
      template: { name: 't', subject: 's', text: 't', html: 'h' },
      view: {},
      reason: 'r',
    });
    expect(outcome).toBe('opted-out');
  });

  it("ignores another configuration set's bounces in the same account", async () => {
    const w = await world();
    const handler = createMailFeedbackHandler({ ...w.deps, headOfficeEmail: 'health@parkrun-practice.example', configurationSet: 'parkrun-practice-nudges' });
    const other = loadEvent<EventBridgeEvent<string, { mail: { tags: Record<string, string[]> } }>>('ses', 'bounce-permanent');
    other.detail.mail.tags['ses:configuration-set'] = ['newsletter'];
    await handler(other, {} as never);
    expect(await w.store.optOuts.isOptedOut('a00001@nhs.example', 'nudges')).toBe(false);
    expect((await w.link('A00001'))?.status).toBe('active');
  });

  it('refuses an event it does not understand, so it is retried and then dead-lettered', async () => {
    const w = await world();
    const handler = createMailFeedbackHandler({ ...w.deps, headOfficeEmail: 'health@parkrun-practice.example' });
    const odd = loadEvent<EventBridgeEvent<string, { eventType: string }>>('ses', 'complaint');
    odd.detail.eventType = 'Delivery';
    await expect(handler(odd, {} as never)).rejects.toThrow();
  });
});
