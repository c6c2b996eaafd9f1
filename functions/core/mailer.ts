/**
 * Sends one email exactly once. Every send goes through here, so the rules hold for
 * every kind of email:
 *  - an email that arrives outside its reader's window (quiet hours) is held whole and
 *    sent when the window opens, by the held-mail job;
 *  - an address that opted out of this kind (or of all mail) is never sent to;
 *  - a message with the same idempotency key is sent at most once, however often or
 *    concurrently the trigger fires: the ledger's conditional claim decides who sends;
 *  - every mailing carries a working one-click unsubscribe (RFC 8058) from the first on,
 *    and names its list; an email that is not a mailing (a sign-in link: see
 *    EmailTemplate.mailing) carries neither, nor a footer offering to stop email;
 *  - every message says it is automated (no out-of-office replies).
 * An address the mail service refuses outright is treated as a permanent bounce: never
 * mailed again, and `onRecipientRejected` (the bounce handling) told.
 * A failed send gives its claim back and rethrows, so the caller's retry sends it; a
 * crash between the provider accepting a message and markSent is the one window in which
 * a retry after the lease (leaseMs) could send again: providers offer no idempotency key.
 * So a markSent refused for a moment (throttling, a 5xx) is tried again before giving up.
 * The rendering and sending itself is in mail-delivery.ts; held messages' views in mail-held.ts.
 */
import type { EmailTemplate } from '../../templates/render.js';
import { oneLine } from '../../templates/render.js';
import { MessageInFlightError, RecipientRejectedError } from './errors.js';
import { deliver, reasonOf, senderDomain, type DeliveryPart, type Sender } from './mail-delivery.js';
import { templateOf, viewWithSlots, withLinks } from './mail-held.js';
import type { AnswerLinkSpec } from './magic-links.js';
import type { MailKind } from './model.js';
import { defaultMailBudget, isUnasked, roundUpOrder, spendSlot, type MailBudget } from './policies/mail-budget.js';
import { calendarMonthOf } from './policies/event-dates.js';
import { isAllowed, nextAllowedTime } from './policies/quiet-hours.js';
import type { BudgetSlots, Clock, HeldMail, HeldMessage, LinkTokens, MailTransport, MailWindow, OptOutStore, OutboxLedger } from './ports.js';

export { automatedMailHeaders, senderDomain } from './mail-delivery.js';

export interface MailerSettings {
  publicBaseUrl: string;
  from: string;
  replyTo: string;
  /** Where replies to an email about one link go, to be relayed (mail-delivery.ts Sender). */
  replyDomain?: string;
  /** The per-person budget of unasked email; the default unless configured. */
  budget?: MailBudget;
}

export interface MailRequest<View extends object> {
  /** Names the intended message, not the attempt: e.g. `intro-practice#<registration>`. */
  idempotencyKey: string;
  /** Which preference governs it; `requested` mail (a fresh link someone asked for) ignores opt-outs. */
  kind: MailKind;
  to: string;
  template: EmailTemplate<View>;
  /** Answer links the email carries, by name; their URLs are handed to `view`. */
  links?: Record<string, AnswerLinkSpec>;
  view: View | ((urls: Record<string, string>) => View);
  /** Why this person gets this email, shown in the footer (a template that is not a mailing has none). */
  reason: string;
  practiceCode?: string;
  eventShortName?: string;
  /**
   * An unasked email not worth sending after this time (a reminder about this month's ask,
   * once the next month's comes): held past it by the reader's budget, it is dropped.
   */
  staleAfter?: Date;
  /**
   * Mail to an event director as such: held for their window, it goes only if they are
   * still one of the event's contacts when the window opens (head office may have taken
   * them off meanwhile).
   */
  toDirectorOf?: string;
  /**
   * The reader's window. Mail set off by someone else's action (a registration, a director's
   * answer) can come at any hour; with a window, it waits for the reader's. Absent only
   * for mail the reader asked for a moment ago (a fresh link, a sign-in link).
   */
  window?: MailWindow;
}

export type SendOutcome = 'sent' | 'already-sent' | 'opted-out' | 'held';

export const sendLeaseMs = 5 * 60_000;

export interface MailerDeps {
  ledger: OutboxLedger;
  held: HeldMail;
  optOuts: OptOutStore;
  tokens: LinkTokens;
  transport: MailTransport;
  clock: Clock;
  /** Each person's budget of unasked email (policies/mail-budget.ts). */
  budget: BudgetSlots;
  /**
   * Told of an address the mail service refused outright, after it is suppressed. No bounce
   * ever comes back for such an address, so the wiring hands in what a bounce sets off
   * (use-cases/mail-feedback.ts): a champion's links flagged contact lost, the directors told.
   */
  onRecipientRejected?: (address: string, at: Date) => Promise<unknown>;
}

export class Mailer {
  private readonly sender: Sender;
  private readonly budget: MailBudget;
  constructor(
    private readonly deps: MailerDeps,
    settings: MailerSettings,
  ) {
    const { publicBaseUrl, from, replyTo, replyDomain } = settings;
    this.sender = { publicBaseUrl, from, replyTo, ...(replyDomain ? { replyDomain } : {}), listDomain: senderDomain(oneLine(from)) };
    this.budget = settings.budget ?? defaultMailBudget;
  }

