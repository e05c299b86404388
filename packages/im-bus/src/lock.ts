import { randomUUID } from 'node:crypto';
import type { Bus } from './bus';

export interface ExclusiveOptions<B> {
  /**
   * How long to wait for the holder to release the lock, in milliseconds (the bus has no
   * release notification, so a waiter polls every `pollMs`). @default 0: do not wait
   */
  waitMs?: number;
  /** @default 50 */
  pollMs?: number;
  /** The outcome when the lock stays taken: return a value or throw. @default returns undefined */
  onBusy?: () => B;
}

/**
 * A lease-based mutex over the bus: `SET key token NX PX ttl`, renewed while held, released
 * only by its holder. A holder that dies loses the lock after `ttlMs`; nobody waits forever
 * (box-im's lock blocked forever). The one lock of the system: cross-process jobs, friend
 * changes and group membership use it through `runExclusive`.
 */
export class BusLock {
  private readonly token = randomUUID();
  private renewTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly bus: Bus,
    readonly key: string,
    private readonly ttlMs = 30_000,
  ) {}

  async tryAcquire(): Promise<boolean> {
    const ok = await this.bus.set(this.key, this.token, { ttlMs: this.ttlMs, onlyIfAbsent: true });
    if (ok) {
      this.renewTimer = setInterval(
        () => {
          void this.bus.expireIfEquals(this.key, this.token, this.ttlMs).catch(() => undefined);
        },
        Math.max(1000, Math.floor(this.ttlMs / 3)),
      );
      this.renewTimer.unref();
    }
    return ok;
  }

  async release(): Promise<void> {
    clearInterval(this.renewTimer);
    this.renewTimer = undefined;
    await this.bus.delIfEquals(this.key, this.token);
  }

  /**
   * Run `fn` holding the lock, waiting up to `waitMs` for it. When the lock stays taken,
   * `fn` does not run and the outcome is `onBusy()` (undefined without it).
   */
  async runExclusive<T, B = undefined>(
    fn: () => Promise<T>,
    options: ExclusiveOptions<B> = {},
  ): Promise<T | B> {
    const deadline = Date.now() + (options.waitMs ?? 0);
    while (!(await this.tryAcquire())) {
      if (Date.now() >= deadline) return options.onBusy ? options.onBusy() : (undefined as B);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
    }
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }
}
