import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { AppContext } from '../context';

/**
 * The platform's Prometheus series, in the process's registry (`ctx.metrics`), served at
 * `GET /metrics` (outside the API prefix; the nginx sample does not expose it):
 * - `http_request_duration_seconds{method,route,status_code}`: latency by route and status
 *   (the route's pattern, e.g. `/api/message/private/send`, so ids do not explode the labels);
 *   its `_count` per route gives requests/s, logins/s included (`route="/api/login"`);
 * - `im_http_errors_total{route}`: responses with a 5xx status;
 * - `im_db_pool_connections{state}`: the database pool (total, idle, waiting).
 */
export function registerMetrics(app: FastifyInstance, ctx: AppContext): void {
  const registers = [ctx.metrics];
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const errors = new Counter({
    name: 'im_http_errors_total',
    help: 'HTTP responses with a 5xx status, by route',
    labelNames: ['route'],
    registers,
  });
  new Gauge({
    name: 'im_db_pool_connections',
    help: 'Database pool connections: total open, idle, and queries waiting for one',
    labelNames: ['state'],
    registers,
    collect() {
      const stats = ctx.db.poolStats();
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route !== '/metrics') {
      latency.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      if (reply.statusCode >= 500) errors.inc({ route });
    }
    done();
  });
  app.get('/metrics', { logLevel: 'warn', schema: { hide: true } }, async (_request, reply) =>
    reply.type(ctx.metrics.contentType).send(await ctx.metrics.metrics()),
  );
}
