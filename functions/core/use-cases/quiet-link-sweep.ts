/**
 * The quiet-link sweep: the product's core loop. Run on a schedule, it reads the work
 * that has fallen due (links on the ladder, event-director digests) and, for each:
 * nudges the champion, adds the link to the directors' digest, marks it at risk, sends a
 * due digest, or puts the work off (quiet hours, a pause; the per-person budget is the mailer's).
 *
 * Exactly once: each email's idempotency key names the link, the rung and the quiet
 * spell (or the director and the digest's due time), so two sweeps at once, or a re-run
 * after a crash half way, send each email once. Every write is conditional on what was
 * read. One item's failure is logged and counted; the rest of the sweep goes on, and the
 * failed item is still due next run.
 */
import { eventDirectorDigest, type DigestContactNeeded, type DigestFeedback, type DigestLink, type DigestNewPractice, type DigestProposal, type DigestTakeoverComing, type DigestTakeoverOutcome } from '../../../templates/event-director-digest.js';
import { quietLinkNudge } from '../../../templates/quiet-link-nudge.js';
import { log } from '../../log.js';
import { MessageInFlightError } from '../errors.js';
import { answerLinks, answerUrls } from '../magic-links.js';
import type { Mailer } from '../mailer.js';
import { eventContacts, greetingOf, linkId, type FeedbackReport, type Link, type ParkrunEvent, type Practice, type Takeover } from '../model.js';
import { periodLabel } from '../policies/feedback-calendar.js';
import { describeReport } from './attendance-feedback.js';
import { formatLongDate, nextEventDate, parseIsoDay } from '../policies/event-dates.js';
import type { DigestEntry } from '../ports.js';
import { nextAllowedTime } from '../policies/quiet-hours.js';
import { forEachAtMost, sendersPerJob } from '../concurrency.js';
import { queueForDigest } from './digest-queue.js';
import { introduceImportedPractice, introduceImportedPractices } from './imported-introductions.js';
import { addDays, decide, lastSignOfLife, type NudgePolicy } from '../policies/quiet-link-ladder.js';
import type { Clock, DigestHead, EventDirectory, FeedbackStore, LadderStore, PartnershipStore, TakeoverStore, Telemetry } from '../ports.js';

export interface QuietLinkSweepDeps {
  ladder: LadderStore;
  takeovers: TakeoverStore;
  feedback: FeedbackStore;
  partnerships: PartnershipStore;
  events: EventDirectory;
  mailer: Mailer;
  clock: Clock;
  nudgePolicy: NudgePolicy;
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

const weeksSince = (from: Date, now: Date) => Math.max(1, Math.floor((now.getTime() - from.getTime()) / (7 * 86_400_000)));
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
        else if (work.kind === 'digest') await sweepDigest(work.digest);
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

