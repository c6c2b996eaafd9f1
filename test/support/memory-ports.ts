/** In-memory ports for unit tests of use cases, the mailer and the HTTP app. */
import type { BudgetSlot, MailBudget } from '../../functions/core/policies/mail-budget.js';
import { createHash, randomBytes } from 'node:crypto';
import { ConflictError, DateTakenError, InvalidTokenError, LinkAlreadyExistsError, NotFoundError } from '../../functions/core/errors.js';
import type {
  ActivityKey,
  ActivityRecord,
  EventDirector,
  PendingRegistration,
  EmailKind,
  FreshLinkRequest,
  Handover,
  Link,
  OptOutScope,
  ParkrunEvent,
  Practice,
  Registration,
  Side,
  Takeover,
  TakeoverPromptState,
  FeedbackAskState,
  FeedbackReport,
  FeedbackSummaryState,
  FirstTimerCandidate,
  FirstTimerNaming,
  NewcomerPlan,
} from '../../functions/core/model.js';
import { pendingReminders } from '../../functions/core/model.js';
import type {
  BudgetSlots,
  AuditEntry,
  AuditLog,
  HeadOfficeActions,
  LinkLists,
  MetricChange,
  MetricsStore,
  HeadOfficeSession,
  SessionStore,
  FeedbackStore,
  FeedbackWork,
  FirstTimerStore,
  ClaimResult,
  Clock,
  ContactRecord,
  EmailPreferences,
  EventDirectory,
  EventRegistry,
  HeadOfficeAllowlist,
  RegistrationStore,
  FreshLinkRequests,
  HeldMail,
  HeldMessage,
  LinkRef,
  LinkTokens,
  MailTransport,
  MessageLogEntry,
  OptOutStore,
  OutboxLedger,
  OutgoingEmail,
  PartnershipStore,
  RateLimiter,
  TokenGrant,
  TokenLookup,
  TokenSpend,
  TakeoverStore,
} from '../../functions/core/ports.js';
import { singleUseLinks } from '../../functions/core/magic-links.js';
import { Mailer } from '../../functions/core/mailer.js';
import type { FeedFields } from '../../functions/core/policies/event-feed.js';
import { defaultNudgePolicy } from '../../functions/core/policies/quiet-link-ladder.js';
import type { JointContact, TakeoverOff } from '../../functions/core/policies/joint-contact.js';
import { defaultAbuseLimits } from '../../functions/core/policies/abuse-limits.js';
import { isPerEventCounter } from '../../functions/core/policies/metric-deltas.js';
import type { ApiDeps } from '../../functions/wiring.js';

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
  async eventNames() {
    return (await this.listEvents()).map((e) => ({ shortName: e.shortName, name: e.name, region: e.region, inFeed: e.feed?.inFeed !== false }));
  }
}

/** The events' writes, on the directory's own list: the same conditions as the DynamoDB adapter (see its contract in test/integration). */
export class MemoryEventRegistry implements EventRegistry {
  constructor(private readonly directory: MemoryEventDirectory) {}
  async saveFeedEvent(fields: FeedFields, stored: ParkrunEvent | undefined) {
    const current = this.directory.events.find((e) => e.shortName === fields.shortName);
    if (!stored && !current) this.directory.events.push({ ...fields, eventDirectors: [] });
    else if (current) Object.assign(current, fields, fields.location ? {} : { location: undefined });
  }
  async markLeftFeed(shortName: string, at: Date) {
    const event = this.directory.events.find((e) => e.shortName === shortName);
    if (event?.feed?.inFeed) event.feed = { ...event.feed, inFeed: false, leftFeedAt: event.feed.leftFeedAt ?? at.toISOString() };
  }
  async replaceTeam(shortName: string, directors: EventDirector[], previous: EventDirector[]) {
    const event = this.directory.events.find((e) => e.shortName === shortName);
    if (!event || JSON.stringify(event.eventDirectors) !== JSON.stringify(previous)) throw new ConflictError(`The team of ${shortName} changed`);
    event.eventDirectors = directors.map((d) => ({ name: d.name, email: d.email }));
  }
}

/** Registrations awaiting confirmation, on the memory partnership store: the same rules as the DynamoDB adapter. */
export class MemoryRegistrationStore implements RegistrationStore {
  pending = new Map<string, PendingRegistration>();
  blocked = new Set<string>();
  constructor(
    private readonly tokens: MemoryLinkTokens,
    private readonly partnerships: MemoryPartnershipStore,
  ) {}
  async submit(p: PendingRegistration) {
    this.pending.set(p.id, structuredClone(p));
  }
  async get(id: string) {
    return this.pending.get(id);
  }
  async confirm(p: PendingRegistration, at: Date, _by: string, spend: TokenSpend) {
    const current = this.pending.get(p.id);
    if (current?.status !== 'awaiting-confirmation') throw new ConflictError('answered already');
    const { status: _s, practiceOnRecord: _o, confirmedAt: _c, rejectedAt: _r, ...registration } = current;
    const taken = registration.eventShortNames.filter((n) => this.partnerships.links.has(`${registration.practice.code}#${n}`));
    if (taken.length) throw new LinkAlreadyExistsError(registration.practice.code, taken);
    this.tokens.spend(spend);
    await this.partnerships.recordRegistration(registration);
    current.status = 'confirmed';
    current.confirmedAt = at.toISOString();
  }
  async awaiting(since: Date, limit: number) {
    return [...this.pending.values()]
      .filter((p) => p.status === 'awaiting-confirmation' && p.submittedAt > since.toISOString())
      .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || b.id.localeCompare(a.id))
      .slice(0, limit);
  }
  async reject(p: PendingRegistration, at: Date) {
    const current = this.pending.get(p.id) ?? p;
    if (current.status === 'rejected') return 'already-done' as const;
    this.pending.set(p.id, { ...current, status: 'rejected', rejectedAt: at.toISOString() });
    this.blocked.add(p.practice.champion.email.toLowerCase());
    // As the adapter does: the links this registration made are ended, and out of every job.
    for (const name of p.eventShortNames) {
      const link = this.partnerships.links.get(`${p.practice.code}#${name}`);
      if (current.status === 'confirmed' && link && link.registrationId === p.id && link.status !== 'ended') {
        const { dueAt: _due, ...rest } = link;
        this.partnerships.links.set(`${p.practice.code}#${name}`, { ...rest, status: 'ended' });
      }
    }
    return 'done' as const;
  }
  async isBlocked(email: string) {
    return this.blocked.has(email.toLowerCase());
  }
}

