import { subscribeRouteChanges, type Bus, type RoutingTable, type Subscription } from '@box-im/im-bus';
import { advertises, PushNodeCapability, RedisKey } from '@box-im/im-common';
import { RouteCache, SEEN } from './route-cache';
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

/** Where a fan-out's pairs are: flat (id, terminal) pairs per push node, and offline. */
export interface FanOutRoutes {
  byNode: Map<number, number[]>;
  /** Filled only when asked for (`withOffline`). */
  offline: number[];
  /** The copies' pairs (the sender's other terminals) per push node. */
  copiesByNode: Map<number, number[]>;
}

function addPair(byNode: Map<number, number[]>, node: number, id: number, terminal: number): void {
  const pairs = byNode.get(node);
  if (pairs) pairs.push(id, terminal);
  else byNode.set(node, [id, terminal]);
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
  /** Push nodes whose liveness value advertised compact jobs when last read. */
  private readonly compactNodes = new Set<number>();
  /** False while the notice subscription is down (see `subscribeRouteChanges`). */
  private noticesLive = true;
  /** Marks each fan-out's reads of the cache, so that a repeated user id is read once. */
  private fanOuts = 0;
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

  /** Whether the push node advertised compact jobs (`IMCompactRecvInfo`) when its liveness was last read. */
  acceptsCompactJobs(serverId: number): boolean {
    return this.compactNodes.has(serverId);
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
    if (!cache) {
      const found = await this.read(userIds, terminals, undefined);
      for (let i = 0; i < found.length; i++) serverIds[i] = found[i]!;
    } else {
      // Indexes of the pairs to read from Redis.
      const missing: number[] = [];
      const now = Date.now();
      for (let i = 0; i < userIds.length; i++) {
        const node = cache.get(userIds[i]!, terminals[i]!, now);
        if (node === undefined) missing.push(i);
        else serverIds[i] = node;
      }
      if (missing.length > 0) {
        const found = await this.read(
          missing.map((i) => userIds[i]!),
          missing.map((i) => terminals[i]!),
          cache,
        );
        missing.forEach((i, j) => (serverIds[i] = found[j]!));
      }
    }
    if (this.checkNodeLiveness) await this.forgetDeadNodes(userIds, terminals, serverIds);
    return serverIds;
  }

  /**
   * A fan-out's receivers, every terminal of `terminals` of each of the `userIds` (a repeated
   * id counts once),
   * grouped by push node as flat (id, terminal) pairs, the offline pairs too if `withOffline`;
   * and apart, in `copiesByNode`, the `copies` (the sender's other terminals) — all in one
   * lookup. Like `locate` with the cache, but one cache read per user and no array per pair,
   * so 500 users × 3 terminals cost 500 map reads. Pairs on a dead node count as offline.
   */
  async group(
    userIds: readonly number[],
    terminals: readonly number[],
    withOffline: boolean,
    copies?: { userId: number; terminals: readonly number[] },
  ): Promise<FanOutRoutes> {
    const cache = this.noticesLive ? this.cache : undefined;
    const out: FanOutRoutes = { byNode: new Map(), offline: [], copiesByNode: new Map() };
    const missIds: number[] = [];
    const missTerminals: number[] = [];
    const now = Date.now();
    const mark = ++this.fanOuts;
    /** Receivers not cached, so that a repeated one is read once (a set only if any). */
    let uncached: Set<number> | undefined;
    const scan = (id: number, ts: readonly number[], byNode: Map<number, number[]>, offline?: number[]) => {
      const receiver = byNode === out.byNode;
      const slot = cache ? (receiver ? cache.slotOfOnce(id, now, mark) : cache.slotOf(id, now)) : -1;
      if (slot === SEEN) return;
      if (slot < 0 && receiver) {
        if (uncached?.has(id)) return;
        (uncached ??= new Set()).add(id);
      }
      for (const terminal of ts) {
        const node = slot < 0 ? undefined : cache!.nodeAt(slot, terminal);
        if (node === undefined) {
          missIds.push(id);
          missTerminals.push(terminal);
        } else if (node !== null) addPair(byNode, node, id, terminal);
        else offline?.push(id, terminal);
      }
    };
    for (const id of userIds) scan(id, terminals, out.byNode, withOffline ? out.offline : undefined);
    // Copies come last: any pair read past this index is a copy.
    const receiverMisses = missIds.length;
    if (copies) scan(copies.userId, copies.terminals, out.copiesByNode);
    if (missIds.length > 0) {
      const found = await this.read(missIds, missTerminals, cache);
      for (let i = 0; i < found.length; i++) {
        const node = found[i]!;
        if (node !== null)
          addPair(i < receiverMisses ? out.byNode : out.copiesByNode, node, missIds[i]!, missTerminals[i]!);
        else if (withOffline && i < receiverMisses) out.offline.push(missIds[i]!, missTerminals[i]!);
      }
    }
    if (this.checkNodeLiveness && (out.byNode.size > 0 || out.copiesByNode.size > 0)) {
      const nodes = [...new Set([...out.byNode.keys(), ...out.copiesByNode.keys()])];
      for (const node of await this.deadAmong(nodes)) {
        const pairs = out.byNode.get(node) ?? [];
        const copyPairs = out.copiesByNode.get(node) ?? [];
        out.byNode.delete(node);
        out.copiesByNode.delete(node);
        await this.forgetRoutes(node, [...pairs, ...copyPairs]);
        if (withOffline) out.offline.push(...pairs);
      }
    }
    return out;
  }

  /**
   * Read the routes of the pairs with MGETs of at most `MGET_CHUNK` keys, storing them in
   * `cache` (if given) unless a notice made them doubtful meanwhile.
   */
  private async read(
    userIds: readonly number[],
    terminals: readonly number[],
    cache: RouteCache | undefined,
  ): Promise<(number | null)[]> {
    const serverIds = new Array<number | null>(userIds.length);
    const ticket = cache?.begin();
    try {
      for (let from = 0; from < userIds.length; from += MGET_CHUNK) {
        const to = Math.min(userIds.length, from + MGET_CHUNK);
        const ids = userIds.slice(from, to);
        const ts = terminals.slice(from, to);
        const found = await this.routes.lookupParallel(ids, ts);
        for (let j = 0; j < ids.length; j++) {
          const node = found[j] ?? null;
          serverIds[from + j] = node;
          if (ticket !== undefined) cache!.store(ticket, ids[j]!, ts[j]!, node);
        }
      }
    } finally {
      if (ticket !== undefined) cache!.end(ticket);
    }
    return serverIds;
  }

  /**
   * Pairs on a push node whose liveness key is gone (the node died without closing) count
   * as offline: `serverIds[i]` becomes null, nothing is queued for that node (its queue would
   * only grow; the database holds the message for the offline pull), and the routes are
   * removed.
   */
  private async forgetDeadNodes(
    userIds: readonly number[],
    terminals: readonly number[],
    serverIds: (number | null)[],
  ): Promise<void> {
    // The nodes to ask: few (one per push node), so a linear scan beats a Set of 1,500 ids.
    const nodes: number[] = [];
    for (const id of serverIds) if (id !== null && !nodes.includes(id)) nodes.push(id);
    const dead = await this.deadAmong(nodes);
    for (const node of dead) {
      const pairs: number[] = [];
      serverIds.forEach((serverId, i) => {
        if (serverId !== node) return;
        pairs.push(userIds[i]!, terminals[i]!);
        serverIds[i] = null;
      });
      await this.forgetRoutes(node, pairs);
    }
  }

  /**
   * The nodes among `nodes` whose liveness key is gone; on the way, which of them advertise
   * compact jobs. With the cache on, a node seen alive is not asked again for
   * `min(routeCacheMs, 1 s)`.
   */
  private async deadAmong(nodes: readonly number[]): Promise<number[]> {
    const now = Date.now();
    const ids = nodes.filter((id) => (this.aliveUntil.get(id) ?? 0) <= now);
    if (ids.length === 0) return [];
    const alive = await this.bus.mget(ids.map((id) => RedisKey.serverAlive(id)));
    const until = now + Math.min(this.routeCacheMs, 1000);
    const dead: number[] = [];
    ids.forEach((id, i) => {
      const value = alive[i] ?? null;
      if (advertises(value, PushNodeCapability.COMPACT_JOBS)) this.compactNodes.add(id);
      else this.compactNodes.delete(id);
      if (value === null) dead.push(id);
      else if (this.cache) this.aliveUntil.set(id, until);
    });
    return dead;
  }

  /** The routes of `pairs` (flat id, terminal) on the dead `node`: removed, and dropped from the cache. */
  private async forgetRoutes(node: number, pairs: readonly number[]): Promise<void> {
    const removals: Promise<unknown>[] = [];
    for (let i = 0; i < pairs.length; i += 2) {
      removals.push(this.routes.unregister({ userId: pairs[i]!, terminal: pairs[i + 1]! }, node));
      this.cache?.invalidate(pairs[i]!);
    }
    this.logger.warn(
      { deadNode: node, routes: removals.length },
      'push node not alive: nothing queued for it, its routes removed',
    );
    await Promise.all(removals);
  }
}
