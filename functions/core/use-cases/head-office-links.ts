/**
 * Head office's lists behind the figures ("the links at risk in London"), a link's whole
 * story (contacts, history, audit), and what head office may do about it: log a contact,
 * or have the introduction sent again. Every head-office action is audited.
 */
import { NotFoundError, ValidationError } from '../errors.js';
import { linkId, parseLinkId, type Link, type LinkContext, type LinkStatus, type ParkrunEvent, type Practice } from '../model.js';
import { isoDayOf } from '../policies/event-dates.js';
import { linkStatuses } from '../policies/dashboard-figures.js';
import type { InTouchInput } from '../policies/link-action-input.js';
import type { Scope } from '../policies/metric-deltas.js';
import type { NudgePolicy } from '../policies/quiet-link-ladder.js';
import type { AuditEntry, AuditLog, Clock, EventDirectory, HeadOfficeActions, LinkHistoryEntry, LinkLists, MetricsStore, PartnershipStore } from '../ports.js';
import { placePrefixOf } from './head-office-metrics.js';
import { contactTiming } from './link-actions.js';
import { loadLinkContext } from './token-access.js';

export interface HeadOfficeLinkDeps {
  lists: LinkLists;
  metrics: MetricsStore;
  partnerships: PartnershipStore;
  events: EventDirectory;
  audit: AuditLog;
  headOfficeActions: HeadOfficeActions;
  nudgePolicy: NudgePolicy;
  clock: Clock;
}

export const pageSize = 50;
/** A CSV export stops here: beyond it, narrow the place. */
export const exportLimit = 5000;

export interface LinkRow {
  link: Link;
  practice?: Practice;
  event?: ParkrunEvent;
}

export function parseStatus(value: string | undefined): LinkStatus {
  if (value && (linkStatuses as string[]).includes(value)) return value as LinkStatus;
  throw new ValidationError({ status: `Choose a status: ${linkStatuses.join(', ')}` });
}

async function rowsOf(deps: HeadOfficeLinkDeps, links: Link[]): Promise<LinkRow[]> {
  if (links.length === 0) return [];
  const [practices, events] = await Promise.all([
    deps.partnerships.getPractices([...new Set(links.map((l) => l.practiceCode))]),
    deps.events.getEvents([...new Set(links.map((l) => l.eventShortName))]),
  ]);
  return links.map((link) => ({ link, practice: practices.get(link.practiceCode), event: events.get(link.eventShortName) }));
}

/** One page of the links with a status in a place; `next` continues it. */
export async function listLinks(deps: HeadOfficeLinkDeps, scope: Scope, status: LinkStatus, cursor?: string): Promise<{ rows: LinkRow[]; next?: string }> {
  const { links, next } = await deps.lists.byStatus(status, await placePrefixOf(deps, scope), pageSize, cursor);
  return { rows: await rowsOf(deps, links), ...(next ? { next } : {}) };
}

/** Every page, for the CSV export, up to the export limit. */
export async function exportLinks(deps: HeadOfficeLinkDeps, scope: Scope, status: LinkStatus): Promise<{ rows: LinkRow[]; truncated: boolean }> {
  const prefix = await placePrefixOf(deps, scope);
  const rows: LinkRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.lists.byStatus(status, prefix, 500, cursor);
    rows.push(...(await rowsOf(deps, page.links)));
    cursor = page.next;
  } while (cursor && rows.length < exportLimit);
  return { rows: rows.slice(0, exportLimit), truncated: rows.length > exportLimit || cursor !== undefined };
}

export interface LinkStory {
  context: LinkContext;
  history: LinkHistoryEntry[];
  audit: AuditEntry[];
}

async function contextOf(deps: HeadOfficeLinkDeps, id: string): Promise<LinkContext> {
  if (!parseLinkId(id)) throw new NotFoundError('There is no such link.');
  const context = await loadLinkContext(deps, id);
  if (!context) throw new NotFoundError('There is no such link.');
  return context;
}

export async function linkStory(deps: HeadOfficeLinkDeps, id: string, limit = 100): Promise<LinkStory> {
  const context = await contextOf(deps, id);
  const ref = { practiceCode: context.practice.code, eventShortName: context.event.shortName };
  const [history, audit] = await Promise.all([deps.partnerships.historyOf(ref, limit), deps.audit.ofSubject(linkId(ref.practiceCode, ref.eventShortName), limit)]);
  return { context, history, audit };
}

/** Head office heard of contact (a call, a meeting): recorded on the link as contact by head office. */
/** A head-office form's one-time id (a UUID made when the page was drawn). */
export function parseRequestId(value: string | undefined): string {
  if (value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) return value;
  throw new ValidationError({ requestId: 'This form is out of date: reload the page and try again' });
}

export async function logContact(deps: HeadOfficeLinkDeps, id: string, input: InTouchInput, actor: string, requestId: string): Promise<LinkContext> {
  const context = await contextOf(deps, id);
  const now = deps.clock.now();
  const { at, moveLastContact, dueAt } = contactTiming(context.link, input.contactedOn, isoDayOf(now, context.event.timeZone), now, deps.nudgePolicy);
  await deps.headOfficeActions.logContact({ practiceCode: context.practice.code, eventShortName: context.event.shortName }, { at, ...(input.how ? { how: input.how } : {}), moveLastContact, recordedAt: now }, actor, dueAt, requestId);
  return context;
}

/** Both sides get the introduction again, as things stand now (the fresh-link watcher sends it). */
export async function requestIntroduction(deps: HeadOfficeLinkDeps, id: string, actor: string, requestId: string): Promise<LinkContext> {
  const context = await contextOf(deps, id);
  if (context.link.status === 'ended') throw new ValidationError({ link: 'This link has ended: there is nobody to introduce.' });
  await deps.headOfficeActions.requestIntroduction({ practiceCode: context.practice.code, eventShortName: context.event.shortName }, actor, requestId, deps.clock.now());
  return context;
}

/** Lists of events head office may need to act on, each kept as per-event counters in a place's totals. */
export type EventList = 'without-links' | 'without-directors' | 'left-feed';

/** The events of a list in a place: from the place's totals, then the events themselves. */
export async function eventsIn(deps: HeadOfficeLinkDeps, scope: Scope, list: EventList): Promise<ParkrunEvent[]> {
  const { current } = await deps.metrics.read(scope, '9999', '9999');
  const named = (prefix: string) => Object.entries(current).filter(([k, v]) => k.startsWith(prefix) && v > 0).map(([k]) => k.slice(prefix.length));
  const names =
    list === 'without-links' ? named('eventIn_').filter((e) => (current[`ev_${e}`] ?? 0) <= 0) : named(list === 'without-directors' ? 'noDirector_' : 'leftFeed_');
  const events = await deps.events.getEvents(names);
  return [...events.values()].sort((a, b) => a.name.localeCompare(b.name));
}

