/**
 * Takes the counters of an action that can start mail (policies/abuse-limits.ts), all or
 * none, and refuses it with a 429 and its reason when any is at its limit: nothing is
 * stored and nothing sent for a refused request.
 */
import { RateLimitedError } from '../errors.js';
import { countersFor, limitMessage, type AbuseLimits, type LimitedAction, type Touched } from '../policies/abuse-limits.js';
import type { Clock, RateLimiter } from '../ports.js';

export interface LimitDeps {
  rateLimiter: RateLimiter;
  clock: Clock;
  limits: AbuseLimits;
}

export async function enforceLimits(deps: LimitDeps, action: LimitedAction, touched: Touched): Promise<void> {
  const counters = countersFor(action, touched, deps.limits);
  const refused = await deps.rateLimiter.takeAll(counters, deps.clock.now());
  if (refused >= 0) throw new RateLimitedError(limitMessage(action, counters[refused]!));
}