export class MemoryPartnershipStore implements PartnershipStore {
  async historyOf(link: LinkRef, limit: number) {
    return this.history
      .filter((h) => h.link.practiceCode === link.practiceCode && h.link.eventShortName === link.eventShortName)
      .slice(-limit)
      .reverse()
      .map((h) => ({ at: h.at ?? '', type: h.type, ...(h.by ? { by: h.by } : {}), ...(h.via ? { via: h.via } : {}) }));
  }
  links = new Map<string, Link>();
  practices = new Map<string, Practice>();
  registrations: Registration[] = [];
  handovers: Handover[] = [];
  history: Array<{ link: LinkRef; type: string; at?: string; by?: string; via?: string }> = [];
  constructor(
    private readonly tokens: MemoryLinkTokens,
    private readonly directory: MemoryEventDirectory,
  ) {}
  private key = (p: string, e: string) => `${p}#${e}`;
  async findLinkedEvents(code: string, names: string[]) {
    return names.filter((n) => this.links.has(this.key(code, n)));
  }
  async recordRegistration(r: Registration) {
    const taken = r.eventShortNames.filter((n) => this.links.has(this.key(r.practice.code, n)));
    if (taken.length) throw new LinkAlreadyExistsError(r.practice.code, taken);
    this.registrations.push(r);
    if (!this.practices.has(r.practice.code)) this.practices.set(r.practice.code, r.practice);
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
  async markIntroduced(link: Pick<Link, 'practiceCode' | 'eventShortName' | 'registrationId' | 'initialContact'>, at: Date, dueAt: Date) {
    const existing = this.links.get(this.key(link.practiceCode, link.eventShortName));
    if (existing && existing.status !== 'registered') return;
    this.links.set(this.key(link.practiceCode, link.eventShortName), {
      createdAt: at.toISOString(),
      createdBy: 'registration',
      ...existing,
      ...link,
      status: 'introduced',
      introducedAt: at.toISOString(),
      ladder: { rung: 0 },
      dueAt: dueAt.toISOString(),
    });
  }
  async getPractice(code: string) {
    return this.practices.get(code);
  }
  async practicesByContact(email: string) {
    return [...this.practices.values()].filter((p) => p.champion.email.toLowerCase() === email.toLowerCase());
  }
  async markContactLost(ref: LinkRef) {
    const link = this.links.get(this.key(ref.practiceCode, ref.eventShortName));
    if (link) this.links.set(this.key(ref.practiceCode, ref.eventShortName), { ...link, status: 'contact-lost', dueAt: undefined });
  }
  async restoreContact(ref: LinkRef, dueAt: Date) {
    const link = this.links.get(this.key(ref.practiceCode, ref.eventShortName));
    if (link?.status === 'contact-lost') this.links.set(this.key(ref.practiceCode, ref.eventShortName), { ...link, status: 'active', ladder: { rung: 0 }, dueAt: dueAt.toISOString() });
  }
  async getPractices(codes: string[]) {
    return new Map(codes.flatMap((c) => (this.practices.has(c) ? [[c, this.practices.get(c)!] as const] : [])));
  }
  async getLink(p: string, e: string) {
    return this.links.get(this.key(p, e));
  }
  async getLinkContext(p: string, e: string) {
    const [link, practice, event] = [this.links.get(this.key(p, e)), this.practices.get(p), (await this.directory.getEvents([e])).get(e)];
    return { ...(link ? { link } : {}), ...(practice ? { practice } : {}), ...(event ? { event } : {}) };
  }
  async linksOfEvent(e: string) {
    return [...this.links.values()].filter((l) => l.eventShortName === e);
  }
  async linksOfPractice(p: string) {
    return [...this.links.values()].filter((l) => l.practiceCode === p);
  }
  /** Like the conditional transaction: the link must exist and not be ended, and the token is spent with the change. */
  private apply(ref: LinkRef, spend: TokenSpend, change: (link: Link) => Link, type: string) {
    const link = this.links.get(this.key(ref.practiceCode, ref.eventShortName));
    if (!link || link.status === 'ended') throw new NotFoundError('This link has ended or changed since the email was sent.');
    this.tokens.spend(spend);
    this.links.set(this.key(ref.practiceCode, ref.eventShortName), change(link));
    this.history.push({ link: ref, type });
  }
  /**
   * A joint action's contact, as link-contact.ts writes it in the action's transaction: the
   * caller checks `canRecord` before spending its token, so all or nothing holds here too.
   */
  canRecord(contact: JointContact) {
    const link = this.links.get(this.key(contact.link.practiceCode, contact.link.eventShortName));
    return link !== undefined && link.status !== 'ended';
  }
  recordJointContact(contact: JointContact) {
    const k = this.key(contact.link.practiceCode, contact.link.eventShortName);
    const link = this.links.get(k)!;
    const { takeoverUntil: _old, lastContactHow: _how, ...rest } = link;
    const takeoverUntil = contact.takeoverUntil === undefined ? link.takeoverUntil : (contact.takeoverUntil ?? undefined);
    this.links.set(k, {
      ...rest,
      status: 'active',
      lastContactAt: contact.at.toISOString(),
      lastContactBy: contact.by,
      lastRecordedContactAt: contact.at.toISOString(),
      ladder: { rung: 0 },
      dueAt: contact.dueAt.toISOString(),
      ...(takeoverUntil ? { takeoverUntil } : {}),
      ...(contact.activities ? { activities: contact.activities } : {}),
    });
    this.history.push({ link: contact.link, type: 'contact', at: contact.at.toISOString(), by: contact.by, via: contact.via });
  }
  /** A takeover off the link (link-contact.ts's takeoverOffUpdate); refused only if the link is gone. */
  takeoverOff(off: TakeoverOff) {
    const k = this.key(off.link.practiceCode, off.link.eventShortName);
    const link = this.links.get(k);
    if (!link) throw new ConflictError('This takeover has changed since the email was sent.');
    const { takeoverUntil: _gone, dueAt: _due, ...rest } = link;
    this.links.set(k, { ...rest, ...(off.dueAt ? { dueAt: off.dueAt.toISOString() } : {}) });
  }
  async recordContact(ref: LinkRef, contact: ContactRecord, spend: TokenSpend, dueAt: Date) {
    this.apply(ref, spend, (l) => ({
      ...l,
      dueAt: dueAt.toISOString(),
      ...(contact.moveLastContact ? { status: 'active' as const, ladder: { rung: 0 as const } } : {}),
      ...(contact.moveLastContact ? { lastContactAt: contact.at.toISOString(), lastContactBy: contact.by, ...(contact.how ? { lastContactHow: contact.how } : {}) } : {}),
    }), 'contact');
  }
  async setActivities(ref: LinkRef, updates: Partial<Record<ActivityKey, ActivityRecord>>, _by: Side, spend: TokenSpend) {
    this.apply(ref, spend, (l) => ({ ...l, activities: { ...l.activities, ...updates } }), 'activities');
  }
  async pause(ref: LinkRef, until: Date, _by: Side, spend: TokenSpend, dueAt: Date) {
    this.apply(ref, spend, (l) => ({ ...l, pausedUntil: until.toISOString(), dueAt: dueAt.toISOString() }), 'pause');
  }
  async offerHandover(handover: Handover, spend: TokenSpend) {
    this.tokens.spend(spend);
    this.handovers.push({ ...handover, status: 'offered' });
    this.history.push({ link: handover, type: 'handover-offered' });
  }
  async getHandover(id: string) {
    return this.handovers.find((h) => h.id === id);
  }
  async acceptHandover(offered: Handover, at: Date, spend: TokenSpend) {
    const handover = this.handovers.find((h) => h.id === offered.id);
    if (!handover || handover.status !== 'offered') throw new ConflictError('This hand-over has been accepted already.');
    const successor = handover.to;
    if (handover.role === 'champion') {
      const practice = this.practices.get(handover.practiceCode);
      if (!practice || practice.champion.email !== handover.from.email) throw new ConflictError('The contact has changed.');
      this.tokens.spend(spend);
      this.practices.set(practice.code, { ...practice, champion: successor });
    } else {
      // As the adapter: addresses compared whatever their case; while no director is named, the team address stands in for them.
      const event = this.directory.events.find((e) => e.shortName === handover.eventShortName);
      const from = handover.from.email.toLowerCase();
      const directors = event?.eventDirectors ?? [];
      const stillContact = directors.some((d) => d.email.toLowerCase() === from) || (directors.length === 0 && (event?.teamEmail ?? '').toLowerCase() === from);
      if (!event || !stillContact) throw new ConflictError('The contact has changed.');
      this.tokens.spend(spend);
      event.eventDirectors =
        directors.length === 0
          ? [{ name: successor.name, email: successor.email }]
          : directors
              .filter((d) => d.email.toLowerCase() !== successor.email.toLowerCase())
              .map((d) => (d.email.toLowerCase() === from ? { name: successor.name, email: successor.email } : d));
    }
    handover.status = 'accepted';
    handover.acceptedAt = at.toISOString();
    this.history.push({ link: handover, type: 'handover' });
  }
}

export class MemoryOutboxLedger implements OutboxLedger {
  records = new Map<string, MessageLogEntry & { status: string; leaseUntil?: number; subject?: string; messageId?: string; claimId?: string }>();
  private claims = 0;
  async claim(key: string, entry: MessageLogEntry, now: Date, leaseMs: number): Promise<ClaimResult> {
    const existing = this.records.get(key);
    if (existing && existing.status !== 'failed' && !(existing.status === 'sending' && (existing.leaseUntil ?? 0) < now.getTime())) {
      return existing.status === 'sending' ? { outcome: 'in-flight' } : { outcome: 'already-done' };
    }
    const claimId = `claim-${++this.claims}`;
    this.records.set(key, { ...entry, status: 'sending', leaseUntil: now.getTime() + leaseMs, claimId });
    return { outcome: 'claimed', claimId };
  }
  /** Like the conditional update: only the claim's holder, only while sending. */
  private finish(key: string, claimId: string, change: Record<string, unknown>) {
    const record = this.records.get(key);
    if (!record || record.status !== 'sending' || record.claimId !== claimId) throw Object.assign(new Error('not the holder'), { name: 'ConditionalCheckFailedException' });
    this.records.set(key, { ...record, ...change });
  }
  async markSent(key: string, claimId: string, result: { messageId: string; subject: string }, _at: Date) {
    this.finish(key, claimId, { status: 'sent', ...result });
  }
  async markSuppressed(key: string, claimId: string, _at: Date) {
    this.finish(key, claimId, { status: 'suppressed' });
  }
  async markFailed(key: string, claimId: string, _error: string, _at: Date) {
    this.finish(key, claimId, { status: 'failed' });
  }
}

export class MemoryHeldMail implements HeldMail {
  held = new Map<string, HeldMessage>();
  async hold(message: HeldMessage) {
    if (this.held.has(message.idempotencyKey)) return false;
    this.held.set(message.idempotencyKey, structuredClone(message));
    return true;
  }
  async *due(now: Date) {
    yield [...this.held.values()].filter((m) => Date.parse(m.sendAt) <= now.getTime()).map((m) => structuredClone(m));
  }
  async release(key: string) {
    this.held.delete(key);
  }
  async postpone(key: string, sendAt: Date) {
    const message = this.held.get(key);
    if (message) message.sendAt = sendAt.toISOString();
  }
}

/** Each person's budget slot, as the ladder store keeps it in DynamoDB (functions/adapters/dynamo/ladder-store.ts). */
export class MemoryBudgetSlots implements BudgetSlots {
  slots = new Map<string, BudgetSlot>();
  async read(email: string) {
    return this.slots.get(email.toLowerCase());
  }
  async write(email: string, next: BudgetSlot, seen: BudgetSlot | undefined) {
    const current = this.slots.get(email.toLowerCase());
    if (current?.lastAt !== seen?.lastAt || current?.key !== seen?.key) return false;
    this.slots.set(email.toLowerCase(), next);
    return true;
  }
}

export class MemoryOptOutStore implements OptOutStore {
  stopped = new Map<string, OptOutScope[]>();
  suppressed = new Set<string>();
  constructor(private readonly tokens: MemoryLinkTokens) {}
  async isOptedOut(email: string, kind: EmailKind) {
    const s = this.stopped.get(email.toLowerCase()) ?? [];
    return this.suppressed.has(email.toLowerCase()) || s.includes('all') || s.includes(kind);
  }
  async isSuppressed(email: string) {
    return this.suppressed.has(email.toLowerCase());
  }
  async getPreferences(email: string): Promise<EmailPreferences> {
    return { stopped: this.stopped.get(email.toLowerCase()) ?? [] };
  }
  async setPreferences(email: string, stopped: OptOutScope[], _at: Date, _source: string, spend: TokenSpend) {
    this.tokens.spend(spend);
    this.stopped.set(email.toLowerCase(), stopped);
  }
  async suppress(email: string, _reason: 'bounce' | 'complaint', _at: Date) {
    this.suppressed.add(email.toLowerCase());
  }
  /** For tests that start from an opted-out address. */
  stop(email: string, scope: OptOutScope) {
    this.stopped.set(email.toLowerCase(), [...(this.stopped.get(email.toLowerCase()) ?? []), scope]);
  }
}

export class MemoryLinkTokens implements LinkTokens {
  grants = new Map<string, TokenGrant & { usedAt?: Date; uses: number }>();
  issued: Array<{ token: string; grant: TokenGrant }> = [];
  private hash = (t: string) => createHash('sha256').update(t).digest('hex');
  async issue(grant: TokenGrant, _now: Date) {
    const token = randomBytes(32).toString('base64url');
    this.grants.set(this.hash(token), { ...grant, uses: 0 });
    this.issued.push({ token, grant });
    return token;
  }
  async issueAll(grants: TokenGrant[], now: Date) {
    const tokens: string[] = [];
    for (const grant of grants) tokens.push(await this.issue(grant, now));
    return tokens;
  }
  async lookup(token: string, now: Date): Promise<TokenLookup | undefined> {
    const ref = this.hash(token);
    const g = this.grants.get(ref);
    if (!g) return undefined;
    const { usedAt, uses: _uses, ...grant } = g;
    return { ref, grant, state: g.expiresAt <= now ? 'expired' : usedAt ? 'used' : 'valid', ...(usedAt ? { usedAt } : {}) };
  }
  /** The same rule as the conditional update on the token item. */
  spend(spend: TokenSpend) {
    const g = this.grants.get(spend.ref);
    const once = singleUseLinks[spend.purpose];
    if (!g || g.purpose !== spend.purpose || g.expiresAt <= spend.now || (once && g.usedAt)) throw new InvalidTokenError('used');
    if (once) g.usedAt = spend.now;
    g.uses += 1;
  }
  /** The newest token issued for a purpose (and subject), as a person would find it in their email. */
  latest(purpose: TokenGrant['purpose'], subject?: string): string {
    const found = [...this.issued].reverse().find((i) => i.grant.purpose === purpose && (subject === undefined || i.grant.subject === subject));
    if (!found) throw new Error(`no ${purpose} token issued`);
    return found.token;
  }
}

export class MemoryRateLimiter implements RateLimiter {
  counts = new Map<string, number>();
  uses = new Map<string, Set<string>>();
  async take(key: string, limit: number, windowMs: number, now: Date, use?: string) {
    const k = `${key}#${Math.floor(now.getTime() / windowMs)}`;
    if (use && this.uses.get(k)?.has(use)) return true;
    const n = this.counts.get(k) ?? 0;
    if (n >= limit) return false;
    this.counts.set(k, n + 1);
    if (use) this.uses.set(k, (this.uses.get(k) ?? new Set()).add(use));
    return true;
  }
  async takeAll(counters: ReadonlyArray<{ key: string; limit: number; windowMs: number }>, now: Date) {
    const k = (c: { key: string; windowMs: number }) => `${c.key}#${Math.floor(now.getTime() / c.windowMs)}`;
    const refused = counters.findIndex((c) => (this.counts.get(k(c)) ?? 0) >= c.limit);
    if (refused < 0) for (const c of counters) this.counts.set(k(c), (this.counts.get(k(c)) ?? 0) + 1);
    return refused;
  }
}

export class MemoryTakeoverStore implements TakeoverStore {
  takeovers = new Map<string, Takeover>();
  prompts = new Map<string, TakeoverPromptState>();
  taken = new Map<string, string>();
  constructor(
    private readonly tokens: MemoryLinkTokens,
    private readonly partnerships: MemoryPartnershipStore,
    private readonly directory: MemoryEventDirectory,
  ) {}
  /** The link's contact must be possible before anything is written, as in the transaction. */
  private checkLink(contact: JointContact) {
    if (!this.partnerships.canRecord(contact)) throw new NotFoundError('This link has ended since the email was sent.');
  }
  /** A takeover off the link is refused only if the link is gone (takeoverOffUpdate's condition): checked before anything is written. */
  private checkOff(off: TakeoverOff) {
    if (!this.partnerships.links.has(`${off.link.practiceCode}#${off.link.eventShortName}`)) throw new ConflictError('This takeover has changed since the email was sent.');
  }
  /** As the adapter's conditional update on the takeover: still `from` and (with `sameRev`) unchanged since read. */
  private current(takeover: Takeover, from: Takeover['status'], sameRev = true) {
    const current = this.takeovers.get(takeover.id);
    if (!current || current.status !== from || (sameRev && current.rev !== takeover.rev)) throw new ConflictError('This takeover has changed since the email was sent: it may already be answered, moved or cancelled.');
    return current;
  }
  /** Every change to a takeover moves its `rev` on, as `ADD rev :one` does. */
  private update(current: Takeover, changes: Partial<Takeover>, at: Date) {
    this.takeovers.set(current.id, { ...current, ...changes, updatedAt: at.toISOString(), rev: (current.rev ?? 0) + 1 });
  }
  /** As the adapter's promptAgain: no longer planned, due at `dueAt`, its `rev` moved on. */
  private promptAgain(takeover: Takeover, dueAt: Date, also: Partial<TakeoverPromptState> = {}) {
    const prompt = this.prompts.get(this.key(takeover));
    this.prompts.set(this.key(takeover), { ...prompt, practiceCode: takeover.practiceCode, eventShortName: takeover.eventShortName, ...also, planned: false, dueAt: dueAt.toISOString(), rev: (prompt?.rev ?? 0) + 1 });
  }
  private key = (l: { practiceCode: string; eventShortName: string }) => `${l.practiceCode}.${l.eventShortName}`;
  async *promptsDue(now: Date) {
    const due = [...this.prompts.values()].filter((p) => p.dueAt && p.dueAt <= now.toISOString());
    if (due.length) yield due;
  }
  async getPromptState(link: { practiceCode: string; eventShortName: string }) {
    return this.prompts.get(this.key(link));
  }
  async savePromptState(state: TakeoverPromptState) {
    const current = this.prompts.get(this.key(state));
    if ((current?.rev ?? undefined) !== state.rev) return false;
    this.prompts.set(this.key(state), { ...state, rev: (state.rev ?? 0) + 1 });
    return true;
  }
  async takenDates(event: string) {
    return [...this.taken.keys()].filter((k) => k.startsWith(`${event}#`)).map((k) => k.split('#')[1]!);
  }
  async getTakeover(id: string) {
    return this.takeovers.get(id);
  }
  async propose(takeover: Takeover, spend: TokenSpend, checkAt: Date, contact: JointContact) {
    if (this.prompts.get(this.key(takeover))?.planned || this.takeovers.has(takeover.id)) throw new ConflictError('already planned');
    this.checkLink(contact);
    this.tokens.spend(spend);
    this.partnerships.recordJointContact(contact);
    this.takeovers.set(takeover.id, takeover);
    const prompt = this.prompts.get(this.key(takeover));
    this.prompts.set(this.key(takeover), { practiceCode: takeover.practiceCode, eventShortName: takeover.eventShortName, ...prompt, planned: true, takeoverId: takeover.id, dueAt: checkAt.toISOString(), rev: (prompt?.rev ?? 0) + 1 });
  }
  async fix(takeover: Takeover, date: string, at: Date, spend: TokenSpend, contact: JointContact) {
    // Status first, as the adapter reports it: a second director fixing the same offer is told it is fixed.
    const current = this.current(takeover, 'proposed', false);
    if (this.taken.has(`${takeover.eventShortName}#${date}`)) throw new DateTakenError('taken');
    this.checkLink(contact);
    this.tokens.spend(spend);
    this.partnerships.recordJointContact(contact);
    this.taken.set(`${takeover.eventShortName}#${date}`, takeover.id);
    this.update(current, { status: 'fixed', date, reminders: pendingReminders() }, at);
  }
  async markReminders(id: string, reminders: Takeover['reminders']) {
    const takeover = this.takeovers.get(id);
    if (!takeover) throw Object.assign(new Error('no such takeover'), { name: 'ConditionalCheckFailedException' });
    this.takeovers.set(id, { ...takeover, reminders });
  }
  async markOffered(id: string, at: Date) {
    const takeover = this.takeovers.get(id);
    if (takeover?.status !== 'proposed' || takeover.offeredAt) return false;
    this.takeovers.set(id, { ...takeover, offeredAt: at.toISOString() });
    return true;
  }
  async expireOffer(takeover: Takeover, reason: string, at: Date, nextPromptAt: Date, off?: TakeoverOff) {
    const current = this.current(takeover, 'proposed');
    if (off) this.checkOff(off);
    if (off) this.partnerships.takeoverOff(off);
    this.update(current, { status: 'declined', declineReason: reason }, at);
    this.promptAgain(takeover, nextPromptAt);
  }
  async decline(takeover: Takeover, reason: string, at: Date, spend: TokenSpend, nextPromptAt: Date, off: TakeoverOff) {
    const current = this.current(takeover, 'proposed');
    this.checkOff(off);
    this.tokens.spend(spend);
    this.partnerships.takeoverOff(off);
    this.update(current, { status: 'declined', declineReason: reason }, at);
    this.promptAgain(takeover, nextPromptAt);
  }
  async move(takeover: Takeover, date: string, at: Date, spend: TokenSpend, contact: JointContact) {
    const current = this.current(takeover, 'fixed');
    if (this.taken.has(`${takeover.eventShortName}#${date}`)) throw new DateTakenError('taken');
    this.checkLink(contact);
    this.tokens.spend(spend);
    this.partnerships.recordJointContact(contact);
    this.taken.delete(`${takeover.eventShortName}#${takeover.date}`);
    this.taken.set(`${takeover.eventShortName}#${date}`, takeover.id);
    this.update(current, { date, previousDate: takeover.date, reminders: pendingReminders() }, at);
  }
  async cancel(takeover: Takeover, at: Date, spend: TokenSpend, nextPromptAt: Date, off: TakeoverOff) {
    const current = this.current(takeover, 'fixed');
    this.checkOff(off);
    this.tokens.spend(spend);
    this.partnerships.takeoverOff(off);
    this.taken.delete(`${takeover.eventShortName}#${takeover.date}`);
    this.update(current, { status: 'cancelled' }, at);
    this.promptAgain(takeover, nextPromptAt);
  }
  /** On the event, as the adapter keeps them (the directory's event), over the days as they were read. */
  async setUnavailableDates(eventShortName: string, dates: string[], previous: string[] | undefined, spend: TokenSpend) {
    const event = this.directory.events.find((e) => e.shortName === eventShortName);
    const unchanged = previous === undefined ? event !== undefined && event.unavailableDates === undefined : event?.unavailableDates !== undefined && JSON.stringify(event.unavailableDates) === JSON.stringify(previous);
    if (!event || !unchanged) throw new ConflictError('Another director changed these days a moment ago. Nothing was saved; please look again.');
    this.tokens.spend(spend);
    event.unavailableDates = [...dates];
  }
  async recordRoles(takeover: Takeover, filled: NonNullable<Takeover['rolesFilled']>, at: Date, spend: TokenSpend) {
    const current = this.current(takeover, 'fixed');
    this.tokens.spend(spend);
    this.update(current, { rolesFilled: filled }, at);
  }
  async recordOutcome(takeover: Takeover, outcome: NonNullable<Takeover['outcome']>, at: Date, spend: TokenSpend, nextPromptAt: Date, link: { contact: JointContact } | { off: TakeoverOff }) {
    const current = this.current(takeover, 'fixed', false);
    if ('contact' in link) this.checkLink(link.contact);
    else this.checkOff(link.off);
    this.tokens.spend(spend);
    if ('contact' in link) this.partnerships.recordJointContact(link.contact);
    else this.partnerships.takeoverOff(link.off);
    this.update(current, { status: outcome.happened ? 'done' : 'did-not-happen', outcome }, at);
    this.promptAgain(takeover, nextPromptAt, outcome.happened && takeover.date ? { lastDoneOn: takeover.date } : {});
  }
}

export class MemoryFreshLinkRequests implements FreshLinkRequests {
  requests: FreshLinkRequest[] = [];
  async record(request: FreshLinkRequest) {
    this.requests.push(request);
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
  sendRatePerSecond: 1000,
  publicBaseUrl: 'https://nudges.test',
  from: 'parkrun practice nudges <nudges@parkrun-practice.example>',
  replyTo: 'health@parkrun-practice.example',
};

export class MemoryFeedbackStore implements FeedbackStore {
  asks = new Map<string, FeedbackAskState>();
  summaries = new Map<string, FeedbackSummaryState>();
  reports = new Map<string, FeedbackReport>();
  constructor(
    private readonly tokens: MemoryLinkTokens,
    private readonly partnerships: MemoryPartnershipStore,
  ) {}
  private key = (l: LinkRef) => `${l.practiceCode}.${l.eventShortName}`;
  async *feedbackDue(now: Date): AsyncIterable<FeedbackWork[]> {
    const due = (d?: string) => d !== undefined && d <= now.toISOString();
    const work: FeedbackWork[] = [
      ...[...this.asks.values()].filter((a) => due(a.dueAt)).map((state) => ({ kind: 'ask' as const, state })),
      ...[...this.summaries.values()].filter((s) => due(s.dueAt)).map((state) => ({ kind: 'summary' as const, state })),
    ];
    if (work.length) yield work;
  }
  async getAskState(link: LinkRef) {
    return this.asks.get(this.key(link));
  }
  async saveAskState(state: FeedbackAskState) {
    if (this.asks.get(this.key(state))?.rev !== state.rev) return false;
    const copy = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)) as unknown as FeedbackAskState;
    this.asks.set(this.key(state), { ...copy, rev: (state.rev ?? 0) + 1 });
    return true;
  }
  async ensureSummary(state: FeedbackSummaryState) {
    const k = `${state.eventShortName}#${state.period}`;
    if (!this.summaries.has(k)) this.summaries.set(k, state);
  }
  async completeSummary(state: FeedbackSummaryState, at: Date) {
    const { dueAt: _d, ...rest } = state;
    this.summaries.set(`${state.eventShortName}#${state.period}`, { ...rest, queuedAt: at.toISOString() });
  }
  async getReport(link: LinkRef, period: string) {
    return this.reports.get(`${this.key(link)}#${period}`);
  }
  async reportsOf(event: string, period: string) {
    return [...this.reports.values()].filter((r) => r.eventShortName === event && r.period === period);
  }
  async recordReport(report: FeedbackReport, spend: TokenSpend, dueAt: Date) {
    // The partnership store keys its links `code#event` (this store's own key is `code.event`).
    const link = this.partnerships.links.get(`${report.practiceCode}#${report.eventShortName}`);
    if (!link || link.status === 'ended') throw new NotFoundError('This link has ended since the email was sent.');
    this.tokens.spend(spend);
    this.reports.set(`${this.key(report)}#${report.period}`, report);
    Object.assign(link, { status: 'active', lastContactAt: report.answeredAt, lastContactBy: 'practice', ladder: { rung: 0 }, dueAt: dueAt.toISOString() });
  }
}

