/**
 * The push node's health endpoints: `/health/live` while the process answers, `/health/ready`
 * while its bus answers (503 naming the bus when it does not, 200 again once it is back).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listenPushNode, type ListeningNode } from '../src/node-http';
import { busWorlds, type BusWorld, type TestNode } from './support';
import type { BusFault } from './bus-fault';

describe.each(busWorlds())('push node health on the $name bus', ({ create }) => {
  let world: BusWorld;
  let node: TestNode & { fault: BusFault };
  let http: ListeningNode;

  beforeEach(async () => {
    world = create();
    node = await world.startFaultyNode();
    http = await listenPushNode(node.server, 0, '127.0.0.1');
  });
  afterEach(async () => {
    node.fault.restore();
    await http.close();
    await world.dispose();
  });

  const get = async (path: string) => {
    const res = await fetch(`${http.url}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('is live and ready while the bus answers', async () => {
    expect(await get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await get('/health/ready');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ok', checks: { bus: 'ok' } } });
    expect(ready.body['serverId']).toBe(node.server.serverId);
  });

  it('serves its Prometheus series at /metrics, per server id', async () => {
    const res = await fetch(`${http.url}/metrics`);
    expect(res.status).toBe(200);
    const page = await res.text();
    const id = node.server.serverId;
    expect(page).toContain(`im_ws_connections{server_id="${id}"} 0`);
    for (const queue of ['private', 'group', 'system', 'force_logout'])
      expect(page).toContain(`im_push_queue_depth{server_id="${id}",queue="${queue}"} 0`);
    expect(page).toContain('# TYPE im_pushes_total counter');
  });

  it('is not ready while its bus is down, stays live, and is ready again once the bus is back', async () => {
    node.fault.cut();
    const down = await get('/health/ready');
    expect(down.status).toBe(503);
    expect(down.body['status']).toBe('unavailable');
    expect((down.body['checks'] as Record<string, string>)['bus']).not.toBe('ok');
    expect((await get('/health/live')).status).toBe(200);
    node.fault.restore();
    await expect
      .poll(async () => (await get('/health/ready')).status, { timeout: 10_000, interval: 200 })
      .toBe(200);
  });
});