  async function sweepDigest(head: DigestHead) {
    const subject = `digest ${head.email}`;
    const sendAt = nextAllowedTime('event-director', now, head.timeZone);
    if (sendAt > now) {
      report.deferred++;
      step({ subject, action: 'defer', at: sendAt.toISOString(), why: 'event directors get no email from Friday 18:00 to Saturday 13:00' });
      return write(() => deps.ladder.rescheduleDigest(head, sendAt));
    }
    // Composed only when it can go: held for the director's budget, its list would be read
    // weeks later (a link offered a takeover since still "could do with a hello").
    const key = `digest#${head.email.toLowerCase()}#${head.dueAt}`;
    const slotAt = await deps.mailer.unaskedSlotAt(head.email, head.timeZone, key);
    if (slotAt) {
      report.deferred++;
      step({ subject, action: 'defer', at: slotAt.toISOString(), why: 'the director has had their unasked email for now (one a week, two a month)' });
      return write(() => deps.ladder.rescheduleDigest(head, slotAt));
    }
    const entries = await deps.ladder.digestEntries(head.email);
    // A director may serve more than one event: each entry is checked against its own event.
    const entryEvents = await deps.events.getEvents([...new Set(entries.map((e) => e.eventShortName))]);
    const isDirector = (e: ParkrunEvent | undefined) => (e ? eventContacts(e) : []).some((d) => d.email.toLowerCase() === head.email.toLowerCase()) ?? false;
    const stillQuiet: Array<{ link: Link; practice: Practice; event: ParkrunEvent }> = [];
    const practices = await deps.partnerships.getPractices(entries.map((e) => e.practiceCode));
    const proposals: Array<{ entry: DigestEntry; takeover: Takeover; practice: Practice; event: ParkrunEvent }> = [];
    const summaries: Array<{ entry: DigestEntry; event: ParkrunEvent; reports: FeedbackReport[] }> = [];
    const contactNeeded: Array<{ entry: DigestEntry; event: ParkrunEvent; practice: Practice }> = [];
    const newPractices: Array<{ link: Link; practice: Practice; event: ParkrunEvent }> = [];
    const coming: Array<{ takeover: Takeover; practice: Practice; event: ParkrunEvent }> = [];
    const outcomes: Array<{ takeover: Takeover; practice: Practice; event: ParkrunEvent }> = [];
    const today = now.toISOString().slice(0, 10);
    // Entries whose nudge is being sent as this digest is read (the sweep queues a link for
    // the digest just before it records the climb): neither listed nor deleted, kept for the next one.
    const kept: DigestEntry[] = [];
    for (const entry of entries) {
      const entryEvent = entryEvents.get(entry.eventShortName);
      if (!entryEvent || !isDirector(entryEvent)) continue;
      if (entry.kind === 'new-practice') {
        const link = await deps.partnerships.getLink(entry.practiceCode, entry.eventShortName);
        const practice = practices.get(entry.practiceCode);
        // Still linked: a link ended since the import is not introduced.
        if (link && practice && link.status !== 'ended') newPractices.push({ link, practice, event: entryEvent });
        continue;
      }
      if (entry.kind === 'feedback-summary') {
        const reports = entry.period ? await deps.feedback.reportsOf(entry.eventShortName, entry.period) : [];
        if (reports.length) summaries.push({ entry, event: entryEvent, reports });
        continue;
      }
      if (entry.kind === 'first-timer-contact-needed') {
        const practice = practices.get(entry.practiceCode);
        // Named and confirmed since the ask: nothing to ask any more.
        if (!entryEvent.firstTimerContact && practice && !contactNeeded.some((c) => c.event.shortName === entryEvent.shortName)) contactNeeded.push({ entry, event: entryEvent, practice });
        continue;
      }
      if (entry.kind === 'takeover-coming' || entry.kind === 'takeover-outcome') {
        const takeover = entry.takeoverId ? await deps.takeovers.getTakeover(entry.takeoverId) : undefined;
        const practice = practices.get(entry.practiceCode);
        // Only a day still fixed: ahead for the heads-up, past and not yet told how it went for the outcome.
        if (takeover?.status !== 'fixed' || !takeover.date || !practice) continue;
        if (entry.kind === 'takeover-coming' && takeover.date > today) coming.push({ takeover, practice, event: entryEvent });
        if (entry.kind === 'takeover-outcome' && takeover.date <= today && !takeover.outcome) outcomes.push({ takeover, practice, event: entryEvent });
        continue;
      }
      if (entry.kind === 'takeover-proposal') {
        const takeover = entry.takeoverId ? await deps.takeovers.getTakeover(entry.takeoverId) : undefined;
        const practice = practices.get(entry.practiceCode);
        // Only offers still waiting for an answer (another director may have answered).
        if (takeover?.status === 'proposed' && practice) proposals.push({ entry, takeover, practice, event: entryEvent });
        continue;
      }
      const link = await deps.partnerships.getLink(entry.practiceCode, entry.eventShortName);
      const practice = practices.get(entry.practiceCode);
      // Only links still waiting for an answer: contact since the nudge, or a takeover day still ahead (an ISO day, which sorts as text with now's instant; docs/contact.md), takes a link off the list.
      if (link && practice && (link.status === 'quiet' || link.status === 'at-risk') && (link.ladder?.rung ?? 0) >= 1 && !(link.takeoverUntil && link.takeoverUntil > now.toISOString())) stillQuiet.push({ link, practice, event: entryEvent });
      else if (link && nudgeUnrecorded(link, entry, now)) kept.push(entry);
    }
    const done = entries.filter((e) => !kept.includes(e));
    const stillDirector = [...entryEvents.values()].some(isDirector);
    if (stillQuiet.length === 0 && proposals.length === 0 && summaries.length === 0 && contactNeeded.length === 0 && newPractices.length === 0 && coming.length === 0 && outcomes.length === 0) {
      step({ subject, action: 'nothing-to-send', why: stillDirector ? 'every link in it has had contact since' : 'no longer an event director there' });
      return write(() => deps.ladder.completeDigest(head, done, undefined, undefined, kept.length ? now : undefined));
    }
    report.digests++;
    step({ subject, action: 'digest', to: head.email, why: `${newPractices.length} new practice(s), ${stillQuiet.length} link(s) need attention, ${proposals.length} takeover offer(s), ${coming.length} takeover(s) coming, ${outcomes.length} takeover(s) done, ${summaries.length} feedback summary(ies)` });
    if (options.dryRun) return;
    const prefix = (i: number) => `${i}:`;
    const allEvents = [...newPractices.map((n) => n.event), ...stillQuiet.map((q) => q.event), ...proposals.map((p) => p.event), ...summaries.map((f) => f.event), ...contactNeeded.map((c) => c.event), ...coming.map((c) => c.event), ...outcomes.map((o) => o.event)];
    const reportingPractices = await deps.partnerships.getPractices(summaries.flatMap((f) => f.reports.map((r) => r.practiceCode)));
    const eventNames = [...new Set(allEvents.map((e) => e.name))].join(' and ');
    const multipleEvents = new Set(allEvents.map((e) => e.shortName)).size > 1;
    const summary = [
      newPractices.length ? `${newPractices.length === 1 ? 'a parkrun practice is' : `${newPractices.length} parkrun practices are`} linked with you` : '',
      stillQuiet.length ? `${stillQuiet.length} practice link${stillQuiet.length > 1 ? 's' : ''} could do with a hello` : '',
      proposals.length ? `${proposals.length === 1 ? 'a practice would' : `${proposals.length} practices would`} like to take over` : '',
      summaries.length ? `what practices told us about ${summaries.map((f) => periodLabel(f.entry.period!)).filter((v, i, a) => a.indexOf(v) === i).join(' and ')}` : '',
      contactNeeded.length ? 'newcomers are coming: name a first-timer contact' : '',
      coming.length ? `${coming.length === 1 ? 'a practice takes' : `${coming.length} practices take`} over soon` : '',
      outcomes.length ? `how did ${outcomes.length === 1 ? 'the takeover' : `${outcomes.length} takeovers`} go?` : '',
    ]
      .filter(Boolean)
      .join('; ');
    await deps.mailer.send({
      idempotencyKey: key,
      kind: 'digests',
      to: head.email,
      window: { audience: 'event-director', timeZone: head.timeZone },
      template: eventDirectorDigest,
      links: Object.assign(
        {},
        ...newPractices.map(({ link }, i) => answerLinks(`new${i}:`, linkId(link.practiceCode, link.eventShortName), 'event-director', { handOver: false })),
        ...stillQuiet.map(({ link }, i) => answerLinks(prefix(i), linkId(link.practiceCode, link.eventShortName), 'event-director', { handOver: false })),
        proposals[0]
          ? {
              unavailable: {
                purpose: 'event-unavailable' as const,
                subject: linkId(proposals[0].entry.practiceCode, proposals[0].entry.eventShortName),
                role: 'event-director' as const,
              },
            }
          : {},
        ...[...summaries, ...contactNeeded].map(({ entry }, i) => ({
          [`firstTimer${i}`]: { purpose: 'first-timer-contact' as const, subject: linkId(entry.practiceCode, entry.eventShortName), role: 'event-director' as const },
        })),
        ...proposals.map(({ entry, takeover }, i) => ({
          [`offer${i}`]: {
            purpose: 'takeover-accept' as const,
            subject: linkId(entry.practiceCode, entry.eventShortName),
            role: 'event-director' as const,
            detail: { takeoverId: takeover.id },
          },
          // The page both sides of the link share: it only shows.
          [`offerPartnership${i}`]: { purpose: 'partnership' as const, subject: linkId(entry.practiceCode, entry.eventShortName), role: 'event-director' as const },
        })),
        ...contactNeeded.map(({ entry }, i) => ({
          [`contactPartnership${i}`]: { purpose: 'partnership' as const, subject: linkId(entry.practiceCode, entry.eventShortName), role: 'event-director' as const },
        })),
        ...coming.map(({ takeover }, i) => ({
          [`comingChange${i}`]: { purpose: 'takeover-change' as const, subject: linkId(takeover.practiceCode, takeover.eventShortName), role: 'event-director' as const, detail: { takeoverId: takeover.id } },
          [`comingPartnership${i}`]: { purpose: 'partnership' as const, subject: linkId(takeover.practiceCode, takeover.eventShortName), role: 'event-director' as const },
        })),
        ...outcomes.map(({ takeover }, i) => ({
          [`outcome${i}`]: { purpose: 'takeover-outcome' as const, subject: linkId(takeover.practiceCode, takeover.eventShortName), role: 'event-director' as const, detail: { takeoverId: takeover.id } },
        })),
      ),
      view: (urls) => ({
        directorName: greetingOf({ name: head.name, email: head.email, ...(head.team ? { team: true as const } : {}) }),
        eventName: eventNames,
        summary,
        hasLinks: stillQuiet.length > 0,
        newPractices: newPractices.map(
          ({ practice, event }, i): DigestNewPractice => ({
            practiceName: multipleEvents ? `${practice.name} (${event.name})` : practice.name,
            practicePostcode: practice.postcode,
            championName: practice.champion.name,
            championRole: practice.champion.role,
            championEmail: practice.champion.email,
            ...(practice.champion.phone ? { championPhone: practice.champion.phone } : {}),
            answers: answerUrls(urls, `new${i}:`, multipleEvents ? `${practice.name} (${event.name})` : practice.name),
          }),
        ),
        hasProposals: proposals.length > 0,
        summaries: summaries.map(({ entry, event, reports }, i): DigestFeedback => ({
          month: periodLabel(entry.period!),
          eventName: multipleEvents ? ` (${event.name})` : '',
          rows: reports.map((r) => ({ practiceName: reportingPractices.get(r.practiceCode)?.name ?? r.practiceCode, text: describeReport(r) })),
          totals: `${reports.reduce((n, r) => n + r.suggested, 0)} patients suggested parkrun, ${reports.reduce((n, r) => n + r.attended, 0)} known to have come`,
          contact: event.firstTimerContact ? `Your first-timer contact: ${event.firstTimerContact.firstName}, ${event.firstTimerContact.whereToFind}. Change` : 'Name a first-timer contact, so practices can tell patients whom to ask for',
          contactUrl: urls[`firstTimer${i}`] ?? '',
        })),
        contactNeeded: contactNeeded.map(({ event, practice }, i): DigestContactNeeded => ({
          practiceName: practice.name,
          eventName: event.name,
          url: urls[`firstTimer${summaries.length + i}`] ?? '',
          ...(urls[`contactPartnership${i}`] ? { partnershipUrl: urls[`contactPartnership${i}`] } : {}),
        })),
        ...(urls.unavailable ? { unavailableUrl: urls.unavailable } : {}),
        coming: coming.map(
          ({ takeover, practice, event }, i): DigestTakeoverComing => ({
            practiceName: multipleEvents ? `${practice.name} (${event.name})` : practice.name,
            day: formatLongDate(parseIsoDay(takeover.date!)),
            championName: practice.champion.name,
            championEmail: practice.champion.email,
            changeUrl: urls[`comingChange${i}`] ?? '',
            ...(urls[`comingPartnership${i}`] ? { partnershipUrl: urls[`comingPartnership${i}`] } : {}),
          }),
        ),
        outcomes: outcomes.map(
          ({ takeover, practice, event }, i): DigestTakeoverOutcome => ({
            practiceName: multipleEvents ? `${practice.name} (${event.name})` : practice.name,
            day: formatLongDate(parseIsoDay(takeover.date!)),
            url: urls[`outcome${i}`] ?? '',
          }),
        ),
        proposals: proposals.map(
          ({ takeover, practice, event }, i): DigestProposal => ({
            practiceName: multipleEvents ? `${practice.name} (${event.name})` : practice.name,
            championName: practice.champion.name,
            championEmail: practice.champion.email,
            dates: takeover.proposedDates.map((d) => formatLongDate(parseIsoDay(d))).join(', '),
            acceptUrl: urls[`offer${i}`] ?? '',
            ...(urls[`offerPartnership${i}`] ? { partnershipUrl: urls[`offerPartnership${i}`] } : {}),
          }),
        ),
        links: stillQuiet.map(
          ({ link, practice, event }, i): DigestLink => ({
            practiceName: multipleEvents ? `${practice.name} (${event.name})` : practice.name,
            championName: practice.champion.name,
            championRole: practice.champion.role,
            championEmail: practice.champion.email,
            weeksQuiet: weeksSince(lastSignOfLife(link), now),
            answers: answerUrls(urls, prefix(i), multipleEvents ? `${practice.name} (${event.name})` : practice.name),
          }),
        ),
      }),
      reason: `You get this summary as an event director of ${eventNames}.`,
      eventShortName: head.eventShortName,
    });
    const nextAllowed = addDays(now, deps.nudgePolicy.digestIntervalDays);
    await write(() => deps.ladder.completeDigest(head, done, now, nextAllowed, kept.length ? nextAllowed : undefined));
  }
}

/**
 * A quiet link's entry whose nudge is not yet on the link: queued within the last day, with
 * the link's rung and contact both older than it. The sweep adds the entry first and records
 * the climb after, so that a failure between the two queues it again rather than never; a
 * digest read in between must keep it, not drop it as "no longer quiet".
 */
function nudgeUnrecorded(link: Link, entry: DigestEntry, now: Date): boolean {
  const added = entry.addedAt;
  const recent = now.getTime() - Date.parse(added) < 86_400_000;
  const after = (at: string | undefined) => at !== undefined && at >= added;
  return recent && link.status !== 'ended' && !after(link.ladder?.rungAt) && !after(link.lastContactAt) && !after(link.lastRecordedContactAt);
}
