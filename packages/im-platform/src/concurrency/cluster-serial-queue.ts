import type { Bus } from '@box-im/im-bus';
import type { Logger } from 'pino';
import { LocalSerialQueue, type KeyedSerialQueue } from './keyed-serial-queue';
import { OrderLeases } from './order-leases';

export interface ClusterSerialQueueOptions {
  /** Milliseconds to wait for another process's hold on a key before going on without it. @default 5000 */
  waitMs?: number;
  /** Milliseconds between two tries while another process holds a key. @default 5 */
  pollMs?: number;
  /** Lease of a held key (renewed while held; a process that dies frees it after this). @default 10000 */
  leaseMs?: number;
  /** Tasks one hold of a key may serve before it is handed back. @default 64 */
  maxTasks?: number;
  /** Milliseconds one hold of a key may last before it is handed back. @default 100 */
  maxHoldMs?: number;
}

/**
 * The order of message writes across every platform process: tasks of one process are queued
 * per key in-process (FIFO, pipelined as `LocalSerialQueue`), and a task enters only while its
 * process also holds each key's lease on the bus (`im:order:{key}`, see `OrderLeases`). A
 * process keeps a lease while it has writes of that key in flight, and releases it once the
 * last of them has finished (its row stored and its pushes queued), so "insert the row, then
 * queue its pushes" never interleaves across processes for one user or group, and each user's
 * pushes are queued in id order cluster-wide; within one process, the writes of one user share
 * group-commit batches as they do in-process.
 *
 * Availability first: when the bus does not answer, or another process holds a key past
 * `waitMs` (it hangs), the task runs with the in-process order only and a warning is logged;
 * the offline pull still recovers a received message whose push came out of order or was lost
 * (docs/delivery-guarantee.md).
 */
export class ClusterSerialQueue implements KeyedSerialQueue {
  private readonly local = new LocalSerialQueue();
  private readonly leases: OrderLeases;

  constructor(bus: Bus, log: Logger, options: ClusterSerialQueueOptions = {}) {
    this.leases = new OrderLeases(bus, log, {
      waitMs: options.waitMs ?? 5000,
      pollMs: options.pollMs ?? 5,
      leaseMs: options.leaseMs ?? 10_000,
      maxTasks: options.maxTasks ?? 64,
      maxHoldMs: options.maxHoldMs ?? 100,
    });
  }

  /** Leases held now (for tests and metrics). */
  get held(): number {
    return this.leases.size;
  }

  run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    return this.local.run(keys, async () => {
      const claim = await this.leases.claim([...new Set(keys)].sort());
      try {
        return await task();
      } finally {
        claim.release();
      }
    });
  }

  /**
   * Enter under the local keys and the leases; finish in entry order, still under the leases
   * (another process's batch may commit before this one's, so the leases are held until the
   * row is stored and its pushes are queued), while the next task of these keys may enter.
   */
  pipeline<A extends object, T>(
    keys: readonly string[],
    enter: () => Promise<A>,
    finish: (entered: A) => Promise<T>,
  ): Promise<T> {
    return this.local.pipeline(
      keys,
      async () => {
        const claim = await this.leases.claim([...new Set(keys)].sort());
        try {
          return { claim, value: await enter() };
        } catch (error) {
          claim.release();
          throw error;
        }
      },
      async ({ claim, value }) => {
        try {
          return await finish(value);
        } finally {
          claim.release();
        }
      },
    );
  }
}
