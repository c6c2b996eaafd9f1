/**
 * "Anything that shows the two sides are working together counts as contact"
 * (docs/contact.md): each joint action, driven through its use case on the in-memory
 * ports, moves the link's last contact to now, by the right side, and starts its ladder
 * again; the answers that do not count leave the contact where it was.
 */
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../functions/core/errors.js';
import type { Link, Side } from '../../functions/core/model.js';
import type { TokenPurpose } from '../../functions/core/ports.js';
import { jointContact, takeoverOff } from '../../functions/core/policies/joint-contact.js';
import { addDays, defaultNudgePolicy as policy, nextCheck } from '../../functions/core/policies/quiet-link-ladder.js';
import { offerableDates } from '../../functions/core/policies/takeover-dates.js';
import { confirmFirstTimerContact, nameFirstTimerContact, standDownFirstTimerContact } from '../../functions/core/use-cases/first-timer-contact.js';
import { planNewcomers } from '../../functions/core/use-cases/newcomer-notice.js';
import { cancelTakeover, moveTakeover, recordRolesFilled, recordTakeoverOutcome } from '../../functions/core/use-cases/takeover-answers.js';
import { acceptTakeover, declineForThisYear, declineOffer, proposeTakeover } from '../../functions/core/use-cases/takeover-planning.js';
import { anEvent } from '../support/fixtures.js';
import { memoryDeps, type MemoryTakeoverStore } from '../support/memory-ports.js';

const monday = new Date('2026-11-23T10:00:00Z');
const day = 86_400_000;
const director = 'sarah@parkrun.example';

/** A link nudged once: last in touch 50 days ago (by the event, by email), on rung 1. */
function aQuietLink(practiceCode = 'A81001', extra: Partial<Link> = {}): Link {
  return {
    practiceCode,
    eventShortName: 'bushy',
    status: 'quiet',
    createdAt: new Date(monday.getTime() - 300 * day).toISOString(),
    createdBy: 'registration',
    initialContact: 'practice',
    introducedAt: new Date(monday.getTime() - 300 * day).toISOString(),
    lastContactAt: new Date(monday.getTime() - 50 * day).toISOString(),
    lastContactBy: 'event',
    lastContactHow: 'email',
    ladder: { rung: 1, rungAt: new Date(monday.getTime() - 8 * day).toISOString(), quietSince: new Date(monday.getTime() - 8 * day).toISOString() },
    dueAt: new Date(monday.getTime() + 6 * day).toISOString(),
    ...extra,
  };
}

function world(links: Link[] = [aQuietLink()]) {
  const deps = memoryDeps([anEvent()], monday);
  for (const link of links) {
    const code = link.practiceCode;
    deps.partnerships.practices.set(code, { code, name: `Practice ${code}`, postcode: 'TW11 0AA', champion: { name: `Champion ${code}`, role: 'GP', email: `${code.toLowerCase()}@nhs.example` } });
    deps.partnerships.links.set(`${code}#bushy`, link);
  }
  const link = (code = 'A81001') => deps.partnerships.links.get(`${code}#bushy`)!;
  const issue = (purpose: TokenPurpose, role: 'champion' | 'event-director', detail?: Record<string, string>, code = 'A81001') =>
    deps.tokens.issue(
      { purpose, subject: `${code}.bushy`, recipient: role === 'champion' ? `${code.toLowerCase()}@nhs.example` : director, role, ...(detail ? { detail } : {}), expiresAt: new Date('2027-12-01T00:00:00Z') },
      deps.clock.now(),
    );
  const request = async (purpose: TokenPurpose, role: 'champion' | 'event-director', detail?: Record<string, string>, code = 'A81001') => ({ linkId: `${code}.bushy`, token: await issue(purpose, role, detail, code) });
  /** Moves the clock on, so a contact recorded now can be told from one recorded before. */
  const later = (days: number) => (deps.clock.at = new Date(deps.clock.at.getTime() + days * day));
  const offer = async () => {
    const dates = offerableDates(deps.clock.now(), anEvent(), []).slice(0, 3);
    const { takeover } = await proposeTakeover(deps, await request('takeover-propose', 'champion'), dates);
    return { takeover, dates };
  };
  const fix = async () => {
    const { takeover, dates } = await offer();
    later(2);
    await acceptTakeover(deps, await request('takeover-accept', 'event-director', { takeoverId: takeover.id }), dates[0]!);
    return { takeover, dates };
  };
  return { deps, link, request, later, offer, fix };
}

