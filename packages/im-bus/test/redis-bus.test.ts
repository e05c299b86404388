import { randomUUID } from 'node:crypto';
import { afterAll, describe } from 'vitest';
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

  afterAll(() => RedisBus.dropKeyspace(url!, runPrefix));
});
