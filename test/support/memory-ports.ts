/** In-memory ports for unit tests of use cases, the mailer and the HTTP app. */
import { createHash, randomBytes } from 'node:crypto';
import { LinkAlreadyExistsError } from '../../functions/core/errors.js';
import type { EmailKind, Link, OptOutScope, ParkrunEvent, Practice, Registration } from '../../functions/core/model.js';
import type {
  ClaimResult,
  Clock,
  EventDirectory,
  LinkTokens,
  MailTransport,
  MessageLogEntry,
  OptOutStore,
  OutboxLedger,
  OutgoingEmail,
  PartnershipStore,
  TokenGrant,
  TokenPurpose,
} from '../../functions/core/ports.js';
import { Mailer } from '../../functions/core/mailer.js';
import type { StoreDeps } from '../../functions/wiring.js';

export class FixedClock implements Clock {
  constructor(public at: Date) {}
  now() {
    return new Date(this.at);
  }
}

export class MemoryEventDirectory implements EventDirectory {
  constructor(public events: ParkrunEvent[]) {}
  async getEvents(names: string[]) {
    return new Map(this.events.filter((e) => names.includes(e.shortName)).map((e) => [e.shortName, e]));
  }
  async listEvents() {
    return [...this.events].sort((a, b) => a.name.localeCompare(b.name));
  }
}

export class MemoryPartnershipStore implements PartnershipStore {
  links = new Map<string, Link>();
  practices = new Map<string, Practice>();
  registrations: Registration[] = [];
  private key = (p: string, e: string) => `${p}#${e}`;
  async findLinkedEvents(code: string, names: string[]) {
    return names.filter((n) => this.links.has(this.key(code, n)));
  }
  async recordRegistration(r: Registration) {
    const taken = r.eventShortNames.filter((n) => this.links.has(this.key(r.practice.code, n)));
    if (taken.length) throw new LinkAlreadyExistsError(r.practice.code, taken);
    this.registrations.push(r);
    this.practices.set(r.practice.code, r.practice);
    for (const n of r.eventShortNames) {
      this.links.set(this.key(r.practice.code, n), {
        practiceCode: r.practice.code,
        eventShortName: n,
        status: 'registered',
        createdAt: r.submittedAt,
        createdBy: 'registration',
        registrationId: r.id,
        initialContact: r.contactedEventTeam ? 'practice' : 'introduction',
      });
    }
  }
  async markIntroduced(link: Pick<Link, 'practiceCode' | 'eventShortName' | 'registrationId' | 'initialContact'>, at: Date) {
    const existing = this.links.get(this.key(link.practiceCode, link.eventShortName));
    if (existing && existing.status !== 'registered') return;
    this.links.set(this.key(link.practiceCode, link.eventShortName), {
      createdAt: at.toISOString(),
      createdBy: 'registration',
      ...existing,
      ...link,
      status: 'introduced',
      introducedAt: at.toISOString(),
    });
  }
  async getPractice(code: string) {
    return this.practices.get(code);
  }
  async getLink(p: string, e: string) {
    return this.links.get(this.key(p, e));
  }
}

export class MemoryOutboxLedger implements OutboxLedger {
  records = new Map<string, MessageLogEntry & { status: string; leaseUntil?: number; subject?: string; messageId?: string }>();
  async claim(key: string, entry: MessageLogEntry, now: Date, leaseMs: number): Promise<ClaimResult> {
    const existing = this.records.get(key);
    if (existing && existing.status !== 'failed' && !(existing.status === 'sending' && (existing.leaseUntil ?? 0) < now.getTime())) {
      return existing.status === 'sending' ? 'in-flight' : 'already-done';
    }
    this.records.set(key, { ...entry, status: 'sending', leaseUntil: now.getTime() + leaseMs });
    return 'claimed';
  }
  async markSent(key: string, result: { messageId: string; subject: string }, _at: Date) {
    this.records.set(key, { ...this.records.get(key)!, status: 'sent', ...result });
  }
  async markSuppressed(key: string, _at: Date) {
    this.records.set(key, { ...this.records.get(key)!, status: 'suppressed' });
  }
  async markFailed(key: string, _error: string, _at: Date) {
    this.records.set(key, { ...this.records.get(key)!, status: 'failed' });
  }
}

export class MemoryOptOutStore implements OptOutStore {
  scopes = new Map<string, Set<OptOutScope>>();
  async isOptedOut(email: string, kind: EmailKind) {
    const s = this.scopes.get(email.toLowerCase());
    return !!s && (s.has('all') || s.has(kind));
  }
  async optOut(email: string, scope: OptOutScope, _at: Date, _source: string) {
    const s = this.scopes.get(email.toLowerCase()) ?? new Set();
    s.add(scope);
    this.scopes.set(email.toLowerCase(), s);
  }
}

export class MemoryLinkTokens implements LinkTokens {
  grants = new Map<string, TokenGrant>();
  private hash = (t: string) => createHash('sha256').update(t).digest('hex');
  async issue(grant: TokenGrant, _now: Date) {
    const token = randomBytes(32).toString('base64url');
    this.grants.set(this.hash(token), grant);
    return token;
  }
  async find(token: string, purpose: TokenPurpose, now: Date) {
    const g = this.grants.get(this.hash(token));
    return g && g.purpose === purpose && g.expiresAt > now ? g : undefined;
  }
}

export class RecordingTransport implements MailTransport {
  sent: OutgoingEmail[] = [];
  failNext = 0;
  async send(email: OutgoingEmail) {
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('Throttling: Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' });
    }
    this.sent.push(email);
    return { messageId: `m-${this.sent.length}` };
  }
}

export const mailSettings = {
  publicBaseUrl: 'https://nudges.test',
  from: 'parkrun practice nudges <nudges@parkrun-practice.example>',
  replyTo: 'health@parkrun-practice.example',
};

/** Every port in memory, wired as the real wiring does. */
export function memoryDeps(events: ParkrunEvent[], now = new Date('2026-11-22T10:00:00Z')) {
  const clock = new FixedClock(now);
  const ledger = new MemoryOutboxLedger();
  const optOuts = new MemoryOptOutStore();
  const tokens = new MemoryLinkTokens();
  const transport = new RecordingTransport();
  const partnerships = new MemoryPartnershipStore();
  const eventDirectory = new MemoryEventDirectory(events);
  let reachable = true;
  const store: StoreDeps = {
    clock,
    events: eventDirectory,
    partnerships,
    ledger,
    optOuts,
    tokens,
    ping: async () => {
      if (!reachable) throw new Error('table unreachable');
    },
  };
  const mailer = new Mailer({ ledger, optOuts, tokens, transport, clock }, mailSettings);
  return {
    ...store,
    mailer,
    transport,
    ledger,
    optOuts,
    tokens,
    partnerships,
    clock,
    setReachable: (v: boolean) => (reachable = v),
  };
}
