/**
 * A table on DynamoDB Local with events, practices and links placed in time, the real
 * adapters, a recording mail transport and a movable clock: for driving the quiet-link
 * sweep through weeks.
 */
import { releaseHeldMail } from '../../functions/core/use-cases/held-mail.js';
import { BatchWriteCommand } from '../../functions/adapters/dynamo/document-client.js';
import { MovableClock } from '../../functions/adapters/clock.js';
import { eventItem, linkItem, practiceItem } from '../../functions/adapters/dynamo/items.js';
import type { Link, ParkrunEvent, Practice } from '../../functions/core/model.js';
import { defaultNudgePolicy, nextCheck } from '../../functions/core/policies/quiet-link-ladder.js';
import { runQuietLinkSweep, type SweepStep } from '../../functions/core/use-cases/quiet-link-sweep.js';
import type { MailTransport } from '../../functions/core/ports.js';
import { mailDeps, storeDeps } from '../../functions/wiring.js';
import { createTestTable } from './dynamo.js';
import { anEvent } from './fixtures.js';
import { FixedClock, mailSettings, RecordingTransport } from './memory-ports.js';

/** Tuesday 10:00 in London, inside every window. */
export const tuesdayMorning = new Date('2026-11-24T10:00:00Z');
export const day = 86_400_000;

export const aPractice = (code: string, email = `${code.toLowerCase()}@nhs.example`): Practice => ({
  code,
  name: `Practice ${code}`,
  postcode: 'TW11 0AA',
  champion: { name: `Champion ${code}`, role: 'GP', email },
});

/** A link last in touch `daysAgo` before `now`, on rung 0 and due at its first quiet check. */
export function aLink(practiceCode: string, eventShortName: string, now: Date, daysAgo: number, extra: Partial<Link> = {}): Link {
  const link: Link = {
    practiceCode,
    eventShortName,
    status: 'active',
    createdAt: new Date(now.getTime() - 200 * day).toISOString(),
    createdBy: 'demo-data',
    initialContact: 'practice',
    introducedAt: new Date(now.getTime() - 200 * day).toISOString(),
    lastContactAt: new Date(now.getTime() - daysAgo * day).toISOString(),
    lastContactBy: 'practice',
    ladder: { rung: 0 },
    rev: 0,
    ...extra,
  };
  const due = extra.dueAt ?? nextCheck(link, link.ladder!, defaultNudgePolicy)?.toISOString();
  return { ...link, ...(due ? { dueAt: due } : {}) };
}

export async function sweepWorld(setup: { events?: ParkrunEvent[]; practices: Practice[]; links: Link[]; start?: Date; transport?: MailTransport }) {
  const t = await createTestTable();
  const start = setup.start ?? tuesdayMorning;
  const items = [
    ...(setup.events ?? [anEvent()]).map(eventItem),
    ...setup.practices.map((p) => practiceItem(p, start.toISOString())),
    ...setup.links.map(linkItem),
  ];
  for (let i = 0; i < items.length; i += 25) {
    await t.doc.send(new BatchWriteCommand({ RequestItems: { [t.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  const clock = new MovableClock(new FixedClock(start));
  const store = storeDeps(t.doc, t.tableName, 'k'.repeat(48), clock);
  const recording = new RecordingTransport();
  const deps = mailDeps(store, { ...mailSettings }, setup.transport ?? recording);
  const sweep = (options: { dryRun?: boolean } = {}) => {
    const steps: SweepStep[] = [];
    return runQuietLinkSweep(deps, { ...options, onStep: (s) => steps.push(s) }).then((report) => ({ report, steps }));
  };
  /** The held-mail job's run: what waited for quiet hours or a person's budget goes once due. */
  const releaseHeld = () => releaseHeldMail(deps);
  const at = (iso: string) => clock.set(new Date(iso));
  const link = (code: string, event = 'bushy') => store.partnerships.getLink(code, event);
  const sent = () => recording.sent.map((e) => ({ to: e.to, subject: e.subject }));
  return { t, clock, store, deps, sweep, releaseHeld, at, link, sent, recording };
}
