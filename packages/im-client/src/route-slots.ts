/** Terminals cached per user: 0, 1 and 2 (box-im's WEB, APP, PC); others are never cached. */
export const CACHED_TERMINALS = 3;
/** A stored node meaning offline (no route); never a server id, which is a safe integer. */
const OFFLINE = Infinity;

/** Where the slot's node of `terminal` is in `nodes`, or -1 for a terminal never cached. */
function offset(slot: number, terminal: number): number {
  return Number.isInteger(terminal) && terminal >= 0 && terminal < CACHED_TERMINALS
    ? slot * CACHED_TERMINALS + terminal
    : -1;
}

/**
 * The route cache's storage: per user a slot, and per slot its expiry, its fan-out mark and
 * the node of each terminal, in typed arrays. A fan-out reads 500 users: with an object and
 * an array per user that is ~4 scattered heap reads each (entry, boxed expiry, array, its
 * elements), which miss the CPU caches when the pusher wakes for a push; here it is the map
 * and a few dense arrays, read in the order the users were stored.
 */
export class RouteSlots {
  private readonly slots = new Map<number, number>();
  /** Slots freed by `remove`, reused first. */
  private free: number[] = [];
  /** Slots below this were handed out at least once. */
  private used = 0;
  private expires: Float64Array;
  private marks: Float64Array;
  /** `CACHED_TERMINALS` per slot: a server id, OFFLINE, or NaN (not cached). */
  private nodes: Float64Array;

  constructor(capacity = 1024) {
    this.expires = new Float64Array(capacity);
    this.marks = new Float64Array(capacity);
    this.nodes = new Float64Array(capacity * CACHED_TERMINALS);
  }

  get size(): number {
    return this.slots.size;
  }

  /** The user's slot, or -1; an expired one is removed (and -1). */
  find(userId: number, now: number): number {
    const slot = this.slots.get(userId);
    if (slot === undefined) return -1;
    if (this.expires[slot]! <= now) {
      this.remove(userId);
      return -1;
    }
    return slot;
  }

  /** Whether the slot was marked with `mark` already; marks it. */
  markOnce(slot: number, mark: number): boolean {
    if (this.marks[slot] === mark) return true;
    this.marks[slot] = mark;
    return false;
  }

  /** The node of the slot's terminal: a server id, null (offline), undefined (not cached). */
  nodeAt(slot: number, terminal: number): number | null | undefined {
    const at = offset(slot, terminal);
    if (at < 0) return undefined;
    const node = this.nodes[at]!;
    if (node !== node) return undefined; // NaN
    return node === OFFLINE ? null : node;
  }

  /** A fresh slot for the user (nothing cached, not marked), expiring at `expiresAt`. */
  add(userId: number, expiresAt: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.used === this.expires.length) this.grow();
      slot = this.used++;
    }
    this.slots.set(userId, slot);
    this.expires[slot] = expiresAt;
    this.marks[slot] = 0;
    this.nodes.fill(NaN, slot * CACHED_TERMINALS, (slot + 1) * CACHED_TERMINALS);
    return slot;
  }

  /** Store the node of the slot's terminal (terminals beyond the cached ones are ignored). */
  setNode(slot: number, terminal: number, node: number | null): void {
    const at = offset(slot, terminal);
    if (at >= 0) this.nodes[at] = node === null ? OFFLINE : node;
  }

  remove(userId: number): void {
    const slot = this.slots.get(userId);
    if (slot === undefined) return;
    this.slots.delete(userId);
    this.free.push(slot);
  }

  /** Remove the users whose slot expired by `now`. */
  removeExpired(now: number): void {
    for (const [userId, slot] of this.slots) if (this.expires[slot]! <= now) this.remove(userId);
  }

  clear(): void {
    this.slots.clear();
    this.free = [];
    this.used = 0;
  }

  private grow(): void {
    const capacity = this.expires.length * 2;
    const grown = (from: Float64Array, length: number) => {
      const to = new Float64Array(length);
      to.set(from);
      return to;
    };
    this.expires = grown(this.expires, capacity);
    this.marks = grown(this.marks, capacity);
    this.nodes = grown(this.nodes, capacity * CACHED_TERMINALS);
  }
}