export class MemoryFirstTimerStore implements FirstTimerStore {
  plans = new Map<string, NewcomerPlan>();
  namings: FirstTimerNaming[] = [];
  constructor(
    private readonly tokens: MemoryLinkTokens,
    private readonly events: MemoryEventDirectory,
    private readonly partnerships: MemoryPartnershipStore,
  ) {}
  private event(name: string) {
    const event = this.events.events.find((e) => e.shortName === name);
    if (!event) throw new NotFoundError('This event is no longer in our list.');
    return event;
  }
  async nameCandidate(eventShortName: string, candidate: FirstTimerCandidate, spend: TokenSpend, contact?: JointContact) {
    const event = this.event(eventShortName);
    if (contact && !this.partnerships.canRecord(contact)) throw new ConflictError('The practice link this was about ended a moment ago.');
    this.tokens.spend(spend);
    if (contact) this.partnerships.recordJointContact(contact);
    event.firstTimerCandidate = candidate;
    this.namings.push({ id: candidate.id, eventShortName });
  }
  async confirm(eventShortName: string, candidateId: string, at: Date, spend: TokenSpend, contact?: JointContact) {
    // An event gone is, as the adapter finds it, no candidate of this id: a conflict, not "not found".
    const event = this.events.events.find((e) => e.shortName === eventShortName);
    if (!event?.firstTimerCandidate || event.firstTimerCandidate.id !== candidateId) throw new ConflictError('named someone else');
    if (contact && !this.partnerships.canRecord(contact)) throw new ConflictError('The practice link this was about ended a moment ago.');
    this.tokens.spend(spend);
    if (contact) this.partnerships.recordJointContact(contact);
    const { namedAt: _a, namedBy: _b, namedFrom: _c, ...details } = event.firstTimerCandidate;
    event.firstTimerContact = { ...details, confirmedAt: at.toISOString() };
    delete event.firstTimerCandidate;
  }
  async standDown(eventShortName: string, id: string, as: 'candidate' | 'contact', spend: TokenSpend) {
    const event = this.events.events.find((e) => e.shortName === eventShortName);
    const attribute = as === 'candidate' ? 'firstTimerCandidate' : 'firstTimerContact';
    if (!event || event[attribute]?.id !== id) throw new ConflictError('replaced');
    this.tokens.spend(spend);
    delete event[attribute];
  }
  async markAskedForContact(eventShortName: string, at: Date) {
    // As the adapter's conditional update: an event not on record is not marked.
    const event = this.events.events.find((e) => e.shortName === eventShortName);
    if (!event || event.firstTimerContactAskedAt) return false;
    event.firstTimerContactAskedAt = at.toISOString();
    return true;
  }
  async getPlan(link: LinkRef, date: string) {
    return this.plans.get(`${link.practiceCode}.${link.eventShortName}#${date}`);
  }
  async plansOf(link: LinkRef, fromDate: string) {
    return [...this.plans.values()].filter((p) => p.practiceCode === link.practiceCode && p.eventShortName === link.eventShortName && p.date >= fromDate).sort((a, b) => a.date.localeCompare(b.date));
  }
  async savePlan(plan: NewcomerPlan, spend: TokenSpend, contact?: JointContact) {
    if (contact && !this.partnerships.canRecord(contact)) throw new NotFoundError('This link has ended since the email was sent.');
    this.tokens.spend(spend);
    if (contact) this.partnerships.recordJointContact(contact);
    this.plans.set(`${plan.practiceCode}.${plan.eventShortName}#${plan.date}`, plan);
  }
}

