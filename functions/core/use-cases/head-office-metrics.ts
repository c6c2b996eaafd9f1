/**
 * The head-office figures: counted as changes happen (the metrics watcher), read in a
 * bounded number of items whatever the number of links (the dashboard), and recomputed
 * from the data when in doubt (the rebuild).
 */
import type { FeedbackAskState, FeedbackReport, Link, ParkrunEvent, Takeover } from '../model.js';
import { dashboardFigures, seriesRange, type DashboardFigures } from '../policies/dashboard-figures.js';
import {
  eventDeltas,
  feedbackAskDeltas,
  feedbackReportDeltas,
  linkDeltas,
  scopesOf,
  suppressionDeltas,
  takeoverDeltas,
  dayOf,
  type Deltas,
  type Scope,
} from '../policies/metric-deltas.js';
import type { Clock, EventDirectory, LinkLists, MetricChange, MetricsStore, TableScan } from '../ports.js';

/** The entities whose changes move a figure; the metrics watcher's filter lists the same. */
export const countedEntities = ['Link', 'Takeover', 'FeedbackReport', 'FeedbackAsk', 'Event', 'Suppression'] as const;
export type CountedEntity = (typeof countedEntities)[number];

export interface TableChange {
  /** Unique per change and the same on redelivery: the stream record's event id. */
  id: string;
  entityType: CountedEntity;
  old?: Record<string, unknown>;
  new?: Record<string, unknown>;
}

export interface MetricsDeps {
  metrics: MetricsStore;
  events: EventDirectory;
  clock: Clock;
}

export function deltasOf(change: Pick<TableChange, 'entityType' | 'old' | 'new'>): Deltas {
  const as = <T>(image?: Record<string, unknown>) => image as T | undefined;
  switch (change.entityType) {
    case 'Link':
      return linkDeltas(as<Link>(change.old), as<Link>(change.new));
    case 'Takeover':
      return takeoverDeltas(as<Takeover>(change.old), as<Takeover>(change.new));
    case 'FeedbackReport':
      return feedbackReportDeltas(as<FeedbackReport>(change.old), as<FeedbackReport>(change.new));
    case 'FeedbackAsk':
      return feedbackAskDeltas(as<FeedbackAskState>(change.old), as<FeedbackAskState>(change.new));
    case 'Event':
      return eventDeltas(as<ParkrunEvent>(change.old), as<ParkrunEvent>(change.new));
    case 'Suppression':
      return suppressionDeltas(as<{ reason?: string }>(change.old), as<{ reason?: string }>(change.new));
  }
}

/**
 * What one change adds to the figures, and where: nothing is written here. The caller
 * applies what it returns (MetricsStore.applyAll), once per change id.
 */
export async function countsOf(deps: Pick<MetricsDeps, 'events' | 'clock'>, change: TableChange): Promise<MetricChange[]> {
  const deltas = deltasOf(change);
  if (Object.keys(deltas).length === 0) return [];
  const day = dayOf(deps.clock.now());
  const count = (id: string, scopes: string[], d: Deltas): MetricChange => ({ id, day, scopes, deltas: d });
  if (change.entityType === 'Suppression') return [count(change.id, ['ALL'], deltas)];
  if (change.entityType === 'Event') {
    const [old, next] = [change.old as unknown as ParkrunEvent | undefined, change.new as unknown as ParkrunEvent | undefined];
    if (old && next && (old.region !== next.region || old.country !== next.country)) {
      // Moved to another region or country: out of the old places, into the new (each half counted once).
      return [count(`${change.id}#old`, scopesOf(old), eventDeltas(old, undefined)), count(`${change.id}#new`, scopesOf(next), eventDeltas(undefined, next))];
    }
    return [count(change.id, scopesOf((next ?? old)!), deltas)];
  }
  const shortName = String((change.new ?? change.old)?.eventShortName ?? '');
  const event = (await deps.events.getEvents([shortName])).get(shortName);
  if (event) return [count(change.id, scopesOf(event), deltas)];
  // A change for an event no longer on record still counts for the country as a whole.
  return [count(change.id, ['ALL'], deltas)];
}

export interface Dashboard {
  scope: Scope;
  figures: DashboardFigures;
  /** What the filters offer, from the whole country's totals. */
  regions: string[];
  countries: string[];
  /** The events in the chosen region or country (none for the whole country: too many to list). */
  events: string[];
  itemsRead: number;
}

const namesWith = (counters: Record<string, number>, prefix: string) =>
  Object.entries(counters)
    .filter(([k, v]) => k.startsWith(prefix) && v > 0)
    .map(([k]) => k.slice(prefix.length))
    .sort();

/** One dashboard load: the scope's totals and the days of 52 weeks, and the whole country's totals for filters and deliverability. */
export async function loadDashboard(deps: MetricsDeps, scope: Scope): Promise<Dashboard> {
  const now = deps.clock.now();
  const range = seriesRange(now);
  const today = dayOf(now);
  const read = await deps.metrics.read(scope, range[0]!, today);
  const all = scope === 'ALL' ? read : await deps.metrics.read('ALL', today, today);
  const figures = dashboardFigures(read.current, read.days, now);
  // Bounces and complaints are about addresses, counted for the whole country only.
  const countryWide = dashboardFigures(all.current, all.days, now);
  figures.deliverability = countryWide.deliverability;
  return {
    scope,
    figures,
    regions: namesWith(all.current, 'region_'),
    countries: namesWith(all.current, 'country_'),
    events: scope === 'ALL' ? [] : namesWith(read.current, 'eventIn_'),
    itemsRead: read.itemsRead + (scope === 'ALL' ? 0 : all.itemsRead),
  };
}

