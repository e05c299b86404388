import { checkHealth } from '@box-im/im-process';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../context';

/** Key read by the readiness probe of storage (it need not exist: the question is whether the store answers). */
const STORAGE_PROBE_KEY = 'health/probe';

/**
 * `GET /health/live`: the process answers (200). `GET /health/ready`: the database, the bus
 * (Redis) and the object storage answer (200), else 503 naming what failed. Outside the API
 * prefix (a proxy need not expose them) and logged only when they fail.
 */
export function registerHealth(app: FastifyInstance, ctx: AppContext): void {
  app.get('/health/live', { logLevel: 'warn', schema: { hide: true } }, () => ({ status: 'ok' }));
  app.get('/health/ready', { logLevel: 'warn', schema: { hide: true } }, async (request, reply) => {
    const report = await checkHealth({
      database: () => sql`select 1`.execute(ctx.db.db),
      bus: () => ctx.bus.get('im:health'),
      storage: () => ctx.storage.exists(STORAGE_PROBE_KEY),
    });
    if (report.status !== 'ok') request.log.warn({ checks: report.checks }, 'not ready');
    return reply.status(report.status === 'ok' ? 200 : 503).send(report);
  });
}
