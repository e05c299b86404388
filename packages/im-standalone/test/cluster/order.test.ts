/**
 * Order across platform processes: two platforms on one Redis and one database take sends to
 * the same receiver at once; the receiver's socket gets them in ascending id order, because
 * "store, then queue the push" holds the receiver's order lease cluster-wide (a platform keeps
 * it while it has writes for that user in flight; their inserts share multi-row statements on
 * MariaDB and PostgreSQL).
 */
import { RedisBus } from '@box-im/im-bus';
import { buildApp, createContext } from '@box-im/im-platform';
import { createLogger } from '@box-im/im-process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ENGINES, REDIS_URL, startCluster, type TestCluster } from '../../testing';
import { isChat, msg, text } from '../private/support';

describe.skipIf(!REDIS_URL).each(ENGINES)('write order across two platform processes on %s', (engine) => {
  let c: TestCluster;
  let second: { app: FastifyInstance; close: () => Promise<void>; url: string };
  beforeAll(async () => {
    c = await startCluster({ engine, nodes: 1 });
    const bus = await RedisBus.connect({ url: REDIS_URL!, keyPrefix: c.keyPrefix });
    const ctx = await createContext(c.ctx.config, createLogger({ name: 'p2', level: 'silent' }), { bus });
    const app = await buildApp(ctx);
    const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    second = {
      app,
      url,
      close: async () => {
        await app.close();
        await ctx.close();
        await bus.close();
      },
    };
  });
  afterAll(async () => {
    await second?.close();
    await c?.close();
  });

  it('pushes to one receiver in id order while both platforms write for it', async () => {
    const bob = await c.newUser('bob');
    const senders = await Promise.all([1, 2, 3, 4].map((i) => c.newUser(`s${i}`)));
    for (const s of senders) await c.befriend(s, bob);
    const socket = await bob.socketAt(0);
    const sends = senders.flatMap((s, i) => {
      const onSecond = new ApiClient(second.url, s.api.accessToken);
      return Array.from({ length: 10 }, (_, n) =>
        ((i + n) % 2 === 0 ? s.api : onSecond).post('/message/private/send', text(bob.id, `o${i}-${n}`)),
      );
    });
    const results = await Promise.all(sends);
    expect(results.every((r) => r.code === 200)).toBe(true);
    const ids: number[] = [];
    for (let i = 0; i < results.length; i++) ids.push(msg(await socket.next(isChat, 10_000)).id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(results.length);
    socket.close();
  });
});