/**
 * The counters the data itself can recompute: every gauge (links by status, contact
 * weeks, activities, events, takeovers fixed, suppressed addresses) and a few all-time
 * totals (registrations, feedback answers). Nudges sent and answers given are history:
 * the data keeps only where each link is now, so they are not rebuilt.
 */
const gaugePrefixes = ['links', 'status_', 'contactWeek_', 'act_', 'ev_', 'events', 'region_', 'country_', 'eventIn_', 'eventsNoDirector', 'noDirector_', 'eventsLeftFeed', 'leftFeed_', 'takeovers_fixed', 'suppressed'];
const totalPrefixes = ['registrations', 'fb_reports', 'fb_suggested', 'fb_attended', 'fb_staffTookPart', 'bounces', 'complaints'];
const isGauge = (k: string) => gaugePrefixes.some((p) => k === p || (p.endsWith('_') && k.startsWith(p)));
const isRebuilt = (k: string) => isGauge(k) || totalPrefixes.includes(k);

export interface RebuildDeps {
  metrics: MetricsStore;
  scan: TableScan;
  lists: LinkLists;
  clock: Clock;
}

export interface Drift {
  scope: string;
  counter: string;
  stored: number;
  recomputed: number;
}

/**
 * Recomputes every rebuildable counter from the data, reports where the stored figures
 * drifted, and (unless `dryRun`) corrects them and puts every link in its place in the
 * lists (as after a first deploy, when links predate the watcher). Changes counted while
 * it runs would look like drift: run it when the table is quiet (in AWS, with the
 * head-office watcher's event source mapping disabled), then enable the watcher again.
 */
export async function rebuildMetrics(deps: RebuildDeps, options: { dryRun?: boolean; placeLinks?: boolean } = {}): Promise<{ scopes: number; items: number; drift: Drift[] }> {
  const recomputed = new Map<string, Deltas>();
  const addTo = (scopes: readonly string[], deltas: Deltas) => {
    for (const scope of scopes) {
      const into = recomputed.get(scope) ?? {};
      for (const [k, v] of Object.entries(deltas)) if (isRebuilt(k)) into[k] = (into[k] ?? 0) + v;
      recomputed.set(scope, into);
    }
  };
  // Events first: every other entity is counted in its event's scopes.
  const events = new Map<string, ParkrunEvent>();
  let items = 0;
  for await (const page of deps.scan.entities(['Event'])) {
    for (const item of page) {
      const event = item as unknown as ParkrunEvent;
      events.set(event.shortName, event);
      addTo(scopesOf(event), eventDeltas(undefined, event));
      items++;
    }
  }
  for await (const page of deps.scan.entities(['Link', 'Takeover', 'FeedbackReport', 'Suppression'])) {
    for (const item of page) {
      items++;
      const entityType = item.entityType as CountedEntity;
      const deltas = deltasOf({ entityType, new: item });
      if (entityType === 'Suppression') {
        addTo(['ALL'], deltas);
        continue;
      }
      const event = events.get(String(item.eventShortName));
      addTo(event ? scopesOf(event) : ['ALL'], deltas);
      if (entityType === 'Link' && event && !options.dryRun && options.placeLinks !== false) {
        const link = item as unknown as Link;
        await deps.lists.place(link, placeKeyOf(event, link.practiceCode));
      }
    }
  }
  const now = deps.clock.now();
  const drift: Drift[] = [];
  for (const [scope, counters] of recomputed) {
    const { current } = await deps.metrics.read(scope, '9999', '9999');
    const names = new Set([...Object.keys(counters), ...Object.keys(current).filter(isRebuilt)]);
    const gauges: Deltas = {};
    const totals: Deltas = {};
    for (const counter of [...names].sort()) {
      const stored = current[counter] ?? 0;
      const value = counters[counter] ?? 0;
      if (stored === value) continue;
      drift.push({ scope, counter, stored, recomputed: value });
      (isGauge(counter) ? gauges : totals)[counter] = value - stored;
    }
    if (!options.dryRun) {
      await deps.metrics.correct(scope, dayOf(now), gauges);
      await deps.metrics.correct(scope, undefined, totals);
    }
  }
  drift.sort((a, b) => a.scope.localeCompare(b.scope) || a.counter.localeCompare(b.counter));
  return { scopes: recomputed.size, items, drift };
}

/** A link's place in head office's lists: sorted by country, region, event and practice, so a prefix selects a place. */
export const placeKeyOf = (event: Pick<ParkrunEvent, 'country' | 'region' | 'shortName'>, practiceCode: string) => `${event.country}#${event.region}#${event.shortName}#${practiceCode}`;

/** The place prefix a scope selects in the lists; a region's country comes from its totals. */
export async function placePrefixOf(deps: { metrics: MetricsStore }, scope: Scope): Promise<string> {
  if (scope === 'ALL') return '';
  const [kind, name] = [scope.slice(0, scope.indexOf('#')), scope.slice(scope.indexOf('#') + 1)];
  if (kind === 'COUNTRY') return `${name}#`;
  const { current } = await deps.metrics.read(scope, '9999', '9999');
  const country = Object.keys(current).find((k) => k.startsWith('country_') && (current[k] ?? 0) > 0)?.slice('country_'.length);
  const region = kind === 'REGION' ? name : Object.keys(current).find((k) => k.startsWith('region_') && (current[k] ?? 0) > 0)?.slice('region_'.length);
  if (!country || !region) return `\u0000none#`; // a place with no events: nothing to list
  return kind === 'REGION' ? `${country}#${region}#` : `${country}#${region}#${name}#`;
}
