/**
 * The head-office watcher's work for one change in the table: figures counted once, a
 * link kept in its place in the by-status lists, and every use of a magic link written to
 * the audit log (who, what, when, on which link). A use of a link is its token's write:
 * opening a link (GET) never writes, so only what someone did is logged.
 */
import { log } from '../../log.js';
import { forEachAtMost } from '../concurrency.js';
import type { AuditLog, LinkLists, ListedAt, MetricChange, Telemetry } from '../ports.js';
import { countsOf, countedEntities, placeKeyOf, type CountedEntity, type MetricsDeps } from './head-office-metrics.js';

export interface HeadOfficeWatchDeps extends MetricsDeps {
  audit: AuditLog;
  lists: LinkLists;
  /** Counts each use of a magic link (an answer) by its purpose. */
  telemetry?: Telemetry;
}

export interface ChangedItem {
  /** The stream record's event id: the same on redelivery. */
  id: string;
  entityType: string;
  /** The item's key, for entities known by it (tokens). */
  key: string;
  old?: Record<string, unknown>;
  new?: Record<string, unknown>;
  /** Where the new image says the item is listed (by-status index), when it carries it. */
  listed?: ListedAt;
}

/** Items whose changes are followed at the same time; one item's changes always in order. */
const itemsAtOnce = 8;

/**
 * A batch of changes, in order. Each change's figures are gathered and applied together at
 * the end, in one transaction or a few (a batch touches the same totals again and again);
 * its other work (a link's place, an audit entry) is done as it comes, for several items at
 * once but each item's changes in order. Returns the changes that failed, for retry: a
 * change whose work failed, and, if the figures could not be applied, every change with
 * figures. Applying is keyed by change id, so a retried change is never counted twice.
 */
export async function followHeadOfficeChanges<C extends ChangedItem>(deps: HeadOfficeWatchDeps, changes: readonly C[]): Promise<C[]> {
  const failed = new Set<C>();
  const counts = new Map<C, MetricChange[]>();
  const byItem = new Map<string, C[]>();
  for (const change of changes) byItem.set(change.key, [...(byItem.get(change.key) ?? []), change]);
  await forEachAtMost([...byItem.values()], itemsAtOnce, async (itemChanges) => {
    for (const change of itemChanges) {
      try {
        counts.set(change, await followHeadOfficeChange(deps, change));
      } catch (error) {
        log.error('Head-office watcher: change failed; reported for retry', error, { id: change.id });
        failed.add(change);
      }
    }
  });
  // In the batch's order, so the totals are applied as the changes happened.
  const counted = changes.filter((change) => (counts.get(change)?.length ?? 0) > 0);
  if (counted.length > 0) {
    try {
      await deps.metrics.applyAll(counted.flatMap((change) => counts.get(change)!));
    } catch (error) {
      log.error('Head-office watcher: figures not applied; their changes reported for retry', error, { changes: counted.length });
      for (const change of counted) failed.add(change);
    }
  }
  return changes.filter((c) => failed.has(c));
}

/** One change's work but its figures, which it returns for the caller to apply (see above). */
export async function followHeadOfficeChange(deps: HeadOfficeWatchDeps, change: ChangedItem): Promise<MetricChange[]> {
  if (change.entityType === 'Token') {
    const next = change.new;
    const uses = Number(next?.uses ?? 0);
    if (!next || uses <= Number(change.old?.uses ?? 0)) return [];
    await deps.audit.record({
      subject: String(next.subject),
      at: String(next.lastUsedAt ?? next.usedAt ?? ''),
      actor: String(next.recipient),
      ...(next.role ? { role: String(next.role) } : {}),
      action: String(next.purpose),
      // The token and its use count: the same use recorded twice is one entry.
      id: `${change.key.slice('TOKEN#'.length, 'TOKEN#'.length + 16)}-${uses}`,
    });
    // Counted here, from the token's write, for every route that spends a token. A record
    // redelivered after a later one in its batch failed is counted again: a rare extra count.
    deps.telemetry?.answerRecorded(String(next.purpose));
    return [];
  }
  if (!(countedEntities as readonly string[]).includes(change.entityType)) return [];
  const counts = await countsOf(deps, { id: change.id, entityType: change.entityType as CountedEntity, ...(change.old ? { old: change.old } : {}), ...(change.new ? { new: change.new } : {}) });
  if (change.entityType === 'Link' && change.new) {
    const link = change.new as { practiceCode: string; eventShortName: string; status: string };
    const event = (await deps.events.getEvents([link.eventShortName])).get(link.eventShortName);
    if (event) await deps.lists.place(link as never, placeKeyOf(event, link.practiceCode), change.listed);
  }
  return counts;
}
