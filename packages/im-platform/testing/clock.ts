import type { Clock } from '../src/clock';

/**
 * A clock for tests: real time, shifted by `advance()`. Tests move it past a recall window,
 * a token's lifetime or the offline window instead of sleeping or rewriting rows.
 */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Move the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
