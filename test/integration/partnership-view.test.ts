/**
 * The page both sides share, over HTTP and a real DynamoDB Local table: opened from the
 * champion's and a director's introductions, it reads the link's takeovers (one Query on
 * gsi1, link-takeovers.ts) and this year's feedback through the real adapters, and only
 * this link's: another practice's takeover at the same event is not shown. And the emails
 * that the jobs send about a link (nudges, the directors' summary, the feedback ask) carry
 * its read-only link, naming the other side.
 */
import { describe, expect, it } from 'vitest';
import type { ContactRole } from '../../functions/core/model.js';
import type { OutgoingEmail, TokenPurpose } from '../../functions/core/ports.js';
import { askTimeOf } from '../../functions/core/policies/feedback-calendar.js';
import { runFeedbackAsks } from '../../functions/core/use-cases/attendance-feedback.js';
import { queueForDigest } from '../../functions/core/use-cases/digest-queue.js';
import { introduceRegistration } from '../../functions/core/use-cases/introduce-registration.js';
import { runQuietLinkSweep } from '../../functions/core/use-cases/quiet-link-sweep.js';
import { openPartnership } from '../../functions/core/use-cases/partnership-view.js';
import { acceptTakeover, openProposal, proposeTakeover } from '../../functions/core/use-cases/takeover-planning.js';
import { registrationBody } from '../support/fixtures.js';
import { linksIn, magicLinkWorld } from '../support/magic-links.js';
import { registerAndConfirm } from '../support/registrations.js';
import { anEvent } from '../support/fixtures.js';
import { aLink, aPractice, sweepWorld, tuesdayMorning } from '../support/sweep-world.js';

const champion = 'jane.smith@nhs.example';
const director = 'sarah@parkrun.example';

describe('the partnership page on DynamoDB', () => {
  it("shows the link's own takeovers and feedback, the same from either side's email", async () => {
    const w = await magicLinkWorld();
    const other = await registerAndConfirm(w.deps, w.transport.sent, registrationBody({ practiceCode: 'A81002', practiceName: 'Hill Surgery', champion: { name: 'Nadia Ali', role: 'Nurse', email: 'nadia@nhs.example' } }));
    await introduceRegistration(w.deps, other);
    const now = w.clock.now();
    const mint = (purpose: TokenPurpose, subject: string, recipient: string, role: ContactRole, detail?: Record<string, string>) =>
      w.store.tokens.issue({ purpose, subject, recipient, role, ...(detail ? { detail } : {}), expiresAt: new Date(now.getTime() + 86_400_000) }, now);

    // Riverside offers two Saturdays; Hill Surgery's offer is fixed by the director.
    const ours = await mint('takeover-propose', 'A81001.bushy', champion, 'champion');
    const { choices } = await openProposal(w.deps, { linkId: 'A81001.bushy', token: ours });
    const { takeover: offered } = await proposeTakeover(w.deps, { linkId: 'A81001.bushy', token: ours }, choices.slice(0, 2));
    const theirs = await mint('takeover-propose', 'A81002.bushy', 'nadia@nhs.example', 'champion');
    const { takeover: hill } = await proposeTakeover(w.deps, { linkId: 'A81002.bushy', token: theirs }, choices.slice(2, 3));
    await acceptTakeover(w.deps, { linkId: 'A81002.bushy', token: await mint('takeover-accept', 'A81002.bushy', director, 'event-director', { takeoverId: hill.id }) }, choices[2]!);

    const view = await openPartnership(w.store, { linkId: 'A81001.bushy', token: await mint('partnership', 'A81001.bushy', director, 'event-director') });
    expect(view.takeovers).toEqual({ planned: [{ id: offered.id, status: 'proposed', proposedDates: choices.slice(0, 2) }], past: [] });
    expect(view.feedback).toEqual({ year: 2026, monthsReported: 0, suggested: 0, attended: 0, monthsStaffTookPart: 0 });
    // Offering a takeover counts as contact, by the practice (docs/contact.md).
    expect(view.lastContact).toMatchObject({ by: 'practice' });

    // From the emails themselves: the champion's names the event, the director's the practice, and both open the same page.
    const fromChampion = linksIn(w.emailTo(champion))['See your partnership with Bushy parkrun'];
    const fromDirector = linksIn([...w.transport.sent].reverse().find((e) => e.to === director && e.subject === 'Riverside Surgery has linked with Bushy parkrun')!)['See your partnership with Riverside Surgery'];
    expect(fromChampion).toMatch(/\/links\/A81001\.bushy\/partnership\/[A-Za-z0-9_-]{43}$/);
    expect(fromDirector).toMatch(/\/links\/A81001\.bushy\/partnership\/[A-Za-z0-9_-]{43}$/);
    const pages = await Promise.all([fromChampion!, fromDirector!].map(async (url) => {
      const res = await w.get(url);
      expect(res.status).toBe(200);
      return res.text();
    }));
    expect(pages[0]).toContain('Offered by the practice for');
    expect(pages[0]).not.toContain('Hill Surgery');
    expect(pages[1]).toBe(pages[0]);
  });
});