/** The contact as the link shows it, and where its ladder stands. */
const contactOf = (link: Link) => ({ lastContactAt: link.lastContactAt, lastContactBy: link.lastContactBy, status: link.status, rung: link.ladder?.rung });
const countedNow = (now: Date, by: Side) => ({ lastContactAt: now.toISOString(), lastContactBy: by, status: 'active', rung: 0 });
const midday = (isoDay: string) => new Date(`${isoDay}T12:00:00Z`);

describe('joint actions count as contact', () => {
  it('a takeover offered: contact from the practice, and no quiet check until 42 days after the last Saturday offered', async () => {
    const w = world();
    const { dates } = await w.offer();
    const link = w.link();
    expect(contactOf(link)).toEqual(countedNow(monday, 'practice'));
    expect(link.takeoverUntil).toBe(dates.at(-1));
    expect(link.dueAt).toBe(addDays(midday(dates.at(-1)!), 42).toISOString());
    // The champion's own way of saying it is gone: this contact was not by email.
    expect(link.lastContactHow).toBeUndefined();
    expect((await w.deps.partnerships.historyOf({ practiceCode: 'A81001', eventShortName: 'bushy' }, 1))[0]).toMatchObject({ type: 'contact', by: 'practice', via: 'takeover-offered' });
  });

  it('a takeover fixed: contact from the event, held until 42 days after the day fixed', async () => {
    const w = world();
    const { dates } = await w.fix();
    const link = w.link();
    expect(contactOf(link)).toEqual(countedNow(w.deps.clock.now(), 'event'));
    expect(link.takeoverUntil).toBe(dates[0]);
    expect(link.dueAt).toBe(addDays(midday(dates[0]!), 42).toISOString());
  });

  it.each([
    ['champion', 'practice'],
    ['event-director', 'event'],
  ] as const)('a takeover moved by the %s: contact from the %s side, held until the new day', async (role, side) => {
    const w = world();
    const { takeover } = await w.fix();
    w.later(3);
    const moveTo = offerableDates(w.deps.clock.now(), anEvent(), [], 1).at(-1)!;
    await moveTakeover(w.deps, await w.request('takeover-change', role, { takeoverId: takeover.id }), moveTo);
    expect(contactOf(w.link())).toEqual(countedNow(w.deps.clock.now(), side));
    expect(w.link().takeoverUntil).toBe(moveTo);
    expect(w.link().dueAt).toBe(addDays(midday(moveTo), 42).toISOString());
  });

  it('a takeover looked back on after the day: contact, the activity done, and the day no longer holds the ladder', async () => {
    const w = world();
    const { takeover, dates } = await w.fix();
    w.deps.clock.at = new Date(midday(dates[0]!).getTime() + 2 * day);
    await recordTakeoverOutcome(w.deps, await w.request('takeover-outcome', 'event-director', { takeoverId: takeover.id }), { happened: true, staffVolunteered: 6, wouldDoAgain: true });
    const link = w.link();
    expect(contactOf(link)).toEqual(countedNow(w.deps.clock.now(), 'event'));
    expect(link.activities?.['volunteer-takeover']).toMatchObject({ status: 'done', updatedBy: 'event' });
    expect(link.takeoverUntil).toBeUndefined();
    expect(link.dueAt).toBe(addDays(w.deps.clock.now(), 42).toISOString());
  });

  it('newcomers planned: contact from the practice', async () => {
    const w = world();
    const saturday = offerableDates(monday, anEvent(), [], 1)[0]!;
    await planNewcomers(w.deps, await w.request('newcomers', 'champion'), { action: 'plan', date: saturday, count: 3 });
    expect(contactOf(w.link())).toEqual(countedNow(monday, 'practice'));
    expect(w.link().dueAt).toBe(addDays(monday, 42).toISOString());
  });

  it('a first-timer contact named: contact from the event on the link the director named them from, and confirmed: on that link again', async () => {
    const w = world([aQuietLink('A81001'), aQuietLink('A81002')]);
    const { candidate } = await nameFirstTimerContact(w.deps, await w.request('first-timer-contact', 'event-director', undefined, 'A81002'), {
      firstName: 'Alex',
      whereToFind: 'by the start funnel in a pink vest',
      email: 'alex@example.org',
    });
    expect(candidate.namedFrom).toBe('A81002.bushy');
    expect(contactOf(w.link('A81002'))).toEqual(countedNow(monday, 'event'));
    // Not on another link of the same event.
    expect(contactOf(w.link('A81001'))).toEqual(contactOf(aQuietLink('A81001')));

    w.later(1);
    const token = await w.deps.tokens.issue(
      { purpose: 'first-timer-volunteer', subject: 'bushy', recipient: 'alex@example.org', role: 'first-timer-contact', detail: { contactId: candidate.id }, expiresAt: new Date('2027-12-01T00:00:00Z') },
      w.deps.clock.now(),
    );
    await confirmFirstTimerContact(w.deps, { eventShortName: 'bushy', token });
    expect(w.deps.eventDirectory.events[0]!.firstTimerContact).toMatchObject({ id: candidate.id, firstName: 'Alex' });
    expect(w.deps.eventDirectory.events[0]!.firstTimerContact).not.toHaveProperty('namedFrom');
    expect(contactOf(w.link('A81002'))).toEqual(countedNow(w.deps.clock.now(), 'event'));
    expect(contactOf(w.link('A81001'))).toEqual(contactOf(aQuietLink('A81001')));
  });

  it('a confirmation of a naming whose link is not known (named before it was kept) or has ended touches no link, and still confirms', async () => {
    const w = world([aQuietLink('A81001'), aQuietLink('A81002', { status: 'ended' })]);
    const event = w.deps.eventDirectory.events[0]!;
    const volunteer = (contactId: string) =>
      w.deps.tokens.issue(
        { purpose: 'first-timer-volunteer', subject: 'bushy', recipient: 'alex@example.org', role: 'first-timer-contact', detail: { contactId }, expiresAt: new Date('2027-12-01T00:00:00Z') },
        w.deps.clock.now(),
      );
    event.firstTimerCandidate = { id: 'old', firstName: 'Alex', whereToFind: 'at the start', namedAt: monday.toISOString(), namedBy: { name: 'Sarah Okafor', email: director } };
    await confirmFirstTimerContact(w.deps, { eventShortName: 'bushy', token: await volunteer('old') });
    expect(event.firstTimerContact?.id).toBe('old');
    event.firstTimerCandidate = { id: 'ended', firstName: 'Sam', whereToFind: 'at the finish', namedAt: monday.toISOString(), namedBy: { name: 'Sarah Okafor', email: director }, namedFrom: 'A81002.bushy' };
    await confirmFirstTimerContact(w.deps, { eventShortName: 'bushy', token: await volunteer('ended') });
    expect(event.firstTimerContact?.id).toBe('ended');
    expect(contactOf(w.link('A81001'))).toEqual(contactOf(aQuietLink('A81001')));
    expect(w.link('A81002')).toMatchObject({ status: 'ended', lastContactAt: aQuietLink().lastContactAt });
  });

  it('refuses a takeover offered on a link ended since the email, and writes nothing', async () => {
    const w = world([aQuietLink('A81001', { status: 'ended' })]);
    const dates = offerableDates(monday, anEvent(), []).slice(0, 1);
    const attempt = proposeTakeover(w.deps, await w.request('takeover-propose', 'champion'), dates);
    await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
    expect((w.deps.takeovers as MemoryTakeoverStore).takeovers.size).toBe(0);
    expect(w.link()).toMatchObject({ status: 'ended', lastContactAt: aQuietLink().lastContactAt });
  });
});

