/**
 * `redis-cluster://[user:password@]host1:6379,host2:6379[,…][/0]`: a Redis Cluster, in the one
 * REDIS_URL variable. The listed nodes are only where the client starts: it asks them for the
 * slot map and finds every other node (masters and replicas) by itself. The credentials are
 * used on every node. A cluster has one database, so a db, when given, must be 0.
 */
export interface ClusterTarget {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
}

const PATTERN = /^redis-cluster:\/\/(?:([^@/]*)@)?([^/]+?)(?:\/(\d+))?\/?$/;

/** The cluster target of a `redis-cluster://` URL, or null for any other URL. */
export function parseClusterUrl(url: string): ClusterTarget | null {
  if (!url.startsWith('redis-cluster://')) return null;
  const m = PATTERN.exec(url);
  if (!m) throw new Error('REDIS_URL: expected redis-cluster://[user:password@]host:port[,host:port…]');
  const [, auth, hosts, db] = m;
  if (db !== undefined && Number(db) !== 0)
    throw new Error(`REDIS_URL: a Redis Cluster has only database 0 (got /${db})`);
  const nodes = hosts!.split(',').map((hostPort) => {
    const at = hostPort.lastIndexOf(':');
    const host = at > 0 ? hostPort.slice(0, at) : hostPort;
    const port = at > 0 ? Number(hostPort.slice(at + 1)) : 6379;
    if (!host || !Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`REDIS_URL: bad cluster node address "${hostPort}"`);
    return { host: host.replace(/^\[|\]$/g, ''), port };
  });
  const [user, password] = auth ? auth.split(':', 2).map(decodeURIComponent) : [];
  return {
    nodes,
    ...(user ? { username: user } : {}),
    ...(password ? { password } : {}),
  };
}
