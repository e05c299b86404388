import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { RedisBus, type Bus } from '@box-im/im-bus';
import { runBusContract } from './bus.contract';

const url = process.env['IM_TEST_REDIS_URL'];
/** Every bus of this run shares one random prefix, deleted afterwards. */
const runPrefix = `im-test:${randomUUID()}:`;
/** The key prefix of each bus, so that a peer connection can join its keys. */
const prefixes = new WeakMap<Bus, string>();

describe.skipIf(!url)('RedisBus', () => {
  const connect = async (keyPrefix: string): Promise<Bus> => {
    const bus = await RedisBus.connect({ url: url!, keyPrefix });
    prefixes.set(bus, keyPrefix);
    return bus;
  };
  runBusContract(
    'redis',
    () => connect(`${runPrefix}${randomUUID()}:`),
    (bus) => connect(prefixes.get(bus)!),
  );

  it('pushMany loads its script again when Redis lost it (SCRIPT FLUSH)', async () => {
    const prefix = `${runPrefix}${randomUUID()}:`;
    const bus = await connect(prefix);
    const admin = createClient({ url: url! });
    await admin.connect();
    try {
      await bus.pushMany([
        { queue: 'x', items: ['1'] },
        { queue: 'y', items: ['2'] },
      ]);
      await admin.scriptFlush();
      await bus.pushMany([
        { queue: 'x', items: ['3'] },
        { queue: 'y', items: ['4', '5'] },
      ]);
      expect(await admin.lRange(`${prefix}x`, 0, -1)).toEqual(['1', '3']);
      expect(await admin.lRange(`${prefix}y`, 0, -1)).toEqual(['2', '4', '5']);
    } finally {
      await admin.close();
      await bus.close();
    }
  });

  afterAll(() => RedisBus.dropKeyspace(url!, runPrefix));
});
