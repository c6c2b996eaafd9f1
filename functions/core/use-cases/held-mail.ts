/**
 * The held-mail job: sends what was held for its reader's window (see core/mailer.ts)
 * once the window has opened. A message goes at most once however often this runs: the
 * mailer's ledger decides; it is released only once sent, refused or found sent already.
 */
import { log } from '../../log.js';
import type { Mailer } from '../mailer.js';
import { eventContacts } from '../model.js';
import type { Clock, EventDirectory, HeldMail, HeldMessage } from '../ports.js';

export interface HeldMailReport {
  due: number;
  sent: number;
  /** Its window closed again before this run reached it: it stays held. */
  stillHeld: number;
  /** To a director taken off the event while it was held: not sent. */
  dropped: number;
  failed: number;
}

export async function releaseHeldMail(deps: { mailer: Mailer; held: HeldMail; events: EventDirectory; clock: Clock }): Promise<HeldMailReport> {
  const report: HeldMailReport = { due: 0, sent: 0, stillHeld: 0, dropped: 0, failed: 0 };
  const stillDirector = async (message: HeldMessage) => {
    if (!message.toDirectorOf) return true;
    const event = (await deps.events.getEvents([message.toDirectorOf], { consistent: true })).get(message.toDirectorOf);
    return event !== undefined && eventContacts(event).some((d) => d.email.toLowerCase() === message.to.toLowerCase());
  };
  for await (const page of deps.held.due(deps.clock.now())) {
    for (const message of page) {
      report.due++;
      try {
        if (!(await stillDirector(message))) {
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
}
