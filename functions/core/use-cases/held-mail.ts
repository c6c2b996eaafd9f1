/**
 * The held-mail job: sends what was held for its reader's window (see core/mailer.ts)
 * once the window has opened, and what was held for their budget once it frees, several
 * unasked emails for one reader as one round-up. A message goes at most once however often this runs: the
 * mailer's ledger decides; it is released only once sent, refused or found sent already.
 */
import { log } from '../../log.js';
import type { Mailer } from '../mailer.js';
import { eventContacts } from '../model.js';
import { heldAskStands, repeatedParts } from '../policies/mail-budget.js';
import type { Clock, EventDirectory, HeldMail, HeldMessage, PartnershipStore } from '../ports.js';

export interface HeldMailReport {
  due: number;
  sent: number;
  /** Its window closed again before this run reached it: it stays held. */
  stillHeld: number;
  /**
   * Not sent: to a director taken off the event while it was held, an ask overtaken since
   * (policies/mail-budget.ts heldAskStands), or one that only repeats another in its round-up (repeatedParts).
   */
  dropped: number;
  failed: number;
}

export async function releaseHeldMail(deps: { mailer: Mailer; held: HeldMail; events: EventDirectory; partnerships: Pick<PartnershipStore, 'getLink'>; clock: Clock }): Promise<HeldMailReport> {
  const report: HeldMailReport = { due: 0, sent: 0, stillHeld: 0, dropped: 0, failed: 0 };
  const stillDirector = async (message: HeldMessage) => {
    if (!message.toDirectorOf) return true;
    const event = (await deps.events.getEvents([message.toDirectorOf], { consistent: true })).get(message.toDirectorOf);
    return event !== undefined && eventContacts(event).some((d) => d.email.toLowerCase() === message.to.toLowerCase());
  };
  /** Still to go: to a director still a contact, and an ask about a link that still stands. */
  const stillWanted = async (message: HeldMessage) => {
    if (!(await stillDirector(message))) return false;
    if (!message.unasked || !message.practiceCode || !message.eventShortName) return true;
    return heldAskStands(message, await deps.partnerships.getLink(message.practiceCode, message.eventShortName), deps.clock.now());
  };
  for await (const page of deps.held.due(deps.clock.now())) {
    // A reader's unasked mail due together goes in one round-up (policies/mail-budget.ts);
    // everything else goes as it is, one by one.
    const roundUps = new Map<string, HeldMessage[]>();
    const alone: HeldMessage[] = [];
    for (const message of page) {
      report.due++;
      if (!message.unasked) alone.push(message);
      else {
        const reader = message.to.toLowerCase();
        roundUps.set(reader, [...(roundUps.get(reader) ?? []), message]);
      }
    }
    for (const group of roundUps.values()) {
      if (group.length === 1) alone.push(group[0]!);
      else await sendRoundUp(group);
    }
    for (const message of alone) {
      try {
        if (!(await stillWanted(message))) {
          await deps.held.release(message.idempotencyKey);
          report.dropped++;
          continue;
        }
        const outcome = await deps.mailer.sendHeld(message);
        if (outcome === 'held') {
          report.stillHeld++;
          continue;
        }
        await deps.held.release(message.idempotencyKey);
        if (outcome === 'sent') report.sent++;
      } catch (error) {
        // It stays held, and the next run tries again.
        report.failed++;
        log.error('Held mail: sending failed; it stays held for the next run', error, { idempotencyKey: message.idempotencyKey });
      }
    }
  }
  return report;

  async function sendRoundUp(group: HeldMessage[]) {
    try {
      const parts: HeldMessage[] = [];
      const repeated = new Set(repeatedParts(group));
      for (const message of group) {
        if (!repeated.has(message.idempotencyKey) && (await stillWanted(message))) parts.push(message);
        else {
          await deps.held.release(message.idempotencyKey);
          report.dropped++;
        }
      }
      const { done, sent } = await deps.mailer.sendRoundUp(parts);
      for (const key of done) await deps.held.release(key);
      if (sent) report.sent++;
      report.stillHeld += parts.length - done.length;
    } catch (error) {
      // They stay held, and the next run tries again.
      report.failed++;
      log.error('Held mail: a round-up failed; its parts stay held for the next run', error, { parts: group.map((m) => m.idempotencyKey) });
    }
  }
}
