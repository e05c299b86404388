import { BusLock, type Bus } from '@box-im/im-bus';
import type { Logger } from 'pino';

export interface OrderLeaseOptions {
  /** Milliseconds to wait for another process's hold on a key before going on without it. */
  waitMs: number;
  /** Milliseconds between two tries while another process holds a key. */
  pollMs: number;
  /** Lease of a held key (renewed while held; a process that dies frees it after this). */
  leaseMs: number;
  /** Tasks one hold may serve before it is handed back (so another process gets its turn). */
  maxTasks: number;
  /** Milliseconds one hold may last before it is handed back. */
  maxHoldMs: number;
}

/** One process's hold on the bus lease of one key. */
interface Hold {
  lock: BusLock;
  /** Tasks using the hold now (entered and not finished, or acquiring with it). */
  claims: number;
  /** Tasks served since the lease was taken. */
  served: number;
  since: number;
  /** Takes no new claims: released once the current ones end. */
  draining: boolean;
  /** Settles once the hold is released on the bus. */
  released: Promise<void>;
  markReleased: () => void;
}

/** What a task holds: hand it back once the task is over. */
export interface Claim {
  release(): void;
}

/**
 * The process's holds on the order leases (`im:order:{key}`). A task claims its keys; a key
 * whose lease the process already holds for earlier tasks is claimed without asking the bus,
 * and the lease is released when its last claim ends. So while a process has a user's writes
 * in flight back to back, it keeps that user's lease, and the next write enters the group
 * commit while the previous one finishes (as in-process), instead of paying the lease's round
 * trips and a transaction of its own per message.
 *
 * Deadlock freedom as with locks taken in one global order: a task that must wait for a key
 * keeps only its claims on keys sorting before it (those after are handed back and taken
 * again in order), and a hold is claimed only by a task whose earlier keys are all held.
 * Fairness: a hold serves at most `maxTasks` tasks or `maxHoldMs`; then it drains (new tasks
 * wait), is released, and this process waits one poll period before asking again, so a
 * process polling for the key gets its turn.
 */
export class OrderLeases {
  private readonly holds = new Map<string, Hold>();
  /** Keys whose hold drained for fairness, for one poll period: nobody here asks for them. */
  private readonly yielding = new Set<string>();

  constructor(
    private readonly bus: Bus,
    private readonly log: Logger,
    private readonly o: OrderLeaseOptions,
  ) {}

  /** Holds now (for tests and metrics). */
  get size(): number {
    return this.holds.size;
  }

  /**
   * Claims on `keys` (distinct, sorted). Keys it could not get (the bus is down, or another
   * process holds a key past `waitMs`) are left out and a warning is logged: the task then
   * runs in local order only (see `ClusterSerialQueue`).
   */
  async claim(keys: readonly string[]): Promise<Claim> {
    const claimed: string[] = [];
    const claim: Claim = { release: () => claimed.splice(0).forEach((key) => this.unclaim(key)) };
    try {
      const first = await this.tryAll(keys, claimed);
      if (first === -1) return claim;
      // Hand back what sorts after the key to wait for; then take the rest in order.
      for (const key of claimed.splice(claimed.findIndex((k) => k >= keys[first]!))) this.unclaim(key);
      const deadline = Date.now() + this.o.waitMs;
      for (const key of keys.slice(first)) {
        if (!(await this.wait(key, deadline))) {
          this.log.warn({ key }, 'order lease still held by another process; writing with local order only');
          return claim;
        }
        claimed.push(key);
      }
    } catch (error) {
      this.log.warn(
        { err: error, keys },
        'order lease unavailable (bus down); writing with local order only',
      );
    }
    return claim;
  }

  /**
   * Claim every key at once: held keys locally, the others with one try each, all sent
   * together (one round trip). The index of the first key not claimed, or -1.
   */
  private async tryAll(keys: readonly string[], claimed: string[]): Promise<number> {
    const mine = keys.map(() => false);
    const asked: number[] = [];
    let blocked = keys.length;
    keys.forEach((key, i) => {
      const hold = this.holds.get(key);
      if (hold && !hold.draining) {
        this.take(hold);
        mine[i] = true;
      } else if (hold || this.yielding.has(key)) blocked = Math.min(blocked, i);
      else asked.push(i);
    });
    const tries = asked.filter((i) => i < blocked);
    const got = await Promise.allSettled(tries.map((i) => this.tryTake(keys[i]!)));
    let failure: Error | undefined;
    tries.forEach((i, n) => {
      const outcome = got[n]!;
      if (outcome.status === 'fulfilled' && outcome.value) mine[i] = true;
      else blocked = Math.min(blocked, i);
      if (outcome.status === 'rejected')
        failure ??= outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason));
    });
    keys.forEach((key, i) => mine[i] && claimed.push(key));
    if (failure !== undefined) throw failure;
    return blocked === keys.length ? -1 : blocked;
  }

  /** Claim one key, waiting for a draining hold and for another process, until `deadline`. */
  private async wait(key: string, deadline: number): Promise<boolean> {
    for (;;) {
      const hold = this.holds.get(key);
      if (hold && !hold.draining) {
        this.take(hold);
        return true;
      }
      if (hold) await hold.released;
      else if (this.yielding.has(key)) await sleep(this.o.pollMs + 1);
      else if (await this.tryTake(key)) return true;
      else if (Date.now() >= deadline) return false;
      else await sleep(this.o.pollMs);
    }
  }

  /** Ask the bus for the lease of `key`; on success the process holds it, claimed once. */
  private async tryTake(key: string): Promise<boolean> {
    const lock = new BusLock(this.bus, `im:order:{${key}}`, this.o.leaseMs);
    if (!(await lock.tryAcquire())) return false;
    let markReleased!: () => void;
    const released = new Promise<void>((resolve) => (markReleased = resolve));
    const hold: Hold = {
      lock,
      claims: 0,
      served: 0,
      since: Date.now(),
      draining: false,
      released,
      markReleased,
    };
    this.holds.set(key, hold);
    this.take(hold);
    return true;
  }

  private take(hold: Hold): void {
    hold.claims++;
    hold.served++;
    if (hold.served >= this.o.maxTasks || Date.now() - hold.since >= this.o.maxHoldMs) hold.draining = true;
  }

  private unclaim(key: string): void {
    const hold = this.holds.get(key);
    if (!hold || --hold.claims > 0) return;
    if (hold.draining) {
      this.yielding.add(key);
      setTimeout(() => this.yielding.delete(key), this.o.pollMs + 1).unref();
    }
    void hold.lock
      .release()
      .catch(() => undefined)
      .then(() => {
        if (this.holds.get(key) === hold) this.holds.delete(key);
        hold.markReleased();
      });
    // No new claims while the release is on its way: a task arriving now waits for it.
    hold.draining = true;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
