/**
 * `redis-sentinel://[user:password@]host1:26379,host2:26379/<master name>[/<db>]`: Redis behind
 * Sentinel, in the one REDIS_URL variable. The sentinels are asked where the master is and
 * the client follows a fail-over by itself. The credentials and db are the data nodes'.
 */
export interface SentinelTarget {
  name: string;
  sentinels: { host: string; port: number }[];
  username?: string;
  password?: string;
  database?: number;
}

const PATTERN = /^redis-sentinel:\/\/(?:([^@/]*)@)?([^/]+)\/([^/?#]+)(?:\/(\d+))?\/?$/;

/** The sentinel target of a `redis-sentinel://` URL, or null for any other URL. */
export function parseSentinelUrl(url: string): SentinelTarget | null {
  if (!url.startsWith('redis-sentinel://')) return null;
  const m = PATTERN.exec(url);
  if (!m)
    throw new Error(
      'REDIS_URL: expected redis-sentinel://[user:password@]host:port[,host:port…]/<master name>[/<db>]',
    );
  const [, auth, hosts, name, db] = m;
  const sentinels = hosts!.split(',').map((hostPort) => {
    const at = hostPort.lastIndexOf(':');
    const host = at > 0 ? hostPort.slice(0, at) : hostPort;
    const port = at > 0 ? Number(hostPort.slice(at + 1)) : 26379;
    if (!host || !Number.isInteger(port)) throw new Error(`REDIS_URL: bad sentinel address "${hostPort}"`);
    return { host: host.replace(/^\[|\]$/g, ''), port };
  });
  const [user, password] = auth ? auth.split(':', 2).map(decodeURIComponent) : [];
  return {
    name: decodeURIComponent(name!),
    sentinels,
    ...(user ? { username: user } : {}),
    ...(password ? { password } : {}),
    ...(db ? { database: Number(db) } : {}),
  };
}