describe('answers that do not count as contact', () => {
  it('an offer declined: the contact stays the offer’s, and its Saturdays stop holding the ladder', async () => {
    const w = world();
    const { takeover } = await w.offer();
    const offered = contactOf(w.link());
    w.later(5);
    await declineOffer(w.deps, await w.request('takeover-accept', 'event-director', { takeoverId: takeover.id }), 'A cross-country fixture both weeks');
    expect(contactOf(w.link())).toEqual(offered);
    expect(w.link().takeoverUntil).toBeUndefined();
    expect(w.link().dueAt).toBe(addDays(monday, 42).toISOString());
  });

  it('a takeover cancelled, or that did not happen: the contact stays as it was, and the day no longer holds the ladder', async () => {
    for (const answer of ['cancel', 'did-not-happen'] as const) {
      const w = world();
      const { takeover, dates } = await w.fix();
      const fixed = contactOf(w.link());
      if (answer === 'cancel') {
        w.later(3);
        await cancelTakeover(w.deps, await w.request('takeover-change', 'event-director', { takeoverId: takeover.id }));
      } else {
        w.deps.clock.at = new Date(midday(dates[0]!).getTime() + 2 * day);
        await recordTakeoverOutcome(w.deps, await w.request('takeover-outcome', 'champion', { takeoverId: takeover.id }), { happened: false, staffVolunteered: 0, wouldDoAgain: false });
        expect(w.link().activities?.['volunteer-takeover']).toBeUndefined();
      }
      expect(contactOf(w.link()), answer).toEqual(fixed);
      expect(w.link().takeoverUntil, answer).toBeUndefined();
      expect(w.link().dueAt, answer).toBe(addDays(new Date(fixed.lastContactAt!), 42).toISOString());
    }
  });

  it('"not this year", roles filled and newcomers cancelled leave the contact where it was', async () => {
    const w = world();
    await declineForThisYear(w.deps, await w.request('takeover-not-this-year', 'champion'));
    expect(contactOf(w.link())).toEqual(contactOf(aQuietLink()));

    const { takeover } = await w.fix();
    const fixed = contactOf(w.link());
    w.later(1);
    await recordRolesFilled(w.deps, await w.request('takeover-roles', 'champion', { takeoverId: takeover.id }), 'most');
    expect(contactOf(w.link())).toEqual(fixed);

    const saturday = offerableDates(w.deps.clock.now(), anEvent(), [], 1)[0]!;
    await planNewcomers(w.deps, await w.request('newcomers', 'champion'), { action: 'plan', date: saturday, count: 2 });
    const planned = contactOf(w.link());
    w.later(1);
    await planNewcomers(w.deps, await w.request('newcomers', 'champion'), { action: 'cancel', date: saturday });
    expect(contactOf(w.link())).toEqual(planned);
  });

  it('a first-timer contact stepping down is the volunteer’s own business: no link changes', async () => {
    const w = world();
    const event = w.deps.eventDirectory.events[0]!;
    event.firstTimerContact = { id: 'c1', firstName: 'Alex', whereToFind: 'at the start', confirmedAt: monday.toISOString() };
    const token = await w.deps.tokens.issue(
      { purpose: 'first-timer-volunteer', subject: 'bushy', recipient: 'alex@example.org', role: 'first-timer-contact', detail: { contactId: 'c1' }, expiresAt: new Date('2027-12-01T00:00:00Z') },
      monday,
    );
    await standDownFirstTimerContact(w.deps, { eventShortName: 'bushy', token });
    expect(event.firstTimerContact).toBeUndefined();
    expect(w.link()).toEqual(aQuietLink());
  });
});

