import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PushServer } from './push-server';

/** Node's default (511) overflows when thousands of clients reconnect at once. */
const DEFAULT_LISTEN_BACKLOG = 4096;

/** A push node listening on its own HTTP server. */
export interface ListeningNode {
  http: Server;
  port: number;
  /** `http://host:port` (sockets go to `/im`). */
  url: string;
  /** Close the node (sockets get 1012), then the HTTP server. */
  close(): Promise<void>;
}

/**
 * Give a push node an HTTP server of its own: `GET /health` answers
 * `{status, serverId, connections}`, `/im` takes WebSocket upgrades, anything else is 404.
 * Port 0 picks a free port; `backlog` is the pending-connection queue (LISTEN_BACKLOG).
 */
export async function listenPushNode(
  push: PushServer,
  port: number,
  host: string,
  backlog = DEFAULT_LISTEN_BACKLOG,
): Promise<ListeningNode> {
  const http = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', serverId: push.serverId, connections: push.connectionCount }));
      return;
    }
    res.writeHead(404).end();
  });
  push.attach(http);
  await new Promise<void>((resolve) => http.listen(port, host, backlog, resolve));
  const actual = (http.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    http,
    port: actual,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        await push.close();
        http.closeAllConnections();
        await closed;
      })()),
  };
}
