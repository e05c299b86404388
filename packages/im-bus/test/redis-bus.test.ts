import { randomUUID } from 'node:crypto';
import { afterAll, describe } from 'vitest';
import { createClient } from 'redis';
import { RedisBus } from '@box-im/im-bus';
import { runBusContract } from './bus.contract';

const url = process.env['IM_TEST_REDIS_URL'];
/** Every bus of this run shares one random prefix, deleted afterwards. */
const runPrefix = `im-test:${randomUUID()}:`;

describe.skipIf(!url)('RedisBus', () => {
  runBusContract('redis', () => RedisBus.connect({ url: url!, keyPrefix: `${runPrefix}${randomUUID()}:` }));

  afterAll(async () => {
    const client = createClient({ url: url! });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${runPrefix}*`, COUNT: 500 })) {
      if (keys.length > 0) await client.del(keys);
    }
    await client.close();
  });
});
