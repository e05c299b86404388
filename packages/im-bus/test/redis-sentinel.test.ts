/**
 * The Redis bus behind Sentinel (`REDIS_URL=redis-sentinel://…/<master>`): the whole bus
 * contract against a Redis server and a Sentinel of this test's own (children on free ports):
 * the bus asks the Sentinel where the master is and talks to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBus, type Bus } from '@box-im/im-bus';
import { freePort, listening, REDIS_BINARIES_MISSING, REDIS_SERVER } from '@box-im/im-process/testing';
import { parseSentinelUrl } from '../src/redis/sentinel-url';
import { runBusContract } from './bus.contract';

const MASTER = 'box-im-test';

describe('parseSentinelUrl', () => {
  it('reads sentinels, master name, credentials and db', () => {
    expect(parseSentinelUrl('redis-sentinel://:pw@10.0.0.1:26379,10.0.0.2/mymaster/2')).toEqual({
      name: 'mymaster',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26379 },
      ],
      password: 'pw',
      database: 2,
    });
    expect(parseSentinelUrl('redis://127.0.0.1:6379')).toBeNull();
    expect(() => parseSentinelUrl('redis-sentinel://127.0.0.1:26379')).toThrow(/master name/);
  });
});

describe.skipIf(REDIS_BINARIES_MISSING)('RedisBus behind Sentinel', () => {
  const children: ChildProcess[] = [];
  let dir: string;
  let url = '';
  const prefixes = new WeakMap<Bus, string>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'im-sentinel-'));
    const dataPort = await freePort();
    const sentinelPort = await freePort();
    children.push(
      spawn(
        REDIS_SERVER,
        ['--port', String(dataPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      ),
    );
    await listening(dataPort);
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      `port ${sentinelPort}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor ${MASTER} 127.0.0.1 ${dataPort} 1\n`,
    );
    children.push(spawn(REDIS_SERVER, [conf, '--sentinel'], { stdio: 'ignore' }));
    await listening(sentinelPort);
    url = `redis-sentinel://127.0.0.1:${sentinelPort}/${MASTER}`;
  });
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (keyPrefix: string): Promise<Bus> => {
    const bus = await RedisBus.connect({ url, keyPrefix });
    prefixes.set(bus, keyPrefix);
    return bus;
  };
  runBusContract(
    'redis-sentinel',
    () => open(`im-test:${randomUUID()}:`),
    (bus) => open(prefixes.get(bus)!),
    { consumerReadyMs: 1000 },
  );
});
