import { RedisKey } from '@box-im/im-common';
import type { Bus } from './bus';

/** A (user, terminal) pair: one connection at most exists for each. */
export interface UserTerminal {
  userId: number;
  terminal: number;
}

/**
 * Who is online where: `im:user:server_id:{userId}:{terminal}` → server id, with a time to
 * live refreshed by heartbeats. Written by push nodes, read by im-client.
 */
export class RoutingTable {
  constructor(private readonly bus: Bus) {}

  /** Record that the connection of (user, terminal) lives on `serverId`. */
  async register(who: UserTerminal, serverId: number, ttlSeconds: number): Promise<void> {
    await this.bus.set(RedisKey.userServerId(who.userId, who.terminal), String(serverId), {
      ttlMs: ttlSeconds * 1000,
    });
  }

  /** Renew the time to live, only if the key still points at `serverId`. */
  async refresh(who: UserTerminal, serverId: number, ttlSeconds: number): Promise<boolean> {
    return this.bus.expireIfEquals(
      RedisKey.userServerId(who.userId, who.terminal),
      String(serverId),
      ttlSeconds * 1000,
    );
  }

  /** Remove the route, only if it still points at `serverId` (a newer login elsewhere wins). */
  async unregister(who: UserTerminal, serverId: number): Promise<boolean> {
    return this.bus.delIfEquals(RedisKey.userServerId(who.userId, who.terminal), String(serverId));
  }

  /** The server id holding each pair, or null when it is offline; one round trip. */
  async lookup(pairs: readonly UserTerminal[]): Promise<(number | null)[]> {
    const values = await this.bus.mget(pairs.map((p) => RedisKey.userServerId(p.userId, p.terminal)));
    return values.map((v) => {
      if (v === null) return null;
      const id = Number(v);
      return Number.isSafeInteger(id) ? id : null;
    });
  }

  async lookupOne(who: UserTerminal): Promise<number | null> {
    const [id] = await this.lookup([who]);
    return id ?? null;
  }
}
