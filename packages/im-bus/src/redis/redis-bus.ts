import { blockingLoop } from './blocking-loop';
import { keyspaceClients, openClient, type RedisClient, type RedisConnection } from './connect';
import { groupBySlot } from './key-slot';
import { RedisNotices } from './notices';
import { ConnectionWatchdog } from './watchdog';
import type {
  Bus,
  ConsumeOptions,
  Consumer,
  NoticeHandler,
  QueueHandler,
  SetOptions,
  SubscribeOptions,
  Subscription,
  SwapOptions,
} from '../bus';

/** Deletes KEYS[1] only while it still holds ARGV[1]. */
const DEL_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
/** DEL_IF_EQUALS, then PUBLISH ARGV[3] on channel ARGV[2] if the key was deleted. */
const DEL_IF_EQUALS_AND_NOTIFY = `if redis.call('GET', KEYS[1]) == ARGV[1] then
redis.call('DEL', KEYS[1]) redis.call('PUBLISH', ARGV[2], ARGV[3]) return 1 else return 0 end`;
/** Renews KEYS[1] to ARGV[2] ms only while it still holds ARGV[1]. */
const EXPIRE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * SET KEYS[1] ARGV[1] (PX ARGV[2] unless empty) GET, then PUBLISH ARGV[4] on channel ARGV[3]
 * if the value changed; returns the previous value. One key: valid on a cluster, where a
 * script's PUBLISH reaches every node's subscribers.
 */
const SWAP_AND_NOTIFY = `local previous
if ARGV[2] == '' then previous = redis.call('SET', KEYS[1], ARGV[1], 'GET')
else previous = redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'GET') end
if previous ~= ARGV[1] then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
return previous`;

/** The SET option for a time to live in ms (Redis wants a positive integer). */
function expiration(ttlMs: number | undefined) {
  return ttlMs === undefined
    ? {}
    : { expiration: { type: 'PX' as const, value: Math.max(1, Math.ceil(ttlMs)) } };
}

export interface RedisBusOptions {
  /**
   * `redis://[user:password@]host:port[/db]`, or Redis behind Sentinel:
   * `redis-sentinel://[user:password@]host:port[,host:port…]/<master name>[/<db>]`, or a
   * Redis Cluster: `redis-cluster://[user:password@]host:port[,host:port…]`.
   */
  url: string;
  /** Called on connection errors (the client reconnects by itself). */
  onError?: (error: unknown) => void;
  /**
   * Prefix added to every key and queue name. Empty in production so that box-im's Java
   * components can share the Redis; tests use a random one to stay apart. @default ''
   */
  keyPrefix?: string;
  /**
   * Milliseconds without an answer from Redis (paused, unreachable, reconnecting) after which
   * pending commands fail. @default 2000
   */
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

  private readonly client: RedisClient;
  private readonly notices: RedisNotices;
  private readonly watchdog: ConnectionWatchdog | undefined;

