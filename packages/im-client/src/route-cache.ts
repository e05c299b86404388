import { RouteSlots } from './route-slots';

/** What `slotOfOnce` answers for a user already seen by the same fan-out. */
export const SEEN = -2;

/**
 * The pusher's cache of (user, terminal) → push node (null: offline), in front of the
 * per-pair route keys. Kept right by route change notices (`invalidate`) and bounded by a
 * time to live, so that a lost notice is healed after `ttlMs` at the latest.
 *
 * A lookup that read Redis while a notice for one of its users arrived may have read the
 * value before the change: it must not store it. Each lookup takes a ticket holding the
 * count of notices seen when it started; it stores a user's values only if no notice for
 * that user (and no full clear) came after that.
 */
export class RouteCache {
  /** Per user: when the entry expires, and the node per terminal (see `RouteSlots`). */
  private readonly entries = new RouteSlots();
  /** Notices seen so far (the clock of the tickets). */
  private seq = 0;
  /** Value of `seq` at the last notice of each user, while a lookup in flight may need it. */
  private readonly invalidatedAt = new Map<number, number>();
  private clearedAt = 0;
  /** Lookups in flight: ticket → `seq` when it started. */
  private readonly inFlight = new Map<number, number>();
  private nextTicket = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxUsers = 200_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The cached node of the pair: a server id, null (offline), or undefined when not cached.
   * `now`: the caller's clock reading, so that a lookup of 1,500 pairs reads it once.
   */
  get(userId: number, terminal: number, now = this.now()): number | null | undefined {
    const slot = this.entries.find(userId, now);
    return slot < 0 ? undefined : this.entries.nodeAt(slot, terminal);
  }

  /** The user's entry (for `nodeAt`), or -1 when nothing of the user is cached. */
  slotOf(userId: number, now = this.now()): number {
    return this.entries.find(userId, now);
  }

  /**
   * `slotOf` for a fan-out that must see each user once: `SEEN` when the user's entry was
   * already read with this `mark` (a repeated id; marks count from 1), else marks it.
   * Repeated ids not cached are the caller's to spot.
   */
  slotOfOnce(userId: number, now: number, mark: number): number {
    const slot = this.entries.find(userId, now);
    if (slot < 0) return -1;
    return this.entries.markOnce(slot, mark) ? SEEN : slot;
  }

  /** The node of a terminal of the entry `slot`: a server id, null (offline), or undefined when not cached. */
  nodeAt(slot: number, terminal: number): number | null | undefined {
    return this.entries.nodeAt(slot, terminal);
  }

  /** Start a lookup that will `store` what it reads; `end` it once done. */
  begin(): number {
    const ticket = this.nextTicket++;
    this.inFlight.set(ticket, this.seq);
    return ticket;
  }

  /** Store what the lookup `ticket` read for the pair, unless a notice made it doubtful. */
  store(ticket: number, userId: number, terminal: number, node: number | null): void {
    const startedAt = this.inFlight.get(ticket);
    if (startedAt === undefined || this.clearedAt > startedAt) return;
    const invalidated = this.invalidatedAt.get(userId);
    if (invalidated !== undefined && invalidated > startedAt) return;
    let slot = this.entries.find(userId, this.now());
    if (slot < 0) {
      if (this.entries.size >= this.maxUsers) this.sweep();
      slot = this.entries.add(userId, this.now() + this.ttlMs);
    }
    this.entries.setNode(slot, terminal, node);
  }

  end(ticket: number): void {
    this.inFlight.delete(ticket);
    if (this.inFlight.size === 0) this.invalidatedAt.clear();
  }

  /** A route of the user changed: forget all its terminals (notices name one pair; users are few per notice). */
  invalidate(userId: number): void {
    this.entries.remove(userId);
    if (this.inFlight.size === 0) return;
    this.invalidatedAt.set(userId, ++this.seq);
    if (this.invalidatedAt.size > 10_000) this.pruneInvalidations();
  }

  /** Forget everything (notices may have been lost, or the cache is turned off). */
  clear(): void {
    this.entries.clear();
    this.invalidatedAt.clear();
    this.clearedAt = ++this.seq;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drop notice marks older than every lookup in flight: no lookup can need them. */
  private pruneInvalidations(): void {
    let oldest = Infinity;
    for (const startedAt of this.inFlight.values()) oldest = Math.min(oldest, startedAt);
    for (const [userId, at] of this.invalidatedAt) if (at <= oldest) this.invalidatedAt.delete(userId);
  }

  /** Drop expired entries; if the cache is still full, start over. */
  private sweep(): void {
    this.entries.removeExpired(this.now());
    if (this.entries.size >= this.maxUsers) this.entries.clear();
  }
}
