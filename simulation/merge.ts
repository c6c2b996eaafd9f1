/**
 * Puts the results of the world's parts (see worldPart) back together: what the report
 * would have found had one process simulated the whole. Counts add up (emails, unasked
 * emails, contradictory nudges, takeovers…); lists join (messages with their tags, the
 * contradictions found, errors); the share of links in contact is weighted by each part's
 * links; a week took as long as its slowest part.
 */
import type { SimulationResult, WeekFigures } from './simulate.js';

/** A result as a part writes it to disk: the people map as its entries. */
export type StoredResult = Omit<SimulationResult, 'people' | 'startedAt' | 'endedAt'> & {
  people: Array<[string, { role: 'champion' | 'event-director' | 'volunteer'; timeZone: string }]>;
  startedAt: string;
  endedAt: string;
};

export function storeResult(result: SimulationResult): StoredResult {
  return { ...result, people: [...result.people], startedAt: result.startedAt.toISOString(), endedAt: result.endedAt.toISOString() };
}

function sumRecords<T extends Record<string, number>>(records: T[]): T {
  const total: Record<string, number> = {};
  for (const record of records) for (const [k, v] of Object.entries(record)) total[k] = (total[k] ?? 0) + v;
  return total as T;
}

export function mergeWeek(parts: WeekFigures[]): WeekFigures {
  const links = parts.reduce((sum, w) => sum + w.links, 0);
  const contacted = parts.reduce((sum, w) => sum + w.contactShare90d * w.links, 0);
  return {
    week: parts[0]!.week,
    from: parts[0]!.from,
    wallSeconds: Math.max(...parts.map((w) => w.wallSeconds)),
    itemsRead: parts.reduce((sum, w) => sum + w.itemsRead, 0),
    requests: parts.reduce((sum, w) => sum + w.requests, 0),
    emails: parts.reduce((sum, w) => sum + w.emails, 0),
    unaskedEmails: parts.reduce((sum, w) => sum + w.unaskedEmails, 0),
    contradictoryNudges: parts.reduce((sum, w) => sum + w.contradictoryNudges, 0),
    links,
    contactShare90d: links ? Number((contacted / links).toFixed(4)) : 0,
    atRisk: parts.reduce((sum, w) => sum + w.atRisk, 0),
  };
}

export function mergeResults(parts: StoredResult[], wallSeconds: number): SimulationResult {
  const first = parts[0]!;
  const kinds = [...new Set(parts.flatMap((p) => Object.keys(p.answers)))];
  return {
    options: first.options,
    startedAt: new Date(first.startedAt),
    endedAt: new Date(first.endedAt),
    weeks: first.weeks.map((_, i) => mergeWeek(parts.map((p) => p.weeks[i]!))),
    messages: parts.flatMap((p) => p.messages),
    people: new Map(parts.flatMap((p) => p.people)),
    directors: parts.flatMap((p) => p.directors),
    champions: parts.flatMap((p) => p.champions),
    answers: Object.fromEntries(kinds.map((kind) => [kind, sumRecords(parts.flatMap((p) => (p.answers[kind] ? [p.answers[kind]] : [])))])),
    refusedWith: sumRecords(parts.map((p) => p.refusedWith)),
    replyOutcomes: sumRecords(parts.map((p) => p.replyOutcomes)),
    errors: parts.flatMap((p) => p.errors),
    contradictions: parts.flatMap((p) => p.contradictions).sort((a, b) => a.sentAt.localeCompare(b.sentAt)),
    helloAsksChecked: parts.reduce((sum, p) => sum + p.helloAsksChecked, 0),
    ledgerSent: parts.reduce((sum, p) => sum + p.ledgerSent, 0),
    takeovers: sumRecords(parts.map((p) => p.takeovers)),
    feedbackReports: parts.reduce((sum, p) => sum + p.feedbackReports, 0),
    feedbackAsked: parts.reduce((sum, p) => sum + p.feedbackAsked, 0),
    registrations: sumRecords(parts.map((p) => p.registrations)),
    wallSeconds,
  };
}