describe('the contact a joint action writes (pure)', () => {
  it('counts the next quiet check from now, or from a takeover day further ahead', () => {
    const link = aQuietLink();
    expect(jointContact(link, { by: 'practice', via: 'newcomers-planned' }, monday, policy)).toMatchObject({ by: 'practice', at: monday, dueAt: addDays(monday, 42) });
    const ahead = jointContact(link, { by: 'event', via: 'takeover-fixed', takeoverUntil: '2027-03-06' }, monday, policy);
    expect(ahead).toMatchObject({ takeoverUntil: '2027-03-06', dueAt: addDays(midday('2027-03-06'), 42) });
    // A takeover already on the link holds a later contact's check too.
    expect(jointContact({ ...link, takeoverUntil: '2027-03-06' }, { by: 'practice', via: 'newcomers-planned' }, monday, policy).dueAt).toEqual(addDays(midday('2027-03-06'), 42));
    // Taken off in the same write, it holds nothing.
    expect(jointContact({ ...link, takeoverUntil: '2027-03-06' }, { by: 'event', via: 'takeover-done', takeoverUntil: null }, monday, policy).dueAt).toEqual(addDays(monday, 42));
  });

  it('takes a takeover off: the check falls back to the link’s own ladder, and to none for a link the ladder no longer watches', () => {
    const link = aQuietLink('A81001', { takeoverUntil: '2027-03-06' });
    expect(takeoverOff(link, policy).dueAt).toEqual(nextCheck(aQuietLink(), aQuietLink().ladder!, policy));
    expect(takeoverOff(link, policy).dueAt).toEqual(addDays(new Date(aQuietLink().ladder!.rungAt!), 14));
    expect(takeoverOff({ ...link, status: 'ended' }, policy).dueAt).toBeUndefined();
  });
});
