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

  /**
   * A task in two stages: `enter` runs as a `run` task on `keys`; `finish` (given what enter
   * returned) runs once the finish of every task entered before on any of these keys has
   * settled. The writers enter a row into the group commit and finish by awaiting its id and
   * queueing the pushes: in-process the keys are free again as soon as the row is queued, so
   * the rows of one user's concurrent sends share a transaction while their pushes still go
   * out in id order. An implementation may hold the keys through `finish` as well.
   */
  pipeline<A extends object, T>(
    keys: readonly string[],
    enter: () => Promise<A>,
    finish: (entered: A) => Promise<T>,
  ): Promise<T>;
}

/** The in-process queue: one promise chain per key. */
export class LocalSerialQueue implements KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly finishes = new Sequencer();

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

  async pipeline<A extends object, T>(
    keys: readonly string[],
    enter: () => Promise<A>,
    finish: (entered: A) => Promise<T>,
  ): Promise<T> {
    let ticket: Ticket | undefined;
    const entered = await this.run(keys, async () => {
      const value = await enter();
      // Taken before the keys are released: finishes follow the order of entries.
      ticket = this.finishes.reserve(keys);
      return value;
    });
    await ticket!.ready;
    try {
      return await finish(entered);
    } finally {
      ticket!.release();
    }
  }

  /** Keys with a task running or waiting (for tests and metrics). */
  get size(): number {
    return this.tails.size + this.finishes.size;
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

interface Ticket {
  /** Settles once every ticket reserved before on a shared key is released. */
  ready: Promise<void>;
  release(): void;
}

/** Places in per-key lines, all of a ticket's keys taken at once (so no two tickets deadlock). */
class Sequencer {
  private readonly tails = new Map<string, Promise<void>>();

  get size(): number {
    return this.tails.size;
  }

  reserve(keys: readonly string[]): Ticket {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const unique = [...new Set(keys)];
    const before = unique.map((key) => this.tails.get(key)).filter((p) => p !== undefined);
    for (const key of unique) this.tails.set(key, mine);
    return {
      ready: Promise.all(before).then(() => undefined),
      release: () => {
        release();
        for (const key of unique) if (this.tails.get(key) === mine) this.tails.delete(key);
      },
    };
  }
}

/** Queue keys of the message writers. */
export const OrderKey = {
  user: (userId: number) => `user:${userId}`,
  group: (groupId: number) => `group:${groupId}`,
} as const;
