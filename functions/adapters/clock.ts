import type { Clock } from '../core/ports.js';

export const systemClock: Clock = { now: () => new Date() };

/** A clock that can be moved, for the local runtime and tests to watch time pass. */
export class MovableClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  set(at: Date): void {
    this.offsetMs = at.getTime() - this.base.now().getTime();
  }
}

/** A clock stopped at one instant: `--at` in the CLI, a fixed "now" in tests. */
export class FixedClock implements Clock {
  constructor(private readonly at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
}