/** The partnership link in an email's text, by the other side's name; checked to be a token for this page, this link and this reader. */
async function partnershipLinkIn(tokens: { lookup(token: string, now: Date): Promise<unknown> }, email: OutgoingEmail, otherSide: string, now: Date) {
  const match = new RegExp(`^See your partnership with ${otherSide.replace(/[()]/g, '\\$&')}: (\\S+)$`, 'm').exec(email.text);
  expect(match, `${email.subject} to ${email.to}`).not.toBeNull();
  const url = new URL(match![1]!);
  expect(email.html).toContain(`>See your partnership with ${otherSide}</a>`);
  return { url, lookup: (await tokens.lookup(url.pathname.split('/').at(-1)!, now)) as { grant: { purpose: string; subject: string; recipient: string; role: string } } };
}

describe('the emails about a link carry it', () => {
  it('the quiet-link nudges, the directors’ summary and the monthly feedback ask, each naming the other side', async () => {
    const w = await sweepWorld({
      practices: [aPractice('A00001'), aPractice('A00002')],
      links: [aLink('A00001', 'bushy', tuesdayMorning, 56, { status: 'quiet', ladder: { rung: 1, rungAt: new Date(tuesdayMorning.getTime() - 14 * 86_400_000).toISOString() } }), aLink('A00002', 'bushy', tuesdayMorning, 10)],
    });
    await w.sweep();
    w.clock.set(new Date(tuesdayMorning.getTime() + 0.05 * 86_400_000));
    await w.sweep();
    const nudge = w.recording.sent.find((e) => e.subject.startsWith('Still there?'))!;
    const fromNudge = await partnershipLinkIn(w.store.tokens, nudge, 'Bushy parkrun', w.clock.now());
    expect(fromNudge.lookup.grant).toMatchObject({ purpose: 'partnership', subject: 'A00001.bushy', recipient: 'a00001@nhs.example', role: 'champion' });
    const digest = w.recording.sent.find((e) => e.to === 'sarah@parkrun.example' && e.subject.startsWith('Bushy parkrun:'))!;
    const fromDigest = await partnershipLinkIn(w.store.tokens, digest, 'Practice A00001', w.clock.now());
    expect(fromDigest.lookup.grant).toMatchObject({ purpose: 'partnership', subject: 'A00001.bushy', recipient: 'sarah@parkrun.example', role: 'event-director' });

    // The first Tuesday of December: the ask about November, to the live link (the quiet one is nudged to say hello instead).
    for (const practiceCode of ['A00001', 'A00002']) await w.deps.feedback.saveAskState({ practiceCode, eventShortName: 'bushy', dueAt: askTimeOf(2026, 12).toISOString() });
    w.clock.set(askTimeOf(2026, 12));
    expect(await runFeedbackAsks(w.deps)).toMatchObject({ asked: 1 });
    const ask = w.recording.sent.at(-1)!;
    expect(ask.subject).toBe('November 2026 at Practice A00002: how many patients did you point to Bushy parkrun?');
    const fromAsk = await partnershipLinkIn(w.store.tokens, ask, 'Bushy parkrun', w.clock.now());
    expect(fromAsk.lookup.grant).toMatchObject({ purpose: 'partnership', subject: 'A00002.bushy', role: 'champion' });
  });

  it('the directors’ summary carries it under a takeover offer and under a request to name a first-timer contact', async () => {
    const w = await magicLinkWorld();
    // A week after the introductions, so the director's budget of unasked email is free for the summary.
    w.clock.set(new Date('2026-12-01T10:00:00Z'));
    const now = w.clock.now();
    const token = await w.store.tokens.issue({ purpose: 'takeover-propose', subject: 'A81001.bushy', recipient: champion, role: 'champion', expiresAt: new Date(now.getTime() + 86_400_000) }, now);
    const { choices } = await openProposal(w.deps, { linkId: 'A81001.bushy', token });
    const { takeover } = await proposeTakeover(w.deps, { linkId: 'A81001.bushy', token }, choices.slice(0, 1));
    // As the takeover watcher and the newcomer notice put them in the digest.
    const sarah = anEvent().eventDirectors[0]!;
    await queueForDigest(w.deps, sarah, anEvent(), { kind: 'takeover-proposal', practiceCode: 'A81001', eventShortName: 'bushy', takeoverId: takeover.id, addedAt: now.toISOString() }, now);
    await queueForDigest(w.deps, sarah, anEvent(), { kind: 'first-timer-contact-needed', practiceCode: 'A81001', eventShortName: 'bushy', addedAt: now.toISOString() }, now);
    expect(await runQuietLinkSweep(w.deps)).toMatchObject({ digests: 1 });
    const digest = [...w.transport.sent].reverse().find((e) => e.to === director && e.subject.startsWith('Bushy parkrun:'))!;
    expect(digest.text).toContain('Choose a date or say no');
    expect(digest.text).toContain('Name a first-timer contact');
    const links = [...digest.text.matchAll(/^See your partnership with Riverside Surgery: (\S+)$/gm)].map((m) => m[1]!);
    expect(links).toHaveLength(2);
    for (const url of links) {
      const lookup = await w.store.tokens.lookup(new URL(url).pathname.split('/').at(-1)!, w.clock.now());
      expect(lookup?.grant).toMatchObject({ purpose: 'partnership', subject: 'A81001.bushy', recipient: director, role: 'event-director' });
    }
    expect(digest.html.match(/>See your partnership with Riverside Surgery<\/a>/g)).toHaveLength(2);
  });
});