export class MemorySessionStore implements SessionStore {
  sessions = new Map<string, HeadOfficeSession>();
  constructor(private readonly tokens: MemoryLinkTokens) {}
  async start(email: string, now: Date, expiresAt: Date, spend: TokenSpend) {
    this.tokens.spend(spend);
    const id = randomBytes(16).toString('hex');
    this.sessions.set(id, { email, startedAt: now.toISOString(), expiresAt: expiresAt.toISOString() });
    return id;
  }
  async find(cookie: string, now: Date) {
    const s = this.sessions.get(cookie);
    return s && s.expiresAt > now.toISOString() ? s : undefined;
  }
  async end(cookie: string) {
    this.sessions.delete(cookie);
  }
}

export class MemoryMetricsStore implements MetricsStore {
  items = new Map<string, Record<string, number>>();
  applied = new Set<string>();
  private bump(key: string, deltas: Record<string, number>) {
    const item = this.items.get(key) ?? {};
    for (const [k, v] of Object.entries(deltas)) item[k] = (item[k] ?? 0) + v;
    this.items.set(key, item);
  }
  /** As the adapter counts: per-event counters in the scope's totals only, the rest in its totals and its day. */
  private count(scope: string, day: string | undefined, deltas: Record<string, number>) {
    const perEvent = Object.fromEntries(Object.entries(deltas).filter(([k]) => isPerEventCounter(k)));
    const rest = Object.fromEntries(Object.entries(deltas).filter(([k]) => !isPerEventCounter(k)));
    if (Object.keys(rest).length) {
      this.bump(`${scope}|CURRENT`, rest);
      if (day) this.bump(`${scope}|DAY#${day}`, rest);
    }
    if (Object.keys(perEvent).length) this.bump(`${scope}|CURRENT#EVENTS`, perEvent);
  }
  async apply(changeId: string, day: string, scopes: string[], deltas: Record<string, number>) {
    if (this.applied.has(changeId)) return 'duplicate' as const;
    this.applied.add(changeId);
    for (const scope of scopes) this.count(scope, day, deltas);
    return 'applied' as const;
  }
  async applyAll(changes: readonly MetricChange[]) {
    const outcomes: Array<'applied' | 'duplicate'> = [];
    for (const c of changes) outcomes.push(await this.apply(c.id, c.day, c.scopes, c.deltas));
    return outcomes;
  }
  async read(scope: string, fromDay: string, toDay: string) {
    const days = [...this.items.entries()]
      .filter(([k]) => k.startsWith(`${scope}|DAY#`) && k.slice(`${scope}|DAY#`.length) >= fromDay && k.slice(`${scope}|DAY#`.length) <= toDay)
      .map(([k, values]) => ({ day: k.slice(`${scope}|DAY#`.length), values }))
      .sort((a, b) => a.day.localeCompare(b.day));
    const totals = [`${scope}|CURRENT`, `${scope}|CURRENT#EVENTS`].filter((k) => this.items.has(k));
    const current = Object.assign({}, ...totals.map((k) => this.items.get(k))) as Record<string, number>;
    return { current, days, itemsRead: days.length + totals.length };
  }
  async correct(scope: string, day: string | undefined, corrections: Record<string, number>) {
    this.count(scope, day, corrections);
  }
}

