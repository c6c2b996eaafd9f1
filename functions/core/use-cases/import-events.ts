/**
 * Go-live, part one: parkrun's events from its published feed. Creates the events new to
 * the table, updates those the feed describes differently, leaves the rest as they are,
 * and marks an event that has gone from the feed (within the country and series imported)
 * as no longer in it, never deleting it: its links, and head office's view of them, stay.
 * Nothing is written until the whole feed has been read and checked.
 */
import type { ParkrunEvent } from '../model.js';
import { feedFields, inSelection, readFeature, sameFeedFields, type FeedEvent, type FeedFields, type FeedSelection } from '../policies/event-feed.js';
import { oneLineProblem } from '../policies/input-rules.js';
import { eventShortNamePattern } from '../policies/registration-input.js';
import { forEachAtMost } from '../concurrency.js';
import type { Clock, EventDirectory, EventRegistry } from '../ports.js';
import { emptySummary, importConcurrency, type ImportObserver, type ImportSummary } from './import-report.js';

export interface ImportEventsDeps {
  events: EventDirectory;
  registry: EventRegistry;
  clock: Clock;
}

export interface ImportEventsInput {
  features: AsyncIterable<{ where: string; raw: unknown }>;
  /** Rows of the optional regions file (`eventname,region`). */
  regions?: AsyncIterable<{ line: number; values: Record<string, string> }>;
  selection: FeedSelection;
  dryRun: boolean;
}

export const regionColumns = { required: ['eventname', 'region'] } as const;

type Change = { kind: 'create' | 'update'; fields: FeedFields; stored?: ParkrunEvent } | { kind: 'left-feed'; event: ParkrunEvent };

export async function importEvents(deps: ImportEventsDeps, input: ImportEventsInput, observer: ImportObserver): Promise<ImportSummary> {
  const summary = emptySummary();
  const refuse = (where: string, field: string, reason: string) => observer.refused({ where, field, reason });

  // The regions first: a small file, kept whole (one entry per event at most).
  const regions = new Map<string, { region: string; line: number }>();
  for await (const row of input.regions ?? []) {
    const eventname = row.values.eventname!.trim().toLowerCase();
    const region = row.values.region!.trim();
    const problem = !eventShortNamePattern.test(eventname)
      ? { field: 'eventname', reason: `"${row.values.eventname}" is not an event's short name, such as bushy` }
      : oneLineProblem('region', region, 60);
    const earlier = regions.get(eventname);
    if (problem) refuse(`regions line ${row.line}`, problem.field, problem.reason);
    else if (earlier) refuse(`regions line ${row.line}`, 'eventname', `${eventname} has a region already, on line ${earlier.line}`);
    else {
      regions.set(eventname, { region, line: row.line });
      continue;
    }
    summary.refused++;
  }

  // Then the feed, a feature at a time; only the selected events are kept.
  const fromFeed = new Map<string, { event: FeedEvent; where: string }>();
  let looked = 0;
  for await (const { where, raw } of input.features) {
    observer.progress?.(++looked);
    const reading = readFeature(raw, input.selection);
    if (reading.kind === 'other') continue;
    if (reading.kind === 'refused') {
      summary.refused++;
      for (const p of reading.problems) refuse(`${where}${reading.shortName ? ` (${reading.shortName})` : ''}`, p.field, p.reason);
      continue;
    }
    const earlier = fromFeed.get(reading.event.shortName);
    if (earlier) {
      summary.refused++;
      refuse(`${where} (${reading.event.shortName})`, 'eventname', `${reading.event.shortName} is in the feed already, at ${earlier.where}`);
      continue;
    }
    fromFeed.set(reading.event.shortName, { event: reading.event, where });
  }
  for (const [eventname, { line }] of regions) {
    if (fromFeed.has(eventname)) continue;
    summary.refused++;
    refuse(`regions line ${line}`, 'eventname', `${eventname} is not an event of this import (not in the feed for country ${input.selection.countryCode}, series ${input.selection.seriesId})`);
  }

  // What changes, against the table as it is.
  const stored = new Map((await deps.events.listEvents()).map((e) => [e.shortName, e]));
  const changes: Change[] = [];
  for (const [shortName, { event }] of fromFeed) {
    const current = stored.get(shortName);
    const fields = feedFields(event, input.selection, regions.get(shortName)?.region ?? current?.region);
    if (!current) changes.push({ kind: 'create', fields });
    else if (sameFeedFields(current, fields)) summary.unchanged++;
    else changes.push({ kind: 'update', fields, stored: current });
  }
  for (const event of stored.values()) {
    if (inSelection(event, input.selection) && event.feed?.inFeed && !fromFeed.has(event.shortName)) changes.push({ kind: 'left-feed', event });
  }
  for (const change of changes) summary[change.kind === 'create' ? 'created' : 'updated']++;
  if (input.dryRun) return summary;

  const now = deps.clock.now();
  await forEachAtMost(changes, importConcurrency, async (change) => {
    if (change.kind === 'left-feed') await deps.registry.markLeftFeed(change.event.shortName, now);
    else await deps.registry.saveFeedEvent(change.fields, change.stored);
  });
  return summary;
}
