/**
 * The two implementations every contract suite runs against: the in-memory fakes
 * (test/support/memory-ports.ts, wired as memoryDeps wires them) and the DynamoDB adapters
 * (wired as functions/wiring.ts storeDeps wires them) on DynamoDB Local.
 *
 * A contract file defines its suite once, as `contract(name, make)`, and runs it with
 * `describe.each(worlds)`. Each `make()` gives a world of its own: a fresh memory world, or
 * the file's table (one per file: creating tables is what is slow) with fresh names, so no
 * test sees another's items. Suites that read a whole partition (the due index, every
 * event) ask for `{ freshTable: true }`.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '../../functions/adapters/dynamo/document-client.js';
import { eventItem, keys, strip } from '../../functions/adapters/dynamo/items.js';
import type { FirstTimerNaming, ParkrunEvent, TokenPurpose } from '../../functions/core/model.js';
import type { BudgetSlots, TokenSpend } from '../../functions/core/ports.js';
import { storeDeps, type StoreDeps } from '../../functions/wiring.js';
import { createTestTable } from '../support/dynamo.js';
import { memoryDeps, type MemoryFirstTimerStore } from '../support/memory-ports.js';

export type World = Omit<StoreDeps, 'ladder' | 'linkTakeovers' | 'audit' | 'lists' | 'headOfficeActions' | 'telemetry' | 'ping'> & {
  slots: BudgetSlots;
  /** Puts an event on record as the go-live import leaves it. */
  seedEvent(event: ParkrunEvent): Promise<void>;
  /** The naming FirstTimerStore.nameCandidate recorded for the watcher (no port reads it: the watcher gets it from the stream). */
  naming(candidateId: string): Promise<FirstTimerNaming | undefined>;
  /** A unique name for this test's keys (practice codes, addresses, ids). */
  id(prefix?: string): string;
};

export type MakeWorld = (options?: { freshTable?: boolean }) => Promise<World>;

let counter = 0;
const unique = (prefix = 'x') => `${prefix}${Date.now().toString(36)}${(++counter).toString(36)}${randomUUID().slice(0, 6)}`.replace(/-/g, '');

export const memoryWorld: MakeWorld = async () => {
  const deps = memoryDeps([]);
  return {
    ...deps,
    slots: deps.budget,
    seedEvent: async (event) => void deps.eventDirectory.events.push(structuredClone(event)),
    naming: async (id) => (deps.firstTimers as MemoryFirstTimerStore).namings.findLast((n) => n.id === id),
    id: unique,
  };
};

let table: ReturnType<typeof createTestTable> | undefined;

export const dynamoWorld: MakeWorld = async ({ freshTable = false } = {}) => {
  const t = await (freshTable ? createTestTable() : (table ??= createTestTable()));
  const deps = storeDeps(t.doc, t.tableName, 'contract-test-token-key');
  return {
    ...deps,
    slots: deps.slots,
    seedEvent: async (event) => void (await t.doc.send(new PutCommand({ TableName: t.tableName, Item: eventItem(event) }))),
    naming: async (id) => {
      const out = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: keys.firstTimerNaming(id), ConsistentRead: true }));
      return out.Item ? strip<FirstTimerNaming>(out.Item) : undefined;
    },
    id: unique,
  };
};

export const worlds: Array<[string, MakeWorld]> = [
  ['in-memory fake', memoryWorld],
  ['DynamoDB adapter', dynamoWorld],
];

/** A token issued for `purpose`, ready to spend in an action's write. */
export async function spendable(world: World, purpose: TokenPurpose, subject: string, now: Date, lifetimeMs = 86_400_000): Promise<TokenSpend & { token: string }> {
  const token = await world.tokens.issue({ purpose, subject, recipient: 'someone@example.org', expiresAt: new Date(now.getTime() + lifetimeMs) }, now);
  const found = await world.tokens.lookup(token, now);
  if (!found) throw new Error('the token just issued was not found');
  return { ref: found.ref, purpose, now, token };
}

/** Every page of an async iterable, flattened. */
export async function all<T>(pages: AsyncIterable<T[]>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let count = 0;
  for await (const page of pages) {
    count++;
    items.push(...page);
  }
  return { items, pages: count };
}

/** A fixed clock's instants: the contracts never read the real time. */
export const at = (iso: string) => new Date(iso);

/** A practice registered for `shortName` and confirmed by its champion at `now`: its link live. */
export async function confirmedLink(w: World, shortName: string, now: Date) {
  const pending = {
    id: w.id('reg'),
    practice: { code: w.id('P'), name: 'Hill Surgery', postcode: 'TW1 1AA', champion: { name: 'Ali', role: 'GP', email: 'ali@nhs.example' } },
    eventShortNames: [shortName],
    contactedEventTeam: true,
    submittedAt: '2026-11-22T10:00:00.000Z',
    status: 'awaiting-confirmation' as const,
    practiceOnRecord: false,
  };
  await w.registrations.submit(pending);
  await w.registrations.confirm(pending, now, 'champion', await spendable(w, 'registration-confirm', pending.id, now));
  return { pending, link: { practiceCode: pending.practice.code, eventShortName: shortName } };
}
