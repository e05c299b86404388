/**
 * Where the platform reads the time. Services and token code take a `Clock` instead of
 * calling `Date.now()`, so tests move time forward instead of sleeping or rewriting rows.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const DAY_MS = 24 * 3600 * 1000;

/** The moment `days` days before the clock's now (e.g. the start of the offline window). */
export function daysAgo(clock: Clock, days: number): Date {
  return new Date(clock.now().getTime() - days * DAY_MS);
}

/**
 * The send time of a new message, in whole seconds: box-im's datetime columns have no
 * fraction (MySQL would round), so the VO a sender gets and the pushes equal what every
 * engine reads back later. Every message writer takes its time from here, and so do group
 * memberships, whose join time is compared with message times.
 */
export function messageTime(clock: Clock): Date {
  return new Date(Math.floor(clock.now().getTime() / 1000) * 1000);
}
