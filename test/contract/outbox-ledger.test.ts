/** The OutboxLedger contract (functions/core/ports.ts), for the fake and the DynamoDB adapter alike. */
import { describe, expect, it } from 'vitest';
import type { MessageLogEntry } from '../../functions/core/ports.js';
import { at, worlds, type MakeWorld } from './worlds.js';

const entry: MessageLogEntry = { kind: 'nudges', template: 'quiet-link-nudge', to: 'jane@nhs.example', practiceCode: 'A81001', eventShortName: 'bushy' };
const now = at('2026-11-23T10:00:00.000Z');
const lease = 60_000;
const later = (ms: number) => new Date(now.getTime() + ms);

function contract(name: string, make: MakeWorld) {
  describe(`OutboxLedger: ${name}`, () => {
    it('lets one worker claim a key; a second claim while the lease lives is in flight', async () => {
      const { ledger, id } = await make();
      const key = id('msg');
      const first = await ledger.claim(key, entry, now, lease);
      expect(first.outcome).toBe('claimed');
      expect(await ledger.claim(key, entry, later(lease - 1), lease)).toEqual({ outcome: 'in-flight' });
    });

    it('says already-done once the message was sent or suppressed, even after the lease', async () => {
      const { ledger, id } = await make();
      for (const finish of ['sent', 'suppressed'] as const) {
        const key = id(finish);
        const claim = await ledger.claim(key, entry, now, lease);
        if (claim.outcome !== 'claimed') throw new Error('not claimed');
        if (finish === 'sent') await ledger.markSent(key, claim.claimId, { messageId: 'm-1', subject: 'Hello' }, now);
        else await ledger.markSuppressed(key, claim.claimId, now);
        expect(await ledger.claim(key, entry, later(lease * 10), lease)).toEqual({ outcome: 'already-done' });
      }
    });

    it('gives the lease back after a failure, so the next attempt claims it at once', async () => {
      const { ledger, id } = await make();
      const key = id('failed');
      const claim = await ledger.claim(key, entry, now, lease);
      if (claim.outcome !== 'claimed') throw new Error('not claimed');
      await ledger.markFailed(key, claim.claimId, 'Throttling', now);
      const again = await ledger.claim(key, entry, later(1), lease);
      expect(again.outcome).toBe('claimed');
    });

    it('lets another worker take over a lease that ran out, and then refuses the first worker’s finishing write', async () => {
      const { ledger, id } = await make();
      const key = id('expired');
      const first = await ledger.claim(key, entry, now, lease);
      const second = await ledger.claim(key, entry, later(lease + 1), lease);
      if (first.outcome !== 'claimed' || second.outcome !== 'claimed') throw new Error('not claimed');
      expect(second.claimId).not.toBe(first.claimId);
      await expect(ledger.markSent(key, first.claimId, { messageId: 'm-late', subject: 'Hello' }, later(lease + 2))).rejects.toThrow();
      await ledger.markSent(key, second.claimId, { messageId: 'm-2', subject: 'Hello' }, later(lease + 2));
      expect(await ledger.claim(key, entry, later(lease * 10), lease)).toEqual({ outcome: 'already-done' });
    });

    it('refuses a finishing write for a message already finished, or never claimed', async () => {
      const { ledger, id } = await make();
      const key = id('twice');
      const claim = await ledger.claim(key, entry, now, lease);
      if (claim.outcome !== 'claimed') throw new Error('not claimed');
      await ledger.markSent(key, claim.claimId, { messageId: 'm-1', subject: 'Hello' }, now);
      await expect(ledger.markFailed(key, claim.claimId, 'late failure', now)).rejects.toThrow();
      expect(await ledger.claim(key, entry, later(1), lease)).toEqual({ outcome: 'already-done' });
      await expect(ledger.markSent(id('never'), 'no-such-claim', { messageId: 'm-x', subject: 'x' }, now)).rejects.toThrow();
    });
  });
}

describe.each(worlds)('%s', (name, make) => contract(name, make));
