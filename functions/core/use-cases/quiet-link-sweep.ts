/**
 * The quiet-link sweep: the product's core loop. Run on a schedule, it reads the work
 * that has fallen due (links on the ladder, event-director digests) and, for each:
 * nudges the champion, adds the link to the directors' digest, marks it at risk, sends a
 * due digest (director-digest.ts), or puts the work off (quiet hours, a pause; the per-person budget is the mailer's).
 *
 * Exactly once: each email's idempotency key names the link, the rung and the quiet
 * spell (or the director and the digest's due time), so two sweeps at once, or a re-run
 * after a crash half way, send each email once. Every write is conditional on what was
 * read. One item's failure is logged and counted; the rest of the sweep goes on, and the
 * failed item is still due next run.
 */
import { quietLinkNudge } from '../../../templates/quiet-link-nudge.js';
import { log } from '../../log.js';
import { MessageInFlightError } from '../errors.js';
import { answerLinks, answerUrls } from '../magic-links.js';
import { eventContacts, linkId, type Link, type ParkrunEvent, type Practice } from '../model.js';
import { formatLongDate, nextEventDate } from '../policies/event-dates.js';
import { nextAllowedTime } from '../policies/quiet-hours.js';
import { forEachAtMost, sendersPerJob } from '../concurrency.js';
import { queueForDigest } from './digest-queue.js';
import { introduceImportedPractice, introduceImportedPractices } from './imported-introductions.js';
import { addDays, decide, lastSignOfLife, weeksSince } from '../policies/quiet-link-ladder.js';
import { sendDirectorDigest, type DirectorDigestDeps } from './director-digest.js';
import type { Telemetry } from '../ports.js';

/** What the digest needs (it reads takeovers and feedback for what it lists), and telemetry. */
export interface QuietLinkSweepDeps extends DirectorDigestDeps {
  /** Counts each step up the ladder by rung. */
  telemetry?: Telemetry;
}

/** One thing the sweep did, or in a dry run would do. */
export interface SweepStep {
  subject: string;
  action: 'nudge' | 'digest' | 'at-risk' | 'defer' | 'drop' | 'nothing-to-send' | 'introduction';
  to?: string;
  rung?: number;
  at?: string;
  why: string;
}

export interface SweepReport {
  due: number;
  nudges: number;
  digests: number;
  atRisk: number;
  /** Imported practices' champions introduced (their event teams' introductions go in digests). */
  introductions: number;
  deferred: number;
  dropped: number;
  /** Written by someone else between read and write: left for them, or for the next run. */
  conflicts: number;
  failed: number;
}

export interface SweepOptions {
  /** Plan only: read, decide and report, but write nothing and send nothing. */
  dryRun?: boolean;
  onStep?: (step: SweepStep) => void;
}

const mailto = (addresses: string[], subject: string) => `mailto:${addresses.map(encodeURIComponent).join(',')}?subject=${encodeURIComponent(subject)}`;

