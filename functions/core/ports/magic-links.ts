/** Magic links: tokens kept as keyed hashes, fresh-link requests, and the rate limiter in front of them. */
import type { FreshLinkRequest, LinkHolder, TokenPurpose } from '../model.js';

// In the model, so magic-links.ts need not import the ports (which import it); here too for the adapters.
export type { TokenPurpose } from '../model.js';

export interface TokenGrant {
  purpose: TokenPurpose;
  /** What the token acts on: a link id (`A81001.bushy`) for answers, the address for unsubscribe. */
  subject: string;
  recipient: string;
  /** Whom an answer link was issued to; absent for unsubscribe. */
  role?: LinkHolder;
  /** What else the link is about, such as `{ takeoverId }`: part of the grant, not of the URL, so it cannot be changed. */
  detail?: Record<string, string>;
  expiresAt: Date;
}

export type TokenState = 'valid' | 'used' | 'expired';

export interface TokenLookup {
  grant: TokenGrant;
  state: TokenState;
  usedAt?: Date;
  /** Opaque reference to the stored token, for spending it. */
  ref: string;
}

/**
 * Spending (single use) or touching (reusable) a token inside the write that applies its
 * action: which one, its purpose decides (magic-links.ts singleUseLinks), so what a link
 * does when used is declared once, and emails that say so read the same table.
 */
export interface TokenSpend {
  ref: string;
  purpose: TokenPurpose;
  now: Date;
}

export interface LinkTokens {
  /** Returns the raw token; only its keyed hash is stored. */
  issue(grant: TokenGrant, now: Date): Promise<string>;
  /** Several at once, in one write where the store allows: an email's links, in order. */
  issueAll(grants: TokenGrant[], now: Date): Promise<string[]>;
  /** What a token grants and whether it is still usable; undefined when unknown or tampered. */
  lookup(token: string, now: Date): Promise<TokenLookup | undefined>;
}

/** Fresh-link requests, recorded by the API and mailed by the fresh-link watcher. */
export interface FreshLinkRequests {
  record(request: FreshLinkRequest): Promise<void>;
}

export interface RateLimiter {
  /**
   * Counts one use of `key` in the current window; false (and not counted) once `limit` is
   * reached. `use`, when given, names the use: the same use taken again in the window (a
   * retried delivery of one message) is let through without being counted again.
   */
  take(key: string, limit: number, windowMs: number, now: Date, use?: string): Promise<boolean>;
  /**
   * Counts one use of every counter, or of none: -1 when all were under their limits (and
   * are now counted), else the index of the first that was at its limit (nothing counted).
   */
  takeAll(counters: ReadonlyArray<{ key: string; limit: number; windowMs: number }>, now: Date): Promise<number>;
}