/** Head office's audit log, lists and actions, in memory: enough for the API's unit tests. */
export function memoryHeadOffice() {
  const entries: AuditEntry[] = [];
  const audit: AuditLog = {
    record: async (entry) => void entries.push(entry),
    ofSubject: async (subject, limit) => entries.filter((e) => e.subject === subject).reverse().slice(0, limit),
  };
  const lists: LinkLists = { place: async () => undefined, byStatus: async () => ({ links: [] }) };
  const headOfficeActions: HeadOfficeActions = {
    logContact: async (link, contact, actor, _dueAt, id) => {
      await audit.record({ subject: `${link.practiceCode}.${link.eventShortName}`, at: contact.recordedAt.toISOString(), actor, action: 'head-office-contact', id });
      return 'done' as const;
    },
    requestIntroduction: async (link, actor, id, at) => {
      await audit.record({ subject: `${link.practiceCode}.${link.eventShortName}`, at: at.toISOString(), actor, action: 'head-office-introduction', id });
      return 'done' as const;
    },
  };
  return { audit, lists, headOfficeActions };
}

/** The head-office list of the tests: the analyst alone. */
export const analystOnly: HeadOfficeAllowlist = { includes: async (email: string) => email.trim().toLowerCase() === 'analyst@parkrun.example' };

