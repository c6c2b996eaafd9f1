/**
 * Rotating the magic-link key (docs/operations.md): links and head-office sessions made
 * with the old key keep working while it is the previous one, new ones use the new key,
 * and an instance that read the keys before the rotation accepts links made after it.
 */
import { describe, expect, it } from 'vitest';
import { MovableClock } from '../../functions/adapters/clock.js';
import { DynamoLinkTokens } from '../../functions/adapters/dynamo/link-tokens.js';
import { DynamoSessionStore } from '../../functions/adapters/dynamo/session-store.js';
import { TokenKeyring, type TokenKeys } from '../../functions/adapters/token-secret.js';
import type { TokenGrant } from '../../functions/core/ports.js';
import { createTestTable } from '../support/dynamo.js';

const oldKey = 'o'.repeat(48);
const newKey = 'n'.repeat(48);
const now = new Date('2027-03-01T10:00:00Z');
const grant = (subject: string): TokenGrant => ({ purpose: 'in-touch', subject, recipient: 'champion@nhs.example', role: 'champion', expiresAt: new Date('2027-03-15T10:00:00Z') });

/** A keyring whose source can be rotated, counting its reads as Secrets Manager would see them. */
function rotatingSource(clock: MovableClock) {
  let keys: TokenKeys = { current: oldKey };
  let reads = 0;
  const source = async () => {
    reads += 1;
    return keys;
  };
  return {
    keyring: new TokenKeyring(keys, clock, source),
    rotate: () => (keys = { current: newKey, previous: oldKey }),
    retire: () => (keys = { current: newKey }),
    reads: () => reads,
  };
}

describe('rotating the token key', () => {
  it('accepts links made with the previous key, makes new ones with the current key, and stops accepting a key once it is retired', async () => {
    const t = await createTestTable();
    const before = new DynamoLinkTokens(t.doc, t.tableName, TokenKeyring.fixed(oldKey));
    const oldLink = await before.issue(grant('A81001.bushy'), now);

    const during = new DynamoLinkTokens(t.doc, t.tableName, TokenKeyring.fixed({ current: newKey, previous: oldKey }));
    expect((await during.lookup(oldLink, now))?.state).toBe('valid');
    const [newLink] = await during.issueAll([grant('A81002.bushy')], now);
    // Made with the new key: an instance that only knows the old one cannot read it.
    expect(await before.lookup(newLink!, now)).toBeUndefined();
    expect((await during.lookup(newLink!, now))?.grant.subject).toBe('A81002.bushy');

    const after = new DynamoLinkTokens(t.doc, t.tableName, TokenKeyring.fixed(newKey));
    expect(await after.lookup(oldLink, now)).toBeUndefined();
    expect((await after.lookup(newLink!, now))?.state).toBe('valid');
  });

  it('lets an instance that read the keys before the rotation accept a link made after it, re-reading at most once a minute on a miss', async () => {
    const t = await createTestTable();
    const clock = new MovableClock();
    clock.set(now);
    const warm = rotatingSource(clock);
    const warmTokens = new DynamoLinkTokens(t.doc, t.tableName, warm.keyring);
    const oldLink = await warmTokens.issue(grant('A81001.bushy'), now);

    warm.rotate();
    const fresh = new DynamoLinkTokens(t.doc, t.tableName, TokenKeyring.fixed({ current: newKey, previous: oldKey }));
    const newLink = await fresh.issue(grant('A81002.bushy'), now);

    // Within a minute of reading the keys, a miss does not re-read them (a stranger's guesses cost nothing).
    clock.advance(30_000);
    expect(await warmTokens.lookup(newLink, clock.now())).toBeUndefined();
    expect(warm.reads()).toBe(0);
    clock.advance(31_000);
    expect((await warmTokens.lookup(newLink, clock.now()))?.grant.subject).toBe('A81002.bushy');
    expect(warm.reads()).toBe(1);
    expect((await warmTokens.lookup(oldLink, clock.now()))?.grant.subject).toBe('A81001.bushy');

    // Every 5 minutes the keys are re-read anyway: once the old key is retired, its links end.
    warm.retire();
    clock.advance(5 * 60_000);
    expect(await warmTokens.lookup(oldLink, clock.now())).toBeUndefined();
    expect(warm.reads()).toBe(2);
  });

  it('keeps a head-office session begun before the rotation', async () => {
    const t = await createTestTable();
    // Starting a session spends the sign-in link it came from.
    const tokens = new DynamoLinkTokens(t.doc, t.tableName, oldKey);
    const signIn = await tokens.issue({ purpose: 'head-office-sign-in', subject: 'head.office@parkrun.example', recipient: 'head.office@parkrun.example', expiresAt: new Date('2027-03-01T10:15:00Z') }, now);
    const { ref } = (await tokens.lookup(signIn, now))!;
    const before = new DynamoSessionStore(t.doc, t.tableName, TokenKeyring.fixed(oldKey));
    const session = await before.start('head.office@parkrun.example', now, new Date('2027-03-01T18:00:00Z'), { ref, purpose: 'head-office-sign-in', now });
    expect((await before.find(session, now))?.email).toBe('head.office@parkrun.example');

    const during = new DynamoSessionStore(t.doc, t.tableName, TokenKeyring.fixed({ current: newKey, previous: oldKey }));
    expect((await during.find(session, now))?.email).toBe('head.office@parkrun.example');
    const after = new DynamoSessionStore(t.doc, t.tableName, TokenKeyring.fixed(newKey));
    expect(await after.find(session, now)).toBeUndefined();
  });
});
