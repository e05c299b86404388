import { RedisKey } from '@box-im/im-common';
import type { Bus } from './bus';
import { publishRouteChange, routeChangeNotice } from './route-notices';

/** A (user, terminal) pair: one connection at most exists for each. */
export interface UserTerminal {
  userId: number;
  terminal: number;
}

/**
 * What a heartbeat's renewal found: the route still ours (`renewed`), gone and written
 * again (`restored`, e.g. after a Redis restart), or held by another node (`taken`: a newer
 * login elsewhere owns the pair, so the local connection is stale).
 */
export type RenewOutcome = 'renewed' | 'restored' | 'taken';

/**
 * Who is online where: `im:user:server_id:{userId}:{terminal}` → server id, with a time to
 * live refreshed by heartbeats. Written by push nodes, read by im-client.
 *
 * Ownership changes hands atomically: `claim` writes the route and returns the previous
 * holder in one step, so of two logins racing on two nodes exactly one ends up holding the
 * route and the other learns it was displaced; `renew` never overwrites another node's route.
 * Every write that changes a route publishes a route change notice (`route-notices.ts`) after it
 * (a claim and a removal in the same step as their write).
 */
export class RoutingTable {
  constructor(private readonly bus: Bus) {}

  /**
   * Record that the connection of (user, terminal) lives on `serverId`, replacing any other
   * holder. Returns the server id that held the route before (null when none): that node's
   * connection was displaced and must be told. The write and its route change notice (when
   * the holder changed) are one step: one round trip on Redis, as logins of a reconnect storm
   * wait for it.
   */
  async claim(who: UserTerminal, serverId: number, ttlSeconds: number): Promise<number | null> {
    const previous = await this.bus.swap(key(who), String(serverId), {
      ttlMs: ttlSeconds * 1000,
      changeNotice: routeChangeNotice(who),
    });
    return parseServerId(previous);
  }

  /**
   * Renew the time to live if the route is still ours; write it again only if no one holds
   * it (SET NX), never over another node's route.
   */
  async renew(who: UserTerminal, serverId: number, ttlSeconds: number): Promise<RenewOutcome> {
    const ttlMs = ttlSeconds * 1000;
    if (await this.bus.expireIfEquals(key(who), String(serverId), ttlMs)) return 'renewed';
    const written = await this.bus.set(key(who), String(serverId), { ttlMs, onlyIfAbsent: true });
    if (written) await publishRouteChange(this.bus, who);
    return written ? 'restored' : 'taken';
  }

  /**
   * Remove the route, only if it still points at `serverId` (a newer login elsewhere wins),
   * with its change notice in the same step (the sockets dropped by a storm each remove theirs).
   */
  unregister(who: UserTerminal, serverId: number): Promise<boolean> {
    return this.bus.delIfEquals(key(who), String(serverId), { changeNotice: routeChangeNotice(who) });
  }

  /** The server id holding each pair, or null when it is offline; one round trip. */
  async lookup(pairs: readonly UserTerminal[]): Promise<(number | null)[]> {
    const values = await this.bus.mget(pairs.map(key));
    return values.map(parseServerId);
  }

  /**
   * Like `lookup`, for pairs given as two parallel arrays (`userIds[i]`, `terminals[i]`):
   * a group message looks up 1,500 pairs, and an object per pair was most of its cost.
   */
  async lookupParallel(userIds: readonly number[], terminals: readonly number[]): Promise<(number | null)[]> {
    const keys = new Array<string>(userIds.length);
    for (let i = 0; i < userIds.length; i++) keys[i] = RedisKey.userServerId(userIds[i]!, terminals[i]!);
    const values = await this.bus.mget(keys);
    return values.map(parseServerId);
  }

  async lookupOne(who: UserTerminal): Promise<number | null> {
    const [id] = await this.lookup([who]);
    return id ?? null;
  }
}

function key(who: UserTerminal): string {
  return RedisKey.userServerId(who.userId, who.terminal);
}

function parseServerId(value: string | null): number | null {
  if (value === null) return null;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : null;
}