/** Every port in memory, wired as the real wiring does. */
/** Monday 10:00, inside every reader's window, unless a test says otherwise. */
export function memoryDeps(events: ParkrunEvent[], now = new Date('2026-11-23T10:00:00Z'), settings: { budget?: MailBudget; replyDomain?: string } = {}) {
  const clock = new FixedClock(now);
  const ledger = new MemoryOutboxLedger();
  const tokens = new MemoryLinkTokens();
  const optOuts = new MemoryOptOutStore(tokens);
  const transport = new RecordingTransport();
  const eventDirectory = new MemoryEventDirectory(events);
  const partnerships = new MemoryPartnershipStore(tokens, eventDirectory);
  const rateLimiter = new MemoryRateLimiter();
  const freshLinkRequests = new MemoryFreshLinkRequests();
  const takeovers = new MemoryTakeoverStore(tokens, partnerships, eventDirectory);
  const held = new MemoryHeldMail();
  const registrations = new MemoryRegistrationStore(tokens, partnerships);
  let reachable = true;
  const store: ApiDeps = {
    clock,
    nudgePolicy: defaultNudgePolicy,
    limits: defaultAbuseLimits,
    events: eventDirectory,
    partnerships,
    ledger,
    held,
    optOuts,
    tokens,
    rateLimiter,
    freshLinkRequests,
    takeovers,
    // As link-takeovers.ts reads them: the link's takeovers, oldest first.
    linkTakeovers: {
      ofLink: async (link: LinkRef) =>
        [...takeovers.takeovers.values()]
          .filter((t) => t.practiceCode === link.practiceCode && t.eventShortName === link.eventShortName)
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    },
    feedback: new MemoryFeedbackStore(tokens, partnerships),
    firstTimers: new MemoryFirstTimerStore(tokens, eventDirectory, partnerships),
    sessions: new MemorySessionStore(tokens),
    metrics: new MemoryMetricsStore(),
    registry: new MemoryEventRegistry(eventDirectory),
    registrations,
    ...memoryHeadOffice(),
    allowlist: { includes: async (email: string) => ['analyst@parkrun.example'].includes(email.toLowerCase()) },
    ping: async () => {
      if (!reachable) throw new Error('table unreachable');
    },
  };
  const budget = new MemoryBudgetSlots();
  const mailer = new Mailer({ ledger, held, optOuts, tokens, transport, clock, budget }, { ...mailSettings, ...settings });
  return {
    ...store,
    mailer,
    transport,
    ledger,
    held,
    optOuts,
    tokens,
    partnerships,
    registrations,
    rateLimiter,
    freshLinkRequests,
    eventDirectory,
    clock,
    budget,
    setReachable: (v: boolean) => (reachable = v),
  };
}
