/**
 * The head-office watcher's work for one change in the table: figures counted once, a
 * link kept in its place in the by-status lists, and every use of a magic link written to
 * the audit log (who, what, when, on which link). A use of a link is its token's write:
 * opening a link (GET) never writes, so only what someone did is logged.
 */
import type { AuditLog, LinkLists, ListedAt } from '../ports.js';
import { countChange, countedEntities, placeKeyOf, type CountedEntity, type MetricsDeps } from './head-office-metrics.js';

export interface HeadOfficeWatchDeps extends MetricsDeps {
  audit: AuditLog;
  lists: LinkLists;
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

export async function followHeadOfficeChange(deps: HeadOfficeWatchDeps, change: ChangedItem): Promise<string> {
  if (change.entityType === 'Token') {
    const next = change.new;
    const uses = Number(next?.uses ?? 0);
    if (!next || uses <= Number(change.old?.uses ?? 0)) return 'not-a-use';
    await deps.audit.record({
      subject: String(next.subject),
      at: String(next.lastUsedAt ?? next.usedAt ?? ''),
      actor: String(next.recipient),
      ...(next.role ? { role: String(next.role) } : {}),
      action: String(next.purpose),
      // The token and its use count: the same use recorded twice is one entry.
      id: `${change.key.slice('TOKEN#'.length, 'TOKEN#'.length + 16)}-${uses}`,
    });
    return 'audited';
  }
  if (!(countedEntities as readonly string[]).includes(change.entityType)) return 'ignored';
  const outcome = await countChange(deps, { id: change.id, entityType: change.entityType as CountedEntity, ...(change.old ? { old: change.old } : {}), ...(change.new ? { new: change.new } : {}) });
  if (change.entityType === 'Link' && change.new) {
    const link = change.new as { practiceCode: string; eventShortName: string; status: string };
    const event = (await deps.events.getEvents([link.eventShortName])).get(link.eventShortName);
    if (event) await deps.lists.place(link as never, placeKeyOf(event, link.practiceCode), change.listed);
  }
  return outcome;
}
