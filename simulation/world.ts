/**
 * The simulated programme: events with their directors, practices with their champions,
 * and which event each practice links with, in the survey's proportions (docs/simulation.md):
 * practices per linked event 1 (34.8%), 2 (32.1%), 3 (15.2%), 4 (9.4%), 5 to 7 (the
 * rest). The survey's 69.9% of events linked holds for the real programme's ~1,200 UK
 * events; with fewer events, more of them are linked so every practice has one.
 * Everything is drawn from one seeded generator, so a seed always gives the same people.
 */
import type { ParkrunEvent } from '../functions/core/model.js';
import type { Behaviour } from './options.js';

/** mulberry32: small, fast and good enough for drawing people; not for anything secret. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type ContactHabit = 'keeps' | 'some' | 'none';

export interface SimPractice {
  code: string;
  name: string;
  postcode: string;
  champion: { name: string; role: string; email: string };
  eventShortName: string;
  habit: ContactHabit;
  /** Index of the weekday (0..) of the launch wave on which it registers. */
  registersOnDay: number;
}

export interface World {
  events: ParkrunEvent[];
  practices: SimPractice[];
  /** Who an address belongs to, for counting mail per person. */
  people: Map<string, { role: 'champion' | 'event-director' | 'volunteer'; timeZone: string }>;
}

const regions: Array<[ParkrunEvent['country'], string]> = [
  ['England', 'London'],
  ['England', 'South East'],
  ['England', 'South West'],
  ['England', 'East of England'],
  ['England', 'West Midlands'],
  ['England', 'East Midlands'],
  ['England', 'Yorkshire and the Humber'],
  ['England', 'North West'],
  ['England', 'North East'],
  ['Wales', 'Wales'],
  ['Scotland', 'Scotland'],
  ['Northern Ireland', 'Northern Ireland'],
];

/** Practices per linked event, as the survey found them. */
const perEventShares: Array<[number, number]> = [
  [1, 0.348],
  [2, 0.321],
  [3, 0.152],
  [4, 0.094],
  [5, 0.085],
];

function pick<T>(random: () => number, weighted: Array<[T, number]>): T {
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, weight] of weighted) {
    r -= weight;
    if (r < 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}

export function buildWorld(size: { events: number; practices: number; registrationWeeks: number }, behaviour: Behaviour, seed: number): World {
  const random = seededRandom(seed);
  const events: ParkrunEvent[] = [];
  for (let i = 0; i < size.events; i++) {
    const [country, region] = regions[i % regions.length]!;
    const shortName = `sim-event-${i + 1}`;
    const directors = 1 + Math.floor(random() * 2);
    events.push({
      shortName,
      name: `Simulated ${i + 1} parkrun`,
      country,
      region,
      timeZone: 'Europe/London',
      startTime: '09:00',
      weekday: 6,
      eventDirectors: Array.from({ length: directors }, (_, d) => ({ name: `Director ${d + 1} of ${i + 1}`, email: `ed${d + 1}.${shortName}@parkrun.example` })),
    });
  }

  // Events are linked in turn, each with a survey-shaped number of practices, until every
  // practice has one; if the events run out, the rest join events already linked.
  const order = events.map((e) => e.shortName).sort(() => random() - 0.5);
  const slots: string[] = [];
  for (const shortName of order) {
    if (slots.length >= size.practices) break;
    const size5 = pick(random, perEventShares);
    const count = size5 === 5 ? 5 + Math.floor(random() * 3) : size5;
    for (let c = 0; c < count && slots.length < size.practices; c++) slots.push(shortName);
  }
  while (slots.length < size.practices) slots.push(slots[Math.floor(random() * slots.length)]!);

  const habits: Array<[ContactHabit, number]> = [
    ['keeps', behaviour.keepsContactShare],
    ['none', behaviour.noContactShare],
    ['some', Math.max(0, 1 - behaviour.keepsContactShare - behaviour.noContactShare)],
  ];
  const registrationDays = size.registrationWeeks * 5;
  const practices: SimPractice[] = slots.map((eventShortName, i) => {
    const code = `S${String(10000 + i).padStart(5, '0')}`;
    return {
      code,
      name: `Simulated Practice ${i + 1}`,
      postcode: `SW1A ${1 + (i % 9)}AA`,
      champion: { name: `Champion ${i + 1}`, role: 'Practice manager', email: `champion.${code.toLowerCase()}@nhs.example` },
      eventShortName,
      habit: pick(random, habits),
      registersOnDay: Math.floor(random() * registrationDays),
    };
  });

  const people: World['people'] = new Map();
  for (const event of events) for (const d of event.eventDirectors) people.set(d.email, { role: 'event-director', timeZone: event.timeZone });
  for (const p of practices) people.set(p.champion.email, { role: 'champion', timeZone: 'Europe/London' });
  return { events, practices, people };
}

/** The volunteer an event's director names as first-timer contact. */
export const volunteerEmail = (eventShortName: string) => `first-timers.${eventShortName}@parkrun.example`;

/**
 * One of `of` parts of the world, for running the parts side by side: every `of`th event,
 * with its directors and the practices that link with it. Nobody in one part ever writes
 * to anybody in another, so the parts' results add up to the whole's.
 */
export function worldPart(world: World, index: number, of: number): World {
  if (of === 1) return world;
  const events = world.events.filter((_, i) => i % of === index);
  const names = new Set(events.map((e) => e.shortName));
  const practices = world.practices.filter((p) => names.has(p.eventShortName));
  const members = new Set([...events.flatMap((e) => e.eventDirectors.map((d) => d.email)), ...practices.map((p) => p.champion.email)]);
  return { events, practices, people: new Map([...world.people].filter(([email]) => members.has(email))) };
}
