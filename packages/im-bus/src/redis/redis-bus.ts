import { createClient, createSentinel } from 'redis';
import { parseSentinelUrl } from './sentinel-url';
import type { Bus, ConsumeOptions, Consumer, QueueHandler, SetOptions } from '../bus';

/**
 * A command waits at most `timeoutMs` for the connection (while Redis is unreachable and the
 * client reconnects) and then fails, so that callers (a login, a push) fail fast instead of
 * hanging for the whole outage. A command already sent waits for its reply (BLPOP blocks).
 */
const makeClient = (url: string, timeoutMs: number) =>
  createClient({ url, commandOptions: { timeout: timeoutMs } });
type RedisClient = ReturnType<typeof makeClient>;

/** Deletes KEYS[1] only while it still holds ARGV[1]. */
const DEL_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
/** Renews KEYS[1] to ARGV[2] ms only while it still holds ARGV[1]. */
const EXPIRE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/** The SET option for a time to live in ms (Redis wants a positive integer). */
function expiration(ttlMs: number | undefined) {
  return ttlMs === undefined
    ? {}
    : { expiration: { type: 'PX' as const, value: Math.max(1, Math.ceil(ttlMs)) } };
}

export interface RedisBusOptions {
  /**
   * `redis://[user:password@]host:port[/db]`, or Redis behind Sentinel:
   * `redis-sentinel://[user:password@]host:port[,host:port…]/<master name>[/<db>]`.
   */
  url: string;
  /** Called on connection errors (the client reconnects by itself). */
  onError?: (error: unknown) => void;
  /**
   * Prefix added to every key and queue name. Empty in production so that box-im's Java
   * components can share the Redis; tests use a random one to stay apart. @default ''
   */
  keyPrefix?: string;
  /** Milliseconds a command waits for a (re)connection before it fails. @default 2000 */
  commandTimeoutMs?: number;
}

/**
 * Bus over Redis, wire-compatible with box-im's keys and queues. Queues are Redis lists
 * (RPUSH / BLPOP); each consumer holds its own blocking connection, so an item is handed
 * over the moment it is pushed.
 */
export class RedisBus implements Bus {
  readonly kind = 'redis' as const;
  private readonly consumers = new Set<Consumer>();
  private readonly prefix: string;

  private constructor(
    private readonly client: RedisClient,
    private readonly options: RedisBusOptions,
  ) {
    this.prefix = options.keyPrefix ?? '';
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  static async connect(options: RedisBusOptions): Promise<RedisBus> {
    const timeoutMs = options.commandTimeoutMs ?? 2000;
    const sentinel = parseSentinelUrl(options.url);
    const client = sentinel
      ? // The sentinel client has the same command surface (and duplicate/destroy/close) as a
        // plain client; it finds the master through the sentinels and follows fail-overs.
        (createSentinel({
          name: sentinel.name,
          sentinelRootNodes: sentinel.sentinels,
          commandOptions: { timeout: timeoutMs },
          nodeClientOptions: {
            ...(sentinel.username ? { username: sentinel.username } : {}),
            ...(sentinel.password ? { password: sentinel.password } : {}),
            ...(sentinel.database !== undefined ? { database: sentinel.database } : {}),
          },
        }) as unknown as RedisClient)
      : makeClient(options.url, timeoutMs);
    client.on('error', (error: unknown) => options.onError?.(error));
    await client.connect();
    return new RedisBus(client, options);
  }

  /** Delete every key under `prefix` on the server at `url` (tear-down of a test's keyspace). */
  static async dropKeyspace(url: string, prefix: string): Promise<void> {
    const client = createClient({ url });
    await client.connect();
    try {
      for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
        if (keys.length > 0) await client.del(keys);
      }
    } finally {
      await client.close();
    }
  }

  async incr(key: string, by = 1): Promise<number> {
    return Number(await (by === 1 ? this.client.incr(this.k(key)) : this.client.incrBy(this.k(key), by)));
  }

  async get(key: string): Promise<string | null> {
    return (await this.client.get(this.k(key))) ?? null;
  }

  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    const values = await this.client.mGet(keys.map((key) => this.k(key)));
    return values.map((v) => v ?? null);
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    const reply = await this.client.set(this.k(key), value, {
      ...expiration(options.ttlMs),
      ...(options.onlyIfAbsent ? { condition: 'NX' as const } : {}),
    });
    return reply === 'OK';
  }

  async swap(key: string, value: string, options: Pick<SetOptions, 'ttlMs'> = {}): Promise<string | null> {
    // SET … GET (Redis 6.2+): the write and the read of the old value are one command.
    const previous = await this.client.set(this.k(key), value, { ...expiration(options.ttlMs), GET: true });
    return previous ?? null;
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    return Number(await this.client.pExpire(this.k(key), Math.max(1, Math.ceil(ttlMs)))) === 1;
  }

  async del(key: string): Promise<boolean> {
    return Number(await this.client.del(this.k(key))) > 0;
  }

  async delIfEquals(key: string, value: string): Promise<boolean> {
    const reply = await this.client.eval(DEL_IF_EQUALS, { keys: [this.k(key)], arguments: [value] });
    return Number(reply) === 1;
  }

  async expireIfEquals(key: string, value: string, ttlMs: number): Promise<boolean> {
    const reply = await this.client.eval(EXPIRE_IF_EQUALS, {
      keys: [this.k(key)],
      arguments: [value, String(Math.max(1, Math.ceil(ttlMs)))],
    });
    return Number(reply) === 1;
  }

  async push(queue: string, items: readonly string[]): Promise<void> {
    if (items.length === 0) return;
    await this.client.rPush(this.k(queue), [...items]);
  }

  async length(queue: string): Promise<number> {
    return Number(await this.client.lLen(this.k(queue)));
  }

  consume(queues: readonly string[], handler: QueueHandler, options: ConsumeOptions = {}): Consumer {
    const batchSize = options.batchSize ?? 100;
    const blocking = this.client.duplicate();
    blocking.on('error', (error: unknown) => this.options.onError?.(error));
    let stopped = false;

    const loop = async (): Promise<void> => {
      await blocking.connect();
      while (!stopped) {
        let first: { key: string; element: string } | null;
        try {
          // Wait (up to 5 s, then loop to notice a stop) for the first item of any queue.
          first = await blocking.blPop(
            queues.map((q) => this.k(q)),
            5,
          );
        } catch (error) {
          if (stopped) break;
          options.onError?.(error, queues.join(','));
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        if (!first) continue;
        const items = [first.element];
        if (batchSize > 1) {
          const more = await blocking.lPopCount(first.key, batchSize - 1).catch(() => null);
          if (more) items.push(...more);
        }
        try {
          await handler(first.key.slice(this.prefix.length), items);
        } catch (error) {
          options.onError?.(error, first.key.slice(this.prefix.length));
        }
      }
    };
    const running = loop().catch((error: unknown) => {
      if (!stopped) options.onError?.(error, queues.join(','));
    });
    const consumer: Consumer = {
      stop: async () => {
        if (stopped) return;
        stopped = true;
        // Abort a pending BLPOP at once rather than waiting for its timeout.
        blocking.destroy();
        await running;
        this.consumers.delete(consumer);
      },
    };
    this.consumers.add(consumer);
    return consumer;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    await this.client.close();
  }
}
