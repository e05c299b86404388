import { createServer, type Server, type ServerResponse } from 'node:http';
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

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Give a push node an HTTP server of its own: `GET /health` answers
 * `{status, serverId, connections}`, `GET /health/live` 200 while the process answers,
 * `GET /health/ready` 200 while the bus answers (503 naming what failed), `/im` takes
 * WebSocket upgrades, `GET /metrics` serves the Prometheus series, anything else is 404.
 * Port 0 picks a free port; `backlog` is the pending-connection queue (LISTEN_BACKLOG).
 */
export async function listenPushNode(
  push: PushServer,
  port: number,
  host: string,
  backlog = DEFAULT_LISTEN_BACKLOG,
): Promise<ListeningNode> {
  const http = createServer((req, res) => {
    const path = (req.url ?? '').split('?', 1)[0];
    if (req.method === 'GET' && (path === '/health' || path === '/health/live')) {
      return json(res, 200, { status: 'ok', serverId: push.serverId, connections: push.connectionCount });
    }
    if (req.method === 'GET' && path === '/metrics') {
      void push.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': push.registry.contentType });
          res.end(text);
        },
        (error: unknown) => json(res, 500, { error: String(error) }),
      );
      return;
    }
    if (req.method === 'GET' && path === '/health/ready') {
      void push.ready().then(
        (report) => json(res, report.status === 'ok' ? 200 : 503, { ...report, serverId: push.serverId }),
        (error: unknown) => json(res, 503, { status: 'unavailable', checks: { node: String(error) } }),
      );
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