export async function runQuietLinkSweep(deps: QuietLinkSweepDeps, options: SweepOptions = {}): Promise<SweepReport> {
  const now = deps.clock.now();
  const report: SweepReport = { due: 0, nudges: 0, digests: 0, atRisk: 0, introductions: 0, deferred: 0, dropped: 0, conflicts: 0, failed: 0 };
  const events = new Map<string, ParkrunEvent>();
  const step = (s: SweepStep) => options.onStep?.(s);
  /** True when the write was made (not a dry run, and no one else wrote first). */
  const written = async (apply: () => Promise<boolean | void>) => {
    if (options.dryRun) return false;
    if ((await apply()) !== false) return true;
    report.conflicts++;
    return false;
  };
  const write = async (apply: () => Promise<boolean | void>): Promise<void> => {
    await written(apply);
  };
  /** A step up the ladder counts once it is written. */
  const climb = async (rung: number, apply: () => Promise<boolean | void>) => {
    if (await written(apply)) deps.telemetry?.nudged(rung);
  };
  const context = {
    dryRun: options.dryRun ?? false,
    write,
    step: (s: SweepStep) => {
      if (s.action === 'introduction') report.introductions++;
      step(s);
    },
  };

  for await (const page of deps.ladder.dueWork(now)) {
    report.due += page.length;
    // What the page's emails need, read once per page rather than once per link.
    const links = page.flatMap((w) => (w.kind === 'link' ? [w.link] : []));
    const eventOf = (w: (typeof page)[number]) => (w.kind === 'link' ? w.link.eventShortName : w.kind === 'digest' ? w.digest.eventShortName : undefined);
    const missing = [...new Set(page.flatMap((w) => eventOf(w) ?? []))].filter((e) => !events.has(e));
    if (missing.length) for (const [name, event] of await deps.events.getEvents(missing)) events.set(name, event);
    const practices = links.length ? await deps.partnerships.getPractices(links.map((l) => l.practiceCode)) : new Map<string, Practice>();

    // A few at a time, as the feedback job sends: one at a time, each email's table writes
    // and SES call keep the job below the send rate. Two items for the same person are
    // kept apart by the per-person slot, as two sweeps at once are.
    await forEachAtMost(page, sendersPerJob, async (work) => {
      try {
        if (work.kind === 'link') await sweepLink(work.link, practices.get(work.link.practiceCode), events.get(work.link.eventShortName));
        else if (work.kind === 'digest') await sendDirectorDigest(deps, work.digest, { ...context, now, report });
        else if (work.kind === 'introduce-practice') await introduceImportedPractice(deps, work.intro, context);
        else await introduceImportedPractices(deps, work.intro, context);
      } catch (error) {
        if (error instanceof MessageInFlightError) {
          // Another sweep is sending this very email: it will also move the link on.
          report.conflicts++;
          return;
        }
        report.failed++;
        const subject =
          work.kind === 'link'
            ? linkId(work.link.practiceCode, work.link.eventShortName)
            : work.kind === 'digest'
              ? `digest ${work.digest.email}`
              : work.kind === 'introduce-practice'
                ? `introduction ${work.intro.practiceCode}`
                : `introduction ${work.intro.eventShortName}`;
        log.error('Quiet-link sweep: item failed; it stays due for the next run', error, { subject });
      }
    });
  }
  return report;

  async function sweepLink(link: Link, practice: Practice | undefined, event: ParkrunEvent | undefined) {
    const id = linkId(link.practiceCode, link.eventShortName);
    const state = link.ladder ?? { rung: 0 };
    const decision = decide(link, state, now, deps.nudgePolicy);
    const defer = async (until: Date, why: string) => {
      report.deferred++;
      step({ subject: id, action: 'defer', at: until.toISOString(), why });
      await write(() => deps.ladder.stepLink(link, { dueAt: until }));
    };
    if (decision.action === 'none' || !practice || !event) {
      report.dropped++;
      step({ subject: id, action: 'drop', why: decision.action === 'none' ? decision.why : 'practice or event no longer on record' });
      return write(() => deps.ladder.stepLink(link, { dueAt: undefined }));
    }
    if (decision.action === 'wait') return defer(decision.until, decision.why);
    // The due index is eventually consistent: before acting, read the link itself, so a
    // person who answered a moment ago is not nudged or flagged.
    if (!options.dryRun) {
      const current = await deps.partnerships.getLink(link.practiceCode, link.eventShortName);
      if (!current || current.rev !== link.rev) {
        report.conflicts++;
        return;
      }
    }
    if (decision.action === 'at-risk') {
      report.atRisk++;
      step({ subject: id, action: 'at-risk', rung: 3, why: decision.why });
      return climb(3, () =>
        deps.ladder.stepLink(link, {
          ladder: { rung: 3, rungAt: now.toISOString(), quietSince: decision.quietSince },
          status: 'at-risk',
          atRiskAt: now.toISOString(),
          dueAt: addDays(now, deps.nudgePolicy.atRiskPauseDays),
        }),
      );
    }

    // A nudge to the champion, within practice hours. Their budget of unasked email is the
    // mailer's: spent, the nudge waits for it and goes in their next round-up.
    const champion = practice.champion;
    const sendAt = nextAllowedTime('practice', now, event.timeZone);
    if (sendAt > now) return defer(sendAt, 'outside practice hours (Monday to Friday, 08:00 to 18:00)');
    const key = `nudge#${id}#${decision.quietSince}#rung${decision.rung}`;
    report.nudges++;
    step({ subject: id, action: 'nudge', to: champion.email, rung: decision.rung, why: decision.why });
    if (options.dryRun) {
      if (decision.alsoDigest) for (const d of eventContacts(event)) step({ subject: id, action: 'digest', to: d.email, why: 'added to the next digest' });
      return;
    }
    await deps.mailer.send({
      idempotencyKey: key,
      kind: 'nudges',
      to: champion.email,
      window: { audience: 'practice', timeZone: event.timeZone },
      template: quietLinkNudge,
      links: answerLinks('', id, 'champion', { handOver: true }),
      view: (urls) => ({
        championName: champion.name,
        practiceName: practice.name,
        eventName: event.name,
        weeksQuiet: weeksSince(lastSignOfLife(link), now),
        secondNudge: decision.rung === 2,
        directors: eventContacts(event),
        ...(eventContacts(event).length ? { mailtoDirectors: mailto(eventContacts(event).map((d) => d.email), `Hello from ${practice.name}`) } : {}),
        nextEventDate: formatLongDate(nextEventDate(now, event)),
        answers: answerUrls(urls, '', event.name),
      }),
      reason: `You get this as the parkrun practice contact for ${practice.name}.`,
      practiceCode: practice.code,
      eventShortName: event.shortName,
    });
    if (decision.alsoDigest) {
      for (const director of eventContacts(event)) {
        const dueAt = await queueForDigest(deps, director, event, { practiceCode: link.practiceCode, eventShortName: event.shortName, addedAt: now.toISOString() }, now);
        step({ subject: id, action: 'digest', to: director.email, at: dueAt.toISOString(), why: 'added to the next digest' });
      }
    }
    await climb(decision.rung, () =>
      deps.ladder.stepLink(link, {
        ladder: { rung: decision.rung, rungAt: now.toISOString(), quietSince: decision.quietSince },
        status: 'quiet',
        dueAt: addDays(now, deps.nudgePolicy.rungSpacingDays),
      }),
    );
  }
}
