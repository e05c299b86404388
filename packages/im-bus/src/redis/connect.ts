import { createClient, createCluster, createSentinel } from 'redis';
import { parseClusterUrl } from './cluster-url';
import { parseSentinelUrl } from './sentinel-url';

/**
 * A client of one server. Its commands carry no timeout of their own (node-redis would make an
 * `AbortSignal` per command): the bus watches its connection with one `ConnectionWatchdog`,
 * which fails what is pending when Redis stops answering for the command timeout. Blocking
 * (BLPOP) and subscriber duplicates wait for their reconnection instead.
 */
const makeClient = (url: string) => createClient({ url, commandOptions: { timeout: 0 } });
/**
 * The command surface the bus uses. The sentinel and cluster clients offer the same commands
 * (and connect/duplicate/destroy/close); they are typed as this one.
 */
export type RedisClient = ReturnType<typeof makeClient>;
type ClusterClient = ReturnType<typeof createCluster>;

/** What `openClient` made: the client, and whether it talks to a Redis Cluster. */
export interface RedisConnection {
  client: RedisClient;
  cluster: boolean;
  /** Another connection like `client`, for one blocking consumer (not connected yet). */
  duplicate(): RedisClient;
  /**
   * Whether the commands of `client` carry no timeout of their own, so that the caller must
   * watch it (`ConnectionWatchdog`). Sentinel and cluster clients keep node-redis's
   * per-command timeout: a command waits at most the timeout for a (re)connection.
   */
  watched: boolean;
}

/**
 * A client (not connected yet) for `url`: `redis://` / `rediss://` (one server),
 * `redis-sentinel://` (node-redis `createSentinel`: finds the master through the sentinels
 * and follows fail-overs) or `redis-cluster://` (node-redis `createCluster`: follows the slot
 * map, MOVED/ASK redirections and fail-overs).
 */
export function openClient(url: string, timeoutMs: number): RedisConnection {
  const commandOptions = { timeout: timeoutMs };
  const sentinel = parseSentinelUrl(url);
  if (sentinel) {
    const client = createSentinel({
      name: sentinel.name,
      sentinelRootNodes: sentinel.sentinels,
      commandOptions,
      nodeClientOptions: {
        ...(sentinel.username ? { username: sentinel.username } : {}),
        ...(sentinel.password ? { password: sentinel.password } : {}),
        ...(sentinel.database !== undefined ? { database: sentinel.database } : {}),
      },
    }) as unknown as RedisClient;
    return { client, cluster: false, duplicate: () => client.duplicate(), watched: false };
  }
  const target = parseClusterUrl(url);
  if (target) {
    const cluster = createCluster({
      rootNodes: target.nodes.map(({ host, port }) => ({ socket: { host, port } })),
      defaults: {
        ...(target.username ? { username: target.username } : {}),
        ...(target.password ? { password: target.password } : {}),
      },
      commandOptions,
    });
    return {
      client: cluster as unknown as RedisClient,
      cluster: true,
      // A consumer's BLPOP blocks its connection to the queue's node: its own cluster client,
      // connecting only to the node it needs.
      duplicate: () => cluster.duplicate({ minimizeConnections: true }) as unknown as RedisClient,
      watched: false,
    };
  }
  const client = makeClient(url);
  return { client, cluster: false, duplicate: () => client.duplicate(), watched: true };
}

/**
 * Every master of the cluster behind `client` (cluster mode), or `client` itself: what a
 * SCAN over the whole keyspace must visit.
 */
export async function keyspaceClients(connection: RedisConnection): Promise<RedisClient[]> {
  if (!connection.cluster) return [connection.client];
  const cluster = connection.client as unknown as ClusterClient;
  return Promise.all(
    cluster.masters.map(async (master) => (await cluster.nodeClient(master)) as unknown as RedisClient),
  );
}
