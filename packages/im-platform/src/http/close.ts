import type { FastifyInstance } from 'fastify';

/**
 * Close the HTTP server gracefully: refuse new requests and let the ones in flight finish,
 * but cut whatever connection is still open after `graceMs` (a client holding a keep-alive
 * or half-closed socket must not keep the process from stopping).
 */
export async function closeHttp(app: FastifyInstance, graceMs = 3000): Promise<void> {
  const timer = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}
