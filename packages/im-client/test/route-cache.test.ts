import { describe, expect, it } from 'vitest';
import { RouteCache, SEEN } from '../src/route-cache';

/** The cache's bookkeeping on its own, with a clock the test moves. */
describe('RouteCache', () => {
  const make = (ttlMs = 1000, maxUsers = 100) => {
    const clock = { now: 1_000_000 };
    return { cache: new RouteCache(ttlMs, maxUsers, () => clock.now), clock };
  };
  const fill = (cache: RouteCache, userId: number, terminal: number, node: number | null) => {
    const ticket = cache.begin();
    cache.store(ticket, userId, terminal, node);
    cache.end(ticket);
  };

  it('keeps nodes and offline entries per (user, terminal) until the time to live', () => {
    const { cache, clock } = make(1000);
    fill(cache, 1, 0, 5);
    fill(cache, 1, 2, null);
    expect(cache.get(1, 0)).toBe(5);
    expect(cache.get(1, 2)).toBeNull();
    expect(cache.get(1, 1)).toBeUndefined();
    expect(cache.get(2, 0)).toBeUndefined();
    clock.now += 999;
    expect(cache.get(1, 0)).toBe(5);
    clock.now += 1;
    expect(cache.get(1, 0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('a notice drops every terminal of the user', () => {
    const { cache } = make();
    fill(cache, 1, 0, 5);
    fill(cache, 1, 1, 6);
    fill(cache, 2, 0, 5);
    cache.invalidate(1);
    expect(cache.get(1, 0)).toBeUndefined();
    expect(cache.get(1, 1)).toBeUndefined();
    expect(cache.get(2, 0)).toBe(5);
  });

  it('a lookup in flight when a notice for its user arrives does not store what it read', () => {
    const { cache } = make();
    const ticket = cache.begin();
    const other = cache.begin();
    cache.invalidate(1); // arrives while both lookups wait for Redis
    cache.store(ticket, 1, 0, null); // read before the login: stale
    cache.store(ticket, 2, 0, 7); // another user: kept
    cache.end(ticket);
    expect(cache.get(1, 0)).toBeUndefined();
    expect(cache.get(2, 0)).toBe(7);
    // A lookup started after the notice stores normally.
    const later = cache.begin();
    cache.store(later, 1, 0, 6);
    cache.end(later);
    expect(cache.get(1, 0)).toBe(6);
    cache.end(other);
  });

  it('a clear (notices may be lost) voids the lookups in flight', () => {
    const { cache } = make();
    fill(cache, 3, 0, 5);
    const ticket = cache.begin();
    cache.clear();
    cache.store(ticket, 4, 0, 5);
    cache.end(ticket);
    expect(cache.get(3, 0)).toBeUndefined();
    expect(cache.get(4, 0)).toBeUndefined();
  });

  it('stays within maxUsers: expired entries are swept first, then everything', () => {
    const { cache, clock } = make(1000, 3);
    fill(cache, 1, 0, 5);
    fill(cache, 2, 0, 5);
    clock.now += 600;
    fill(cache, 3, 0, 5);
    clock.now += 500; // users 1 and 2 expired
    fill(cache, 4, 0, 5);
    expect(cache.size).toBe(2);
    expect(cache.get(3, 0)).toBe(5);
    fill(cache, 5, 0, 5);
    fill(cache, 6, 0, 5); // full with live entries: start over
    expect(cache.size).toBe(1);
    expect(cache.get(6, 0)).toBe(5);
  });

  it('keeps 5,000 users apart while slots are freed and reused, and caches terminals 0-2 only', () => {
    const { cache, clock } = make(1000, 10_000);
    for (let id = 1; id <= 5000; id++) fill(cache, id, id % 3, id % 7 === 0 ? null : 100 + id);
    for (let id = 1; id <= 5000; id += 2) cache.invalidate(id);
    // New users take the freed slots: nothing of the users before them may show through.
    for (let id = 10_001; id <= 12_500; id++) fill(cache, id, 1, 2 ** 40 + id);
    expect(cache.size).toBe(5000);
    for (let id = 1; id <= 5000; id++) {
      expect(cache.get(id, id % 3)).toBe(id % 2 === 1 ? undefined : id % 7 === 0 ? null : 100 + id);
      expect(cache.get(id, (id + 1) % 3)).toBeUndefined();
    }
    for (let id = 10_001; id <= 12_500; id++) {
      expect(cache.get(id, 1)).toBe(2 ** 40 + id);
      expect(cache.get(id, 0)).toBeUndefined();
    }
    fill(cache, 7, 3, 9);
    expect(cache.get(7, 3)).toBeUndefined();
    clock.now += 1000;
    expect(cache.get(2, 2)).toBeUndefined();
  });

  it('slotOfOnce answers SEEN for a user read again by the same fan-out (mark)', () => {
    const { cache, clock } = make(1000);
    fill(cache, 1, 0, 5);
    const slot = cache.slotOfOnce(1, clock.now, 1);
    expect(cache.nodeAt(slot, 0)).toBe(5);
    expect(cache.slotOfOnce(1, clock.now, 1)).toBe(SEEN);
    expect(cache.slotOfOnce(1, clock.now, 2)).toBe(slot);
    expect(cache.slotOfOnce(2, clock.now, 2)).toBe(-1);
    // A user stored again after expiry starts unmarked.
    clock.now += 1000;
    fill(cache, 1, 0, 6);
    expect(cache.nodeAt(cache.slotOfOnce(1, clock.now, 2), 0)).toBe(6);
  });
});