  private constructor(
    private readonly connection: RedisConnection,
    private readonly options: RedisBusOptions,
  ) {
    this.client = connection.client;
    this.prefix = options.keyPrefix ?? '';
    this.notices = new RedisNotices(
      this.client,
      () => connection.duplicate(),
      (error) => options.onError?.(error),
    );
    this.watchdog = connection.watched
      ? new ConnectionWatchdog(this.client, options.commandTimeoutMs ?? 2000, (error) =>
          options.onError?.(error),
        )
      : undefined;
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  static async connect(options: RedisBusOptions): Promise<RedisBus> {
    const connection = openClient(options.url, options.commandTimeoutMs ?? 2000);
    connection.client.on('error', (error: unknown) => options.onError?.(error));
    await connection.client.connect();
    return new RedisBus(connection, options);
  }

  /**
   * Delete every key under `prefix` on the server (every master of a cluster) at `url`:
   * tear-down of a test's keyspace.
   */
  static async dropKeyspace(url: string, prefix: string): Promise<void> {
    const connection = openClient(url, 2000);
    await connection.client.connect();
    try {
      for (const client of await keyspaceClients(connection)) {
        for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
          // One DEL per key: the keys of one SCAN page may lie in different cluster slots.
          await Promise.all(keys.map((key) => client.del(key)));
        }
      }
    } finally {
      await connection.client.close();
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
    const full = keys.map((key) => this.k(key));
    if (!this.connection.cluster) return (await this.client.mGet(full)).map((v) => v ?? null);
    // A cluster answers MGET only for keys of one slot: one MGET per slot, all sent at once
    // (the client pipelines them to each node).
    const values = new Array<string | null>(keys.length).fill(null);
    await Promise.all(
      groupBySlot(full).map(async (indexes) => {
        const replies = await this.client.mGet(indexes.map((i) => full[i]!));
        indexes.forEach((index, j) => (values[index] = replies[j] ?? null));
      }),
    );
    return values;
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    const reply = await this.client.set(this.k(key), value, {
      ...expiration(options.ttlMs),
      ...(options.onlyIfAbsent ? { condition: 'NX' as const } : {}),
    });
    return reply === 'OK';
  }

  async swap(key: string, value: string, options: SwapOptions = {}): Promise<string | null> {
    const notice = options.changeNotice;
    if (notice) {
      const ttl = options.ttlMs === undefined ? '' : String(Math.max(1, Math.ceil(options.ttlMs)));
      const reply = await this.client.eval(SWAP_AND_NOTIFY, {
        keys: [this.k(key)],
        arguments: [value, ttl, this.k(notice.channel), notice.message],
      });
      return typeof reply === 'string' ? reply : null;
    }
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

  async delIfEquals(
    key: string,
    value: string,
    options: Pick<SwapOptions, 'changeNotice'> = {},
  ): Promise<boolean> {
    const notice = options.changeNotice;
    const reply = notice
      ? await this.client.eval(DEL_IF_EQUALS_AND_NOTIFY, {
          keys: [this.k(key)],
          arguments: [value, this.k(notice.channel), notice.message],
        })
      : await this.client.eval(DEL_IF_EQUALS, { keys: [this.k(key)], arguments: [value] });
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

  /**
   * One blocking loop takes the first item of any of `queues` (BLPOP over all). A cluster
   * serves a BLPOP only over keys of one slot, so there each slot's queues get a loop (and a
   * connection) of their own; key names stay box-im's (see docs/deployment.md).
   */
  consume(queues: readonly string[], handler: QueueHandler, options: ConsumeOptions = {}): Consumer {
    const groups = this.connection.cluster
      ? groupBySlot(queues.map((q) => this.k(q))).map((indexes) => indexes.map((i) => queues[i]!))
      : [queues];
    const loops = groups.map((group) => this.blockingLoop(group, handler, options));
    let stopping: Promise<void> | undefined;
    const consumer: Consumer = {
      stop: () =>
        (stopping ??= Promise.all(loops.map((stop) => stop())).then(() => {
          this.consumers.delete(consumer);
        })),
    };
    this.consumers.add(consumer);
    return consumer;
  }

  /** Consume `queues` on a connection of its own; returns the function that stops it. */
  private blockingLoop(
    queues: readonly string[],
    handler: QueueHandler,
    options: ConsumeOptions,
  ): () => Promise<void> {
    const blocking = this.connection.duplicate();
    blocking.on('error', (error: unknown) => this.options.onError?.(error));
    return blockingLoop({
      blocking,
      keys: queues.map((q) => this.k(q)),
      prefixLength: this.prefix.length,
      handler,
      options,
    });
  }

  /** PUBLISH on the channel (prefixed like keys). */
  publish(channel: string, message: string): Promise<void> {
    return this.notices.publish(this.k(channel), message);
  }

  subscribe(channel: string, handler: NoticeHandler, options?: SubscribeOptions): Promise<Subscription> {
    return this.notices.subscribe(this.k(channel), handler, options);
  }

  async close(): Promise<void> {
    this.watchdog?.stop();
    await this.notices.close();
    await Promise.all([...this.consumers].map((c) => c.stop()));
    await this.client.close();
  }
}
