/**
 * Serialises the "store a private message, then queue its pushes" step per user, so that
 * every user learns the ids of their messages (through pushes or send responses) in
 * ascending order. That is what makes box-im's id cursor safe: a client that holds id N
 * has been handed every lower id of its conversations before, or can still pull it.
 *
 * In-process only: one platform process orders its own writes. Locks of several users are
 * taken in ascending id order, so two users messaging each other cannot deadlock.
 */
export class UserOrderLock {
  private readonly tails = new Map<number, Promise<void>>();

  /** Run `fn` while holding the locks of every user in `userIds`. */
  async run<T>(userIds: readonly number[], fn: () => Promise<T>): Promise<T> {
    const ids = [...new Set(userIds)].sort((a, b) => a - b);
    const releases: (() => void)[] = [];
    try {
      for (const id of ids) releases.push(await this.acquire(id));
      return await fn();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  /** Users with a lock held or awaited (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }

  private async acquire(id: number): Promise<() => void> {
    const previous = this.tails.get(id) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(id, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(id) === tail) this.tails.delete(id);
    };
  }
}
