/**
 * Runs tasks one at a time per key, in the order they were queued. The message writers
 * queue "store a message, then queue its pushes" under the keys of everyone who sees it
 * (`user:<id>` for private messages, `group:<id>` for group messages), so that each user
 * learns the ids of their messages in ascending order. That is what makes box-im's id
 * cursor safe: a client that holds id N has been handed every lower id of its
 * conversations before, or can still pull it.
 *
 * The interface is the seam for a cluster-wide implementation (ordering across platform
 * processes through the bus); `LocalSerialQueue` orders the writes of one process.
 */
export interface KeyedSerialQueue {
  /**
   * Run `task` once every task queued before on any of `keys` has settled; later tasks on
   * these keys wait for it. Keys are taken in one global order, so tasks sharing several
   * keys cannot deadlock.
   */
  run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T>;
}

/** The in-process queue: one promise chain per key. */
export class LocalSerialQueue implements KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const ordered = [...new Set(keys)].sort();
    const releases: (() => void)[] = [];
    try {
      for (const key of ordered) releases.push(await this.acquire(key));
      return await task();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  /** Keys with a task running or waiting (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}

/** Queue keys of the message writers. */
export const OrderKey = {
  user: (userId: number) => `user:${userId}`,
  group: (groupId: number) => `group:${groupId}`,
} as const;
