import { BusLock, type Bus } from '@box-im/im-bus';
import type { Logger } from 'pino';
import { LocalSerialQueue, type KeyedSerialQueue } from './keyed-serial-queue';

export interface ClusterSerialQueueOptions {
  /** Milliseconds to wait for another process's hold on a key before going on without it. @default 5000 */
  waitMs?: number;
  /** Milliseconds between two tries while another process holds a key. @default 5 */
  pollMs?: number;
  /** Lease of a held key (renewed while held; a process that dies frees it after this). @default 10000 */
  leaseMs?: number;
}

/**
 * The order of message writes across every platform process: tasks of one process are queued
 * per key in-process (FIFO, as `LocalSerialQueue`), and a task runs only while its process also
 * holds each key's lease on the bus (`im:order:{key}`, a `BusLock`, keys taken in one order so
 * that processes cannot deadlock). "Insert the row, then queue its pushes" thus never
 * interleaves across processes for one user or group, so each user's pushes are queued in id
 * order cluster-wide.
 *
 * Availability first: when the bus does not answer, or another process holds a key past
 * `waitMs` (it hangs), the task runs with the in-process order only and a warning is logged;
 * the offline pull still recovers a received message whose push came out of order or was lost
 * (docs/delivery-guarantee.md).
 */
export class ClusterSerialQueue implements KeyedSerialQueue {
  private readonly local = new LocalSerialQueue();
  private readonly waitMs: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;

  constructor(
    private readonly bus: Bus,
    private readonly log: Logger,
    options: ClusterSerialQueueOptions = {},
  ) {
    this.waitMs = options.waitMs ?? 5000;
    this.pollMs = options.pollMs ?? 5;
    this.leaseMs = options.leaseMs ?? 10_000;
  }

  run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    return this.local.run(keys, async () => {
      const held = await this.acquireAll([...new Set(keys)].sort());
      try {
        return await task();
      } finally {
        await Promise.all(held.map((lock) => lock.release().catch(() => undefined)));
      }
    });
  }

  /**
   * Enter and finish both under the leases: another process's batch may commit before this
   * one's, so the keys are held until the row is stored and its pushes are queued.
   */
  pipeline<A extends object, T>(
    keys: readonly string[],
    enter: () => Promise<A>,
    finish: (entered: A) => Promise<T>,
  ): Promise<T> {
    return this.run(keys, async () => finish(await enter()));
  }

  /** The leases of `keys`, in order; those it could not get are left out (see the class comment). */
  private async acquireAll(keys: string[]): Promise<BusLock[]> {
    const held: BusLock[] = [];
    try {
      for (const key of keys) {
        const lock = new BusLock(this.bus, `im:order:{${key}}`, this.leaseMs);
        const deadline = Date.now() + this.waitMs;
        while (!(await lock.tryAcquire())) {
          if (Date.now() >= deadline) {
            this.log.warn(
              { key },
              'order lease still held by another process; writing with local order only',
            );
            return held;
          }
          await new Promise((resolve) => setTimeout(resolve, this.pollMs));
        }
        held.push(lock);
      }
    } catch (error) {
      this.log.warn(
        { err: error, keys },
        'order lease unavailable (bus down); writing with local order only',
      );
    }
    return held;
  }
}
