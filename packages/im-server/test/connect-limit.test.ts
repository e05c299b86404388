/**
 * WebSocket connections per client address (issue 9): refused with HTTP 429 past the limit,
 * counted on the bus (shared by every node on Redis), the address read as TRUST_PROXY says.
 */
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { busWorlds, type BusWorld } from './support';

/** Open a socket; resolves with 'open' or the HTTP status of a refused upgrade. */
function attempt(url: string, headers: Record<string, string> = {}): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => resolve(0));
  });
}

describe.each(busWorlds())('connect limit on the $name bus', ({ create }) => {
  let world: BusWorld;
  afterEach(() => world.dispose());

  it('refuses connections past the limit of one address, across nodes', async () => {
    world = create();
    const limit = { connectLimit: { max: 3, windowMs: 60_000 } };
    const [a, b] = [await world.startNode(limit), await world.startNode(limit)];
    const results = [];
    for (const node of [a, b, a, b, a]) results.push(await attempt(node.url));
    expect(results).toEqual(['open', 'open', 'open', 429, 429]);
  });

  it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
    world = create();
    const untrusted = await world.startNode({ connectLimit: { max: 1, windowMs: 60_000 } });
    expect(await attempt(untrusted.url, { 'x-forwarded-for': '10.0.0.1' })).toBe('open');
    expect(await attempt(untrusted.url, { 'x-forwarded-for': '10.0.0.2' })).toBe(429);

    const trusted = await world.startNode({
      connectLimit: { max: 1, windowMs: 60_000 },
      trustProxy: ['127.0.0.1'],
    });
    expect(await attempt(trusted.url, { 'x-forwarded-for': '10.1.0.1' })).toBe('open');
    expect(await attempt(trusted.url, { 'x-forwarded-for': '10.1.0.2' })).toBe('open');
    expect(await attempt(trusted.url, { 'x-forwarded-for': '10.1.0.1' })).toBe(429);
  });

  it('is unlimited without a limit (RATE_LIMIT=off)', async () => {
    world = create();
    const node = await world.startNode({ connectLimit: null });
    const results = await Promise.all(Array.from({ length: 20 }, () => attempt(node.url)));
    expect(results.every((r) => r === 'open')).toBe(true);
  });
});
