import { describe, expect, it } from 'vitest';
import { mergeResults, mergeWeek, storeResult } from '../../simulation/merge.js';
import type { Contradiction } from '../../simulation/measures.js';
import { defaultBehaviour, defaultOptions } from '../../simulation/options.js';
import type { SimulationResult, WeekFigures } from '../../simulation/simulate.js';
import { buildWorld, worldPart } from '../../simulation/world.js';

const week = (over: Partial<WeekFigures>): WeekFigures => ({
  week: 3,
  from: '2027-01-18',
  wallSeconds: 10,
  itemsRead: 100,
  requests: 70,
  emails: 50,
  unaskedEmails: 20,
  contradictoryNudges: 0,
  links: 10,
  contactShare90d: 0.5,
  atRisk: 1,
  ...over,
});

const result = (over: Partial<SimulationResult>): SimulationResult => ({
  options: defaultOptions,
  startedAt: new Date('2027-01-04T00:00:00Z'),
  endedAt: new Date('2027-01-11T00:00:00Z'),
  weeks: [week({})],
  messages: [],
  people: new Map(),
  directors: [],
  champions: [],
  answers: {},
  refusedWith: {},
  replyOutcomes: {},
  errors: [],
  contradictions: [],
  helloAsksChecked: 0,
  ledgerSent: 0,
  takeovers: {},
  feedbackReports: 0,
  feedbackAsked: 0,
  registrations: { accepted: 0, refused: 0 },
  wallSeconds: 1,
  ...over,
});

const contradiction = (sentAt: string): Contradiction => ({ messageId: sentAt, sentAt, to: 'a@x', link: 'A81001.bushy', template: 'quiet-link-nudge', roundUp: false, takeover: 'offered' });

describe('a simulation split into parts', () => {
  const world = buildWorld({ events: 50, practices: 120, registrationWeeks: 4 }, defaultBehaviour, 7);

  it('splits the world into parts that share nobody and together are the whole', () => {
    const parts = [0, 1, 2].map((i) => worldPart(world, i, 3));
    expect(parts.flatMap((p) => p.events.map((e) => e.shortName)).sort()).toEqual(world.events.map((e) => e.shortName).sort());
    expect(parts.flatMap((p) => p.practices.map((pr) => pr.code)).sort()).toEqual(world.practices.map((p) => p.code).sort());
    expect(parts.reduce((sum, p) => sum + p.people.size, 0)).toBe(world.people.size);
    for (const part of parts) {
      const events = new Set(part.events.map((e) => e.shortName));
      expect(part.practices.every((p) => events.has(p.eventShortName))).toBe(true);
    }
  });

  it('weighs each part’s share of links in contact by its links, and takes the slowest part’s time', () => {
    const merged = mergeWeek([
      week({ links: 30, contactShare90d: 0.2, wallSeconds: 12, unaskedEmails: 7, contradictoryNudges: 1 }),
      week({ links: 10, contactShare90d: 0.6, wallSeconds: 9, unaskedEmails: 5, contradictoryNudges: 2 }),
    ]);
    expect(merged).toEqual({ week: 3, from: '2027-01-18', wallSeconds: 12, itemsRead: 200, requests: 140, emails: 100, unaskedEmails: 12, contradictoryNudges: 3, links: 40, contactShare90d: 0.3, atRisk: 2 });
  });

  it('adds up the parts’ counts, people and answers, through the form a part stores', () => {
    const a = result({
      people: new Map([['a@x', { role: 'champion', timeZone: 'Europe/London' }]]),
      answers: { feedback: { answered: 2, left: 1, refused: 0, error: 0 } },
      replyOutcomes: { contact: 3, relayed: 1 },
      takeovers: { done: 1 },
      ledgerSent: 5,
      registrations: { accepted: 3, refused: 0 },
      champions: ['a@x'],
      contradictions: [contradiction('2027-03-02T10:00:00.000Z')],
      helloAsksChecked: 10,
    });
    const b = result({
      people: new Map([['b@x', { role: 'event-director', timeZone: 'Europe/London' }]]),
      answers: { feedback: { answered: 1, left: 0, refused: 1, error: 0 }, newcomers: { answered: 4, left: 0, refused: 0, error: 0 } },
      refusedWith: { 'feedback 409': 1 },
      replyOutcomes: { contact: 2, 'ignored rate-limited': 1 },
      takeovers: { done: 2, cancelled: 1 },
      ledgerSent: 7,
      registrations: { accepted: 4, refused: 1 },
      directors: ['b@x'],
      contradictions: [contradiction('2027-02-01T10:00:00.000Z')],
      helloAsksChecked: 5,
    });
    const merged = mergeResults(JSON.parse(JSON.stringify([storeResult(a), storeResult(b)])), 42);
    expect(merged.people.get('b@x')?.role).toBe('event-director');
    expect(merged.people.size).toBe(2);
    expect(merged.answers).toEqual({
      feedback: { answered: 3, left: 1, refused: 1, error: 0 },
      newcomers: { answered: 4, left: 0, refused: 0, error: 0 },
    });
    expect(merged.takeovers).toEqual({ done: 3, cancelled: 1 });
    expect(merged.refusedWith).toEqual({ 'feedback 409': 1 });
    expect(merged.replyOutcomes).toEqual({ contact: 5, relayed: 1, 'ignored rate-limited': 1 });
    expect(merged).toMatchObject({ helloAsksChecked: 15, ledgerSent: 12, registrations: { accepted: 7, refused: 1 }, champions: ['a@x'], directors: ['b@x'], wallSeconds: 42 });
    expect(merged.startedAt.toISOString()).toBe('2027-01-04T00:00:00.000Z');
    expect(merged.contradictions.map((c) => c.sentAt)).toEqual(['2027-02-01T10:00:00.000Z', '2027-03-02T10:00:00.000Z']);
  });
});
