import { randomUUID } from 'node:crypto';
import type { Bus } from './bus';

/**
 * A lease-based mutex over the bus: `SET key token NX PX ttl`, renewed while held, released
 * only by its holder. `tryAcquire` never waits (box-im's lock blocked forever); a holder
 * that dies loses the lock after `ttlMs`.
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

  /** Run `fn` if the lock is free; returns undefined without running it otherwise. */
  async runExclusive<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (!(await this.tryAcquire())) return undefined;
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }
}
