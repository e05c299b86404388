/**
 * The Redis bus on a Redis Cluster (`REDIS_URL=redis-cluster://…`): the whole bus contract
 * against a 3-master cluster this test starts (redis-server children on free ports), plus
 * what only a cluster tests: reads and consumers spanning several slots and nodes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBus, type Bus } from '@box-im/im-bus';
import { RedisKey } from '@box-im/im-common';
import {
  REDIS_BINARIES_MISSING,
  redisCli,
  until,
  startRedisCluster,
  type RedisCluster,
} from '@box-im/im-process/testing';
import { parseClusterUrl } from '../src/redis/cluster-url';
import { groupBySlot, keySlot } from '../src/redis/key-slot';
import { runBusContract } from './bus.contract';

describe('parseClusterUrl and keySlot', () => {
  it('reads nodes and credentials; a cluster has only db 0', () => {
    expect(parseClusterUrl('redis-cluster://u:p%40ss@10.0.0.1:7000,10.0.0.2,[::1]:7002/0')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 6379 },
        { host: '::1', port: 7002 },
      ],
      username: 'u',
      password: 'p@ss',
    });
    expect(parseClusterUrl('redis://127.0.0.1:6379')).toBeNull();
    expect(() => parseClusterUrl('redis-cluster://127.0.0.1:7000/2')).toThrow(/only database 0/);
    expect(() => parseClusterUrl('redis-cluster://127.0.0.1:x')).toThrow(/bad cluster node/);
  });

  it('computes the slots Redis computes (CRC16 of the key or its hash tag)', () => {
    expect(keySlot('123456789')).toBe(0x31c3); // the specification's check value
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}')); // empty tag: whole key hashed
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'));
    expect(groupBySlot(['{a}1', 'b', '{a}2'])).toEqual([[0, 2], [1]]);
  });
});

describe.skipIf(REDIS_BINARIES_MISSING)('RedisBus on a Redis Cluster', () => {
  let cluster: RedisCluster;
  const prefixes = new WeakMap<Bus, string>();
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
  }, 30_000);
  afterAll(() => cluster?.close());

  const open = async (keyPrefix: string): Promise<Bus> => {
    const bus = await RedisBus.connect({ url: cluster.url, keyPrefix });
    prefixes.set(bus, keyPrefix);
    return bus;
  };
  runBusContract(
    'redis-cluster',
    () => open(`im-test:${randomUUID()}:`),
    (bus) => open(prefixes.get(bus)!),
    { consumerReadyMs: 300, orderedNotices: false },
  );

  it('the slot computed here is the slot Redis reports', async () => {
    for (const key of ['im:user:server_id:5:0', 'im:message:private:1', 'im:order:{user:5}'])
      expect(Number(await redisCli(cluster.ports[0]!, 'cluster', 'keyslot', key))).toBe(keySlot(key));
  });

  it('route lookups over many slots and nodes, and one consumer over a push node’s four queues', async () => {
    const bus = await open('');
    try {
      const keys = Array.from({ length: 300 }, (_, i) => RedisKey.userServerId(100_000 + i, i % 3));
      await Promise.all(
        keys.filter((_, i) => i % 2).map((key) => bus.set(key, key.split(':')[3]!, { ttlMs: 60_000 })),
      );
      expect(new Set(keys.map(keySlot)).size).toBeGreaterThan(100);
      expect(await bus.mget(keys)).toEqual(keys.map((key, i) => (i % 2 ? key.split(':')[3]! : null)));

      // box-im's names, unchanged: a node's queues lie in different slots (and nodes).
      const serverId = 900_000 + Math.floor(Math.random() * 1000);
      const queues = [
        RedisKey.forceLogoutQueue(serverId),
        RedisKey.privateMessageQueue(serverId),
        RedisKey.groupMessageQueue(serverId),
        RedisKey.systemMessageQueue(serverId),
      ];
      expect(new Set(queues.map(keySlot)).size).toBe(4);
      const seen: string[] = [];
      const consumer = bus.consume(
        queues,
        (queue, items) => void seen.push(...items.map((i) => `${queue}=${i}`)),
      );
      await new Promise((r) => setTimeout(r, 300));
      for (const queue of queues) await bus.push(queue, ['a', 'b']);
      await until(() => seen.length === 8);
      expect(seen.sort()).toEqual(queues.flatMap((q) => [`${q}=a`, `${q}=b`]).sort());
      await consumer.stop();
      await Promise.all(keys.map((key) => bus.del(key)));
    } finally {
      await bus.close();
    }
  });
});
