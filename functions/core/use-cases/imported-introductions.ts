/**
 * The introductions the go-live import queued (`--introduce`), sent by the quiet-link
 * sweep on their day. An event team's goes into its directors' next digest (one email a
 * week at most, listing every practice new to the event); a champion's goes straight out,
 * listing their events with whom to talk to at each. Both describe the partnership as it
 * is when they go: a link ended or a director removed since the import is left out.
 */
import type { Mailer } from '../mailer.js';
import { eventContacts, type EventIntroduction, type PracticeIntroduction } from '../model.js';
import type { NudgePolicy } from '../policies/quiet-link-ladder.js';
import type { Clock, EventDirectory, LadderStore, PartnershipStore } from '../ports.js';
import { queueForDigest } from './digest-queue.js';
import { sendPracticeIntroduction } from './introduce-registration.js';
import type { SweepStep } from './quiet-link-sweep.js';

export interface ImportedIntroductionDeps {
  ladder: LadderStore;
  partnerships: PartnershipStore;
  events: EventDirectory;
  mailer: Mailer;
  clock: Clock;
  nudgePolicy: NudgePolicy;
}

interface SweepContext {
  dryRun: boolean;
  step(step: SweepStep): void;
  /** Applies a conditional write (counted as a conflict when refused); skipped in a dry run. */
  write(apply: () => Promise<boolean | void>): Promise<void>;
}

const liveLinkedEvents = async (deps: ImportedIntroductionDeps, practiceCode: string) =>
  new Set((await deps.partnerships.linksOfPractice(practiceCode)).filter((l) => l.status !== 'ended').map((l) => l.eventShortName));

export async function introduceImportedPractice(deps: ImportedIntroductionDeps, intro: PracticeIntroduction, context: SweepContext): Promise<void> {
  const subject = `introduction ${intro.practiceCode}`;
  const [practice, linked, known] = await Promise.all([
    deps.partnerships.getPractice(intro.practiceCode),
    liveLinkedEvents(deps, intro.practiceCode),
    deps.events.getEvents(intro.eventShortNames),
  ]);
  const events = intro.eventShortNames.filter((e) => linked.has(e)).flatMap((e) => (known.has(e) ? [known.get(e)!] : []));
  if (!practice || events.length === 0) {
    context.step({ subject, action: 'nothing-to-send', why: 'the practice or its links are gone' });
    return context.write(() => deps.ladder.completeIntroduction({ kind: 'introduce-practice', intro }));
  }
  context.step({ subject, action: 'introduction', to: practice.champion.email, why: `imported, linked with ${events.map((e) => e.name).join(' and ')}` });
  if (context.dryRun) return;
  await sendPracticeIntroduction(deps, practice, events, `intro-practice#import#${practice.code}#${events.map((e) => e.shortName).join('+')}`);
  await context.write(() => deps.ladder.completeIntroduction({ kind: 'introduce-practice', intro }));
}

export async function introduceImportedPractices(deps: ImportedIntroductionDeps, intro: EventIntroduction, context: SweepContext): Promise<void> {
  const subject = `introduction ${intro.eventShortName}`;
  const event = (await deps.events.getEvents([intro.eventShortName])).get(intro.eventShortName);
  const contacts = event ? eventContacts(event) : [];
  if (!event || contacts.length === 0) {
    context.step({ subject, action: 'nothing-to-send', why: event ? 'no director and no team address on record' : 'the event is gone' });
    return context.write(() => deps.ladder.completeIntroduction({ kind: 'introduce-event', intro }));
  }
  const now = deps.clock.now();
  for (const contact of contacts) {
    context.step({ subject, action: 'digest', to: contact.email, why: `${intro.practiceCodes.length} practice(s) brought in by the import` });
    if (context.dryRun) continue;
    // One digest entry per practice: each is checked again when the digest goes.
    for (const practiceCode of intro.practiceCodes) {
      await queueForDigest(deps, contact, event, { kind: 'new-practice', practiceCode, eventShortName: event.shortName, addedAt: now.toISOString() }, now);
    }
  }
  await context.write(() => deps.ladder.completeIntroduction({ kind: 'introduce-event', intro }));
}
