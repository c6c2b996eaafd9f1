/**
 * An event director's digest, sent by the quiet-link sweep when it falls due: what waits
 * for the director across their events, as things stand when it is read (links that could
 * do with a hello, takeover offers, takeovers coming and done, the month's feedback, new
 * practices, a first-timer contact asked for), most important first, in one email.
 *
 * Exactly once: keyed by director and due time; the entries sent are deleted only if
 * unchanged since read, so one added meanwhile goes in the next digest.
 */
import { eventDirectorDigest, type DigestContactNeeded, type DigestFeedback, type DigestLink, type DigestNewPractice, type DigestProposal, type DigestTakeoverComing, type DigestTakeoverOutcome } from '../../../templates/event-director-digest.js';
import { answerLinks, answerUrls } from '../magic-links.js';
import type { Mailer } from '../mailer.js';
import { eventContacts, greetingOf, linkId, type FeedbackReport, type Link, type ParkrunEvent, type Practice, type Takeover } from '../model.js';
import { formatLongDate, parseIsoDay } from '../policies/event-dates.js';
import { periodLabel } from '../policies/feedback-calendar.js';
import { nextAllowedTime } from '../policies/quiet-hours.js';
import { addDays, lastSignOfLife, weeksSince, type NudgePolicy } from '../policies/quiet-link-ladder.js';
import type { Clock, DigestEntry, DigestHead, EventDirectory, FeedbackStore, LadderStore, PartnershipStore, TakeoverStore } from '../ports.js';
import { describeReport } from './attendance-feedback.js';
import type { SweepReport, SweepStep } from './quiet-link-sweep.js';

export interface DirectorDigestDeps {
  ladder: LadderStore;
  takeovers: TakeoverStore;
  feedback: FeedbackStore;
  partnerships: PartnershipStore;
  events: EventDirectory;
  mailer: Mailer;
  clock: Clock;
  nudgePolicy: NudgePolicy;
}

/** The sweep run's: its time, its report, and its way to step and write (nothing written in a dry run). */
export interface DigestContext {
  now: Date;
  dryRun: boolean;
  report: SweepReport;
  step(step: SweepStep): void;
  write(apply: () => Promise<boolean | void>): Promise<void>;
}

export async function sendDirectorDigest(deps: DirectorDigestDeps, head: DigestHead, context: DigestContext): Promise<void> {
  const { now, report, step, write } = context;
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
  if (context.dryRun) return;
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
