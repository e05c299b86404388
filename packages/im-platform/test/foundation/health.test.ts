/**
 * The platform's health endpoints: `/health/live` while the process answers; `/health/ready`
 * while the database, the bus and the storage answer, else 503 naming what failed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../testing';

describe('platform health', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const get = async (url: string) => {
    const res = await t.running.app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };

  it('is live and ready with every dependency answering', async () => {
    expect(await get('/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get('/health/ready')).toEqual({
      status: 200,
      body: { status: 'ok', checks: { database: 'ok', bus: 'ok', storage: 'ok' } },
    });
  });

  it('is not ready, naming the database, once the database is gone; it stays live', async () => {
    await t.running.ctx.db.db.destroy();
    const ready = await get('/health/ready');
    expect(ready.status).toBe(503);
    const checks = ready.body['checks'] as Record<string, string>;
    expect(checks['database']).not.toBe('ok');
    expect(checks).toMatchObject({ bus: 'ok', storage: 'ok' });
    expect((await get('/health/live')).status).toBe(200);
  });
});
