import { subscribeRouteChanges, type Bus, type RoutingTable, type Subscription } from '@box-im/im-bus';
import { RedisKey } from '@box-im/im-common';
import { RouteCache } from './route-cache';
import type { IMClientLogger } from './types';

/** Max routing keys per MGET, so that huge groups do not block Redis with one giant command. */
const MGET_CHUNK = 1000;

export interface RouteLocatorOptions {
  bus: Bus;
  routes: RoutingTable;
  logger: IMClientLogger;
  /** See `IMClientOptions.checkNodeLiveness`. */
  checkNodeLiveness: boolean;
  /** See `IMClientOptions.routeCacheMs`; 0: no cache. */
  routeCacheMs: number;
}

/**
 * Where each (user, terminal) is connected, for the pusher: the route keys, behind a route
 * cache while the route notices are subscribed to, and the push nodes' liveness.
 */
export class RouteLocator {
  private readonly bus: Bus;
  private readonly routes: RoutingTable;
  private readonly logger: IMClientLogger;
  private readonly checkNodeLiveness: boolean;
  private readonly routeCacheMs: number;
  /** Set while the route notices are subscribed to (the cache is only right then). */
  private cache: RouteCache | undefined;
  private notices: Promise<Subscription | undefined> | undefined;
  /** Push nodes seen alive, until when (epoch ms); used with the route cache only. */
  private readonly aliveUntil = new Map<number, number>();
  /** False while the notice subscription is down (see `subscribeRouteChanges`). */
  private noticesLive = true;
  /** Counts start/stop cycles, so that a subscription finishing after a stop turns nothing on. */
  private generation = 0;

  constructor(options: RouteLocatorOptions) {
    this.bus = options.bus;
    this.routes = options.routes;
    this.logger = options.logger;
    this.checkNodeLiveness = options.checkNodeLiveness;
    this.routeCacheMs = options.routeCacheMs;
  }

  /** Subscribe to the route notices and turn the cache on once subscribed (unless `routeCacheMs` is 0). */
  start(): void {
    if (this.routeCacheMs > 0 && !this.notices) this.notices = this.cacheRoutes(++this.generation);
  }

  /** Turn the cache off and unsubscribe. */
  async stop(): Promise<void> {
    const notices = this.notices;
    this.notices = undefined;
    this.cache = undefined;
    this.generation++;
    await notices?.then((s) => s?.stop());
  }

  /** Whether `locate` uses the cache now (the route notices are subscribed to). */
  get cacheEnabled(): boolean {
    return this.cache !== undefined && this.noticesLive;
  }

  /** Subscribe to the route notices, then turn the cache on; without notices, no cache. */
  private async cacheRoutes(generation: number): Promise<Subscription | undefined> {
    const cache = new RouteCache(this.routeCacheMs);
    try {
      const subscription = await subscribeRouteChanges(
        this.bus,
        (who) => cache.invalidate(who.userId),
        (live) => {
          // Down: notices may be missed, so nothing cached may be trusted until they are heard
          // again; back: what was cached meanwhile may be stale. Either way start empty.
          cache.clear();
          this.noticesLive = live;
          if (!live)
            this.logger.warn({}, 'route notices may be missed; route cache off until they are heard again');
        },
      );
      if (generation === this.generation) this.cache = cache;
      return subscription;
    } catch (error) {
      this.logger.error({ err: error }, 'cannot subscribe to route notices; routes are not cached');
      return undefined;
    }
  }

  /**
   * The push node of each pair (`userIds[i]`, `terminals[i]`), null when offline: from the
   * route cache when `cached` and the cache is on, else with MGETs of at most `MGET_CHUNK`
   * keys. Pairs on a dead node count as offline (see `forgetDeadNodes`).
   */
  async locate(
    userIds: readonly number[],
    terminals: readonly number[],
    cached: boolean,
  ): Promise<(number | null)[]> {
    const cache = cached && this.noticesLive ? this.cache : undefined;
    const serverIds = new Array<number | null>(userIds.length);
    // Indexes of the pairs to read from Redis (all of them without a cache).
    let missing: number[] | undefined;
    if (cache) {
      missing = [];
      const now = Date.now();
      for (let i = 0; i < userIds.length; i++) {
        const node = cache.get(userIds[i]!, terminals[i]!, now);
        if (node === undefined) missing.push(i);
        else serverIds[i] = node;
      }
    }
    const count = missing ? missing.length : userIds.length;
    if (count > 0) {
      const ticket = cache?.begin();
      try {
        for (let from = 0; from < count; from += MGET_CHUNK) {
          const to = Math.min(count, from + MGET_CHUNK);
          const ids = new Array<number>(to - from);
          const ts = new Array<number>(to - from);
          for (let j = from; j < to; j++) {
            const i = missing ? missing[j]! : j;
            ids[j - from] = userIds[i]!;
            ts[j - from] = terminals[i]!;
          }
          const found = await this.routes.lookupParallel(ids, ts);
          for (let j = from; j < to; j++) {
            const node = found[j - from] ?? null;
            serverIds[missing ? missing[j]! : j] = node;
            if (ticket !== undefined) cache!.store(ticket, ids[j - from]!, ts[j - from]!, node);
          }
        }
      } finally {
        if (ticket !== undefined) cache!.end(ticket);
      }
    }
    if (this.checkNodeLiveness) await this.forgetDeadNodes(userIds, terminals, serverIds);
    return serverIds;
  }

  /**
   * Pairs on a push node whose liveness key is gone (the node died without closing) count
   * as offline: `serverIds[i]` becomes null, nothing is queued for that node (its queue would
   * only grow; the database holds the message for the offline pull), and the routes are
   * removed. With the cache on, a node seen alive is not asked again for `min(routeCacheMs, 1 s)`.
   */
  private async forgetDeadNodes(
    userIds: readonly number[],
    terminals: readonly number[],
    serverIds: (number | null)[],
  ): Promise<void> {
    const now = Date.now();
    // The nodes to ask: few (one per push node), so a linear scan beats a Set of 1,500 ids.
    const nodes: number[] = [];
    for (const id of serverIds) if (id !== null && !nodes.includes(id)) nodes.push(id);
    const ids = nodes.filter((id) => (this.aliveUntil.get(id) ?? 0) <= now);
    if (ids.length === 0) return;
    const alive = await this.bus.mget(ids.map((id) => RedisKey.serverAlive(id)));
    const dead = new Set(ids.filter((_, i) => alive[i] === null));
    // With the route cache on, a node seen alive is not asked again for a while (at most 1 s).
    if (this.cache) {
      const until = now + Math.min(this.routeCacheMs, 1000);
      for (const id of ids) if (!dead.has(id)) this.aliveUntil.set(id, until);
    }
    if (dead.size === 0) return;
    const removals: Promise<unknown>[] = [];
    serverIds.forEach((serverId, i) => {
      if (serverId === null || !dead.has(serverId)) return;
      removals.push(this.routes.unregister({ userId: userIds[i]!, terminal: terminals[i]! }, serverId));
      this.cache?.invalidate(userIds[i]!);
      serverIds[i] = null;
    });
    this.logger.warn(
      { deadNodes: [...dead], routes: removals.length },
      'push node not alive: nothing queued for it, its routes removed',
    );
    await Promise.all(removals);
  }
}