  async send<View extends object>(request: MailRequest<View>): Promise<SendOutcome> {
    const { ledger, clock } = this.deps;
    const to = request.to.trim().toLowerCase();
    const key = request.idempotencyKey;
    const { window } = request;
    if (window && !isAllowed(window.audience, clock.now(), window.timeZone)) return this.hold({ ...request, to }, window);
    // Unasked mail spends the reader's budget; spent, it waits for it (and goes in a round-up).
    if (window && isUnasked(request.template.name)) {
      const slot = await this.spendBudget(to, key, window.timeZone);
      if (!slot.granted) return this.hold({ ...request, to }, window, slot.freeAt);
    }

    // Whether the address takes this mail is read alongside the claim, not after it: one
    // round trip fewer for every email. The answer is acted on only once the claim is ours.
    const refusal = this.refusal(to, request.kind);
    const claim = await ledger.claim(key, this.logEntry(request.kind, request.template.name, to, request), clock.now(), sendLeaseMs);
    if (claim.outcome === 'already-done') return 'already-sent';
    if (claim.outcome === 'in-flight') throw new MessageInFlightError(key);
    const { claimId } = claim;
    try {
      if (await refusal) {
        await ledger.markSuppressed(key, claimId, clock.now());
        return 'opted-out';
      }
    } catch (error) {
      await ledger.markFailed(key, claimId, reasonOf(error), clock.now());
      throw error;
    }
    const delivered = await this.deliverTo(to, request.kind, [{ key, claimId, kind: request.kind, template: request.template, links: request.links ?? {}, view: request.view, reason: request.reason }]);
    return delivered ? 'sent' : 'opted-out';
  }

  /**
   * Delivers one email made of `parts` (mail-delivery.ts), true once sent. An address the
   * mail service refuses outright is suppressed as after a permanent bounce, the rest of a
   * bounce's handling is set off, and it is false.
   */
  private async deliverTo(to: string, kind: MailKind, parts: DeliveryPart[]): Promise<boolean> {
    try {
      await deliver(this.deps, this.sender, to, kind, parts);
      return true;
    } catch (error) {
      if (!(error instanceof RecipientRejectedError)) throw error;
      const at = this.deps.clock.now();
      await this.deps.optOuts.suppress(to, 'bounce', at);
      await this.deps.onRecipientRejected?.(to, at);
      return false;
    }
  }

  /**
   * Sends several held unasked messages to one reader as one round-up, most important
   * first (policies/mail-budget.ts), if their window is open and their budget free; else
   * they stay held until it is. Each part keeps its own idempotency key in the ledger, so a
   * part sent already (in an earlier round-up, or alone) is not sent again, and one in a
   * send elsewhere is left for the next run. Returns the parts done with: sent, sent
   * already, or refused by the reader's preferences.
   */
  async sendRoundUp(held: readonly HeldMessage[]): Promise<{ done: string[]; sent: boolean }> {
    const { ledger, clock } = this.deps;
    const parts = roundUpOrder(held);
    const first = parts[0];
    if (!first) return { done: [], sent: false };
    const to = first.to.trim().toLowerCase();
    const now = clock.now();
    if (parts.some((p) => p.to.trim().toLowerCase() !== to)) throw new Error('A round-up goes to one reader: its parts are addressed to several');
    const opens = (from: Date) => new Date(Math.max(...parts.map((p) => nextAllowedTime(p.window.audience, from, p.window.timeZone).getTime())));
    const postponeAll = async (until: Date) => {
      for (const p of parts) await this.deps.held.postpone(p.idempotencyKey, until);
      return { done: [], sent: false };
    };
    const open = opens(now);
    if (open > now) return postponeAll(open);
    const slot = await this.spendBudget(to, `round-up#${first.idempotencyKey}`, first.window.timeZone);
    if (!slot.granted) return postponeAll(opens(slot.freeAt));

    const done: string[] = [];
    const claimed: DeliveryPart[] = [];
    try {
      for (const part of parts) {
        const template = templateOf(part);
        const refusal = this.refusal(to, part.kind);
        const claim = await ledger.claim(part.idempotencyKey, this.logEntry(part.kind, template.name, to, part), clock.now(), sendLeaseMs);
        if (claim.outcome === 'already-done') done.push(part.idempotencyKey);
        if (claim.outcome !== 'claimed') continue;
        const own: DeliveryPart = { key: part.idempotencyKey, claimId: claim.claimId, kind: part.kind, template, links: part.links, view: (urls) => withLinks(part.view, part.slots ?? [], urls), reason: part.reason };
        // Claimed from here on: a failure below gives this part back with the rest.
        claimed.push(own);
        if (await refusal) {
          await ledger.markSuppressed(part.idempotencyKey, claim.claimId, clock.now());
          claimed.pop();
          done.push(part.idempotencyKey);
        }
      }
    } catch (error) {
      // Give back what this run claimed, so the next run can send it.
      for (const c of claimed) await ledger.markFailed(c.key, c.claimId, reasonOf(error), clock.now());
      throw error;
    }
    if (claimed.length === 0) return { done, sent: false };
    // The email is on the list of its most important part that goes.
    const sent = await this.deliverTo(to, claimed[0]!.kind, claimed);
    return { done: [...done, ...claimed.map((c) => c.key)], sent };
  }

