import type {
  Bus,
  ConsumeOptions,
  Consumer,
  NoticeHandler,
  QueueHandler,
  SetOptions,
  Subscription,
  SwapOptions,
} from '../bus';

interface Entry {
  value: string;
  /** Epoch ms after which the entry is gone; Infinity for none. */
  expiresAt: number;
}

/**
 * In-process bus for the standalone mode: a Map of keys with lazy expiry and arrays as
 * queues. Consumers are woken directly by `push`, so delivery is immediate. Notices go to
 * the subscribers of this bus, after the publisher's turn (as from Redis); always live.
 */
export class MemoryBus implements Bus {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly queues = new Map<string, string[]>();
  private readonly wakers = new Set<() => void>();
  private readonly consumers = new Set<Consumer>();
  private readonly channels = new Map<string, Set<NoticeHandler>>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly now: () => number = Date.now) {
    // Sweep expired keys once a minute so that abandoned keys do not accumulate.
    this.sweepTimer = setInterval(() => this.sweep(), 60_000);
    this.sweepTimer.unref();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expiry(ttlMs: number | undefined): number {
    return ttlMs === undefined ? Infinity : this.now() + ttlMs;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  incr(key: string, by = 1): Promise<number> {
    const entry = this.live(key);
    const next = (entry ? Number(entry.value) : 0) + by;
    if (!Number.isSafeInteger(next)) return Promise.reject(new Error(`value of ${key} is not an integer`));
    this.entries.set(key, { value: String(next), expiresAt: entry?.expiresAt ?? Infinity });
    return Promise.resolve(next);
  }

  get(key: string): Promise<string | null> {
    return Promise.resolve(this.live(key)?.value ?? null);
  }

  mget(keys: readonly string[]): Promise<(string | null)[]> {
    return Promise.resolve(keys.map((k) => this.live(k)?.value ?? null));
  }

  set(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    if (options.onlyIfAbsent && this.live(key)) return Promise.resolve(false);
    this.entries.set(key, { value, expiresAt: this.expiry(options.ttlMs) });
    return Promise.resolve(true);
  }

  swap(key: string, value: string, options: SwapOptions = {}): Promise<string | null> {
    const previous = this.live(key)?.value ?? null;
    this.entries.set(key, { value, expiresAt: this.expiry(options.ttlMs) });
    const notice = options.changeNotice;
    if (notice && previous !== value) void this.publish(notice.channel, notice.message);
    return Promise.resolve(previous);
  }

  expire(key: string, ttlMs: number): Promise<boolean> {
    const entry = this.live(key);
    if (!entry) return Promise.resolve(false);
    entry.expiresAt = this.now() + ttlMs;
    return Promise.resolve(true);
  }

  del(key: string): Promise<boolean> {
    const existed = this.live(key) !== undefined;
    this.entries.delete(key);
    return Promise.resolve(existed);
  }

  delIfEquals(key: string, value: string, options: Pick<SwapOptions, 'changeNotice'> = {}): Promise<boolean> {
    if (this.live(key)?.value !== value) return Promise.resolve(false);
    this.entries.delete(key);
    const notice = options.changeNotice;
    if (notice) void this.publish(notice.channel, notice.message);
    return Promise.resolve(true);
  }

  expireIfEquals(key: string, value: string, ttlMs: number): Promise<boolean> {
    const entry = this.live(key);
    if (entry?.value !== value) return Promise.resolve(false);
    entry.expiresAt = this.now() + ttlMs;
    return Promise.resolve(true);
  }

  push(queue: string, items: readonly string[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    let list = this.queues.get(queue);
    if (!list) this.queues.set(queue, (list = []));
    list.push(...items);
    for (const wake of [...this.wakers]) wake();
    return Promise.resolve();
  }

  length(queue: string): Promise<number> {
    return Promise.resolve(this.queues.get(queue)?.length ?? 0);
  }

  /** Take up to `max` items from the first non-empty queue. */
  private take(queues: readonly string[], max: number): { queue: string; items: string[] } | null {
    for (const queue of queues) {
      const list = this.queues.get(queue);
      if (list && list.length > 0) {
        const items = list.splice(0, max);
        if (list.length === 0) this.queues.delete(queue);
        return { queue, items };
      }
    }
    return null;
  }

  consume(queues: readonly string[], handler: QueueHandler, options: ConsumeOptions = {}): Consumer {
    const batchSize = options.batchSize ?? 100;
    let stopped = false;
    let wake: (() => void) | undefined;
    const loop = async (): Promise<void> => {
      while (!stopped) {
        const batch = this.take(queues, batchSize);
        if (!batch) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            this.wakers.add(resolve);
          });
          if (wake) this.wakers.delete(wake);
          continue;
        }
        try {
          await handler(batch.queue, batch.items);
        } catch (error) {
          options.onError?.(error, batch.queue);
        }
      }
    };
    const running = loop();
    const consumer: Consumer = {
      stop: async () => {
        stopped = true;
        wake?.();
        await running;
        this.consumers.delete(consumer);
      },
    };
    this.consumers.add(consumer);
    return consumer;
  }

  publish(channel: string, message: string): Promise<void> {
    const handlers = this.channels.get(channel);
    if (handlers) {
      for (const handler of [...handlers]) {
        queueMicrotask(() => {
          // Like a Redis subscriber's listener: a throwing handler does not stop the others.
          try {
            handler(message);
          } catch {
            // the subscriber's own concern
          }
        });
      }
    }
    return Promise.resolve();
  }

  subscribe(channel: string, handler: NoticeHandler): Promise<Subscription> {
    let handlers = this.channels.get(channel);
    if (!handlers) this.channels.set(channel, (handlers = new Set()));
    // A handler object of its own, so that one function subscribed twice is two subscriptions.
    const own: NoticeHandler = (message) => handler(message);
    handlers.add(own);
    return Promise.resolve({
      live: true,
      stop: () => {
        handlers.delete(own);
        if (handlers.size === 0 && this.channels.get(channel) === handlers) this.channels.delete(channel);
        return Promise.resolve();
      },
    });
  }

  async close(): Promise<void> {
    this.channels.clear();
    await Promise.all([...this.consumers].map((c) => c.stop()));
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }
}
