/**
 * A link with its two sides on the in-memory ports, and reply addresses for either side:
 * for the tests of replies by email (the use case and the reply receiver).
 */
import { replyAddressDays } from '../../functions/core/magic-links.js';
import type { Link } from '../../functions/core/model.js';
import { replyAddress } from '../../functions/core/policies/reply-address.js';
import { anEvent } from './fixtures.js';
import { memoryDeps } from './memory-ports.js';

export const replyDomain = 'reply.parkrun-practice.example';
export const replyChampion = 'tess@nhs.example';
const day = 86_400_000;

/** Riverside Surgery (A81001, champion Tess) linked with Bushy parkrun, last in touch 30 days before `now`. */
export function replyWorld(now: Date) {
  const event = anEvent();
  const director = event.eventDirectors[0]!;
  const deps = memoryDeps([event], now, { replyDomain });
  deps.partnerships.practices.set('A81001', { code: 'A81001', name: 'Riverside Surgery', postcode: 'TW11 0AA', champion: { name: 'Tess', role: 'GP', email: replyChampion } });
  const link: Link = {
    practiceCode: 'A81001',
    eventShortName: event.shortName,
    status: 'active',
    createdAt: new Date(now.getTime() - 30 * day).toISOString(),
    createdBy: 'registration',
    initialContact: 'practice',
    lastContactAt: new Date(now.getTime() - 30 * day).toISOString(),
    lastContactBy: 'practice',
    dueAt: new Date(now.getTime() + 30 * day).toISOString(),
  };
  deps.partnerships.links.set(`A81001#${event.shortName}`, link);
  /** A reply address for `role`'s side, as on an email of kind `kind`, lasting `days`. */
  const address = async (role: 'champion' | 'event-director', options: { kind?: string; days?: number } = {}) =>
    replyAddress(
      await deps.tokens.issue(
        {
          purpose: 'reply',
          subject: `A81001.${event.shortName}`,
          recipient: role === 'champion' ? replyChampion : director.email,
          role,
          detail: { kind: options.kind ?? 'introductions' },
          expiresAt: new Date(now.getTime() + (options.days ?? replyAddressDays) * day),
        },
        now,
      ),
      replyDomain,
    );
  const stored = () => deps.partnerships.links.get(`A81001#${event.shortName}`)!;
  return { deps, event, director, address, stored };
}
