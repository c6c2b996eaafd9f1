import { describe, expect, it } from 'vitest';
import type { MailboxMessage } from '../../local/mailbox.js';
import { defaultBehaviour, type Behaviour } from '../../simulation/options.js';
import { People } from '../../simulation/people.js';
import { seededRandom, type SimPractice, type World } from '../../simulation/world.js';

const base = 'http://localhost:3000';
const practice: SimPractice = {
  code: 'S10001',
  name: 'Riverside Surgery',
  postcode: 'AB1 2CD',
  champion: { name: 'Ann Champion', role: 'Practice manager', email: 'champion@practice.test' },
  eventShortName: 'bushy',
  habit: 'keeps',
  registersOnDay: 0,
};
const world: World = {
  events: [],
  practices: [practice],
  people: new Map([
    ['champion@practice.test', { role: 'champion', timeZone: 'Europe/London' }],
    ['director@bushy.test', { role: 'event-director', timeZone: 'Europe/London' }],
  ]),
};

const message = (to: string, text: string): MailboxMessage => ({ id: 'm1', to: [to], from: 'hello@nudges.test', replyTo: [], subject: 's', text, html: '', headers: {}, tags: {}, sentAt: '2027-03-01T19:00:00.000Z' }) as MailboxMessage;
const outcomeUrl = (link: string) => `${base}/links/${link}/takeover-outcome/t-${link}`;
const outcomePage = (day: string) => `<h1>How did the takeover on ${day} go?</h1><form method="post"><input type="radio" name="happened" value="yes"><input type="radio" name="happened" value="no"></form>`;
const people = (behaviour: Partial<Behaviour>, seed = 1) => new People(world, { ...defaultBehaviour, ...behaviour }, seededRandom(seed), base);

describe('simulated people: how a takeover went', () => {
  it("has a director answer each takeover outcome asked in their digest, at the director's answer rate", () => {
    const digest = message('director@bushy.test', `How did they go?\n${outcomeUrl('S10001.bushy')}\n${outcomeUrl('S10002.bushy')}\n`);
    const always = people({ directorAnswerRate: 1 }).read(digest, 10);
    expect(always.map((a) => [a.actor, a.kind, a.url])).toEqual([
      ['event-director', 'takeover-outcome', outcomeUrl('S10001.bushy')],
      ['event-director', 'takeover-outcome', outcomeUrl('S10002.bushy')],
    ]);
    expect(people({ directorAnswerRate: 0 }).read(digest, 10)).toEqual([]);
  });

  it('has the champion and a director tell the same story about one takeover, and draw each takeover on its own', () => {
    const sim = people({ directorAnswerRate: 1, answerRate: { keeps: 1, some: 1, none: 1 }, takeoverHappensRate: 0.5 });
    const byChampion = sim.read(message('champion@practice.test', `How did it go?\n${outcomeUrl('S10001.bushy')}\n`), 10)[0]!;
    const byDirector = sim.read(message('director@bushy.test', `How did it go?\n${outcomeUrl('S10001.bushy')}\n`), 10)[0]!;
    const told = (answer: typeof byChampion, day: string) => answer.form(outcomePage(day))!.fields.happened;
    const days = Array.from({ length: 40 }, (_, i) => `Saturday ${i + 1} March 2027`);
    const champion = days.map((day) => told(byChampion, day));
    expect(days.map((day) => told(byDirector, day))).toEqual(champion);
    // Forty takeovers at an even chance are not all told the same way.
    expect(new Set(champion)).toEqual(new Set(['yes', 'no']));
  });

  it('gives staff numbers only for a takeover that happened, and leaves a page without the form', () => {
    const sim = people({ answerRate: { keeps: 1, some: 1, none: 1 }, takeoverHappensRate: 0 });
    const [answer] = sim.read(message('champion@practice.test', outcomeUrl('S10001.bushy')), 10);
    expect(answer!.form(outcomePage('Saturday 6 March 2027'))!.fields).toMatchObject({ happened: 'no', staffVolunteered: '' });
    expect(answer!.form('<h1>This link has already been used</h1>')).toBeUndefined();
  });
});

describe('simulated people: replying by email', () => {
  const inTouchUrl = `${base}/links/S10001.bushy/in-touch/t-1`;
  const nudge = (replyTo: string) => ({ ...message('champion@practice.test', `Time to say hello?\n${inTouchUrl}\n`), subject: 'Time to say hello', replyTo: [replyTo], headers: { 'Message-ID': '<m1@ses.test>' } });
  const replyAddress = 'reply+ABCDEF@reply.nudges.test';

  it("has someone about to press \"We're in touch\" reply to the link's reply address instead, at the reply rate", () => {
    const [reply] = people({ answerRate: { keeps: 1, some: 1, none: 1 }, replyRate: 1 }).read(nudge(replyAddress), 10);
    expect(reply).toMatchObject({ actor: 'champion', kind: 'reply', url: `mailto:${replyAddress}`, reply: { from: 'champion@practice.test', to: replyAddress, subject: 'Re: Time to say hello', inReplyTo: '<m1@ses.test>' } });
    expect(reply!.reply!.words.length).toBeGreaterThan(10);
    expect(people({ answerRate: { keeps: 1, some: 1, none: 1 }, replyRate: 0 }).read(nudge(replyAddress), 10).map((a) => a.kind)).toEqual(['in-touch']);
  });

  it('presses the button when the email has only the general reply-to, and a director replies to a one-link email too', () => {
    expect(people({ answerRate: { keeps: 1, some: 1, none: 1 }, replyRate: 1 }).read(nudge('health@nudges.test'), 10).map((a) => a.kind)).toEqual(['in-touch']);
    const toDirector = { ...nudge(replyAddress), to: ['director@bushy.test'] };
    expect(people({ directorAnswerRate: 1, replyRate: 1 }).read(toDirector, 10).map((a) => [a.actor, a.kind, a.reply?.from])).toEqual([['event-director', 'reply', 'director@bushy.test']]);
  });
});