  /**
   * When `to` next has a slot for the unasked email `key`, or undefined if they have one now. For a job that
   * composes what it sends from the state of the day (a digest): it waits for the slot and
   * composes then, rather than having its words held and read weeks later, stale.
   */
  async unaskedSlotAt(to: string, timeZone: string, key: string): Promise<Date | undefined> {
    const now = this.deps.clock.now();
    // With the email's own key: one already granted its slot (a run that died after sending) still has it.
    const decision = spendSlot(await this.deps.budget.read(to), key, now, calendarMonthOf(now, timeZone), this.budget);
    return decision.granted ? undefined : decision.freeAt;
  }

  /**
   * Spends the reader's budget on `key` (policies/mail-budget.ts spendSlot), in their time
   * zone's calendar month. Two sends to one person at once: one writes, the other reads
   * again and finds it spent.
   */
  private async spendBudget(to: string, key: string, timeZone: string): Promise<{ granted: true } | { granted: false; freeAt: Date }> {
    const { budget, clock } = this.deps;
    for (let attempt = 1; ; attempt++) {
      const now = clock.now();
      const seen = await budget.read(to);
      const decision = spendSlot(seen, key, now, calendarMonthOf(now, timeZone), this.budget);
      if (!decision.granted || !decision.next) return decision;
      if (await budget.write(to, decision.next, seen)) return { granted: true };
      // Spent by another send meanwhile: it is ours only if we win the next read.
      if (attempt >= 3) throw new MessageInFlightError(key);
    }
  }

  /** Read alongside the ledger claim. Mail someone asked for ignores their preferences, never a bounce or complaint. */
  private refusal(to: string, kind: MailKind): Promise<boolean> {
    const refusal = kind === 'requested' ? this.deps.optOuts.isSuppressed(to) : this.deps.optOuts.isOptedOut(to, kind);
    // Not awaited if the claim says no: its failure then matters to no one.
    refusal.catch(() => undefined);
    return refusal;
  }

  private logEntry(kind: MailKind, template: string, to: string, about: { practiceCode?: string; eventShortName?: string }) {
    return {
      kind,
      template,
      to,
      ...(about.practiceCode ? { practiceCode: about.practiceCode } : {}),
      ...(about.eventShortName ? { eventShortName: about.eventShortName } : {}),
    };
  }


  /** Sends a held message now its window is open: 'held' again if it has closed meanwhile. */
  sendHeld(message: HeldMessage): Promise<SendOutcome> {
    const template = templateOf(message);
    return this.send({
      idempotencyKey: message.idempotencyKey,
      kind: message.kind,
      to: message.to,
      template,
      links: message.links,
      view: (urls) => withLinks(message.view, message.slots ?? [], urls),
      reason: message.reason,
      window: message.window,
      ...(message.toDirectorOf ? { toDirectorOf: message.toDirectorOf } : {}),
      ...(message.practiceCode ? { practiceCode: message.practiceCode } : {}),
      ...(message.eventShortName ? { eventShortName: message.eventShortName } : {}),
      ...(message.staleAfter ? { staleAfter: new Date(message.staleAfter) } : {}),
    });
  }

  /**
   * Holds a message whole until its reader's window opens, or (with `notBefore`) until their
   * budget frees. Held once already (a trigger fired twice, or the held message's own send
   * found the budget spent), it is moved to the new time.
   */
  private async hold<View extends object>(request: MailRequest<View>, window: MailWindow, notBefore?: Date): Promise<SendOutcome> {
    const links = request.links ?? {};
    const { view, slots } = viewWithSlots(request.view, Object.keys(links));
    const now = this.deps.clock.now();
    const from = notBefore && notBefore > now ? notBefore : now;
    const sendAt = nextAllowedTime(window.audience, from, window.timeZone);
    const unasked = isUnasked(request.template.name);
    const held = await this.deps.held.hold({
      idempotencyKey: request.idempotencyKey,
      kind: request.kind,
      to: request.to,
      template: request.template.name,
      links,
      view,
      slots,
      reason: request.reason,
      window,
      sendAt: sendAt.toISOString(),
      ...(unasked ? { unasked: true as const, heldAt: now.toISOString() } : {}),
      ...(request.staleAfter ? { staleAfter: request.staleAfter.toISOString() } : {}),
      ...(request.toDirectorOf ? { toDirectorOf: request.toDirectorOf } : {}),
      ...(request.practiceCode ? { practiceCode: request.practiceCode } : {}),
      ...(request.eventShortName ? { eventShortName: request.eventShortName } : {}),
    });
    if (!held && notBefore) await this.deps.held.postpone(request.idempotencyKey, sendAt);
    return 'held';
  }
}
