/**
 * `npm run bench -- --micro`: focused CPU-per-operation measures of the hot spots issue 13's
 * profiles named, each in this process with `process.cpuUsage` (robust to a loaded machine,
 * unlike wall-clock rates). Rounds alternate the old way and the new way in the same run.
 * - jwt: HS256 verification: jose (WebCrypto) with the key as bytes or a KeyObject, vs verifyHs256;
 * - sqlite: kysely insert + select on better-sqlite3, statements prepared per query vs cached;
 * - fanout: IMClient.sendGroupMessage to 500 members × 3 terminals (half online, on 2 push
 *   nodes) over Redis (IM_BENCH_REDIS_URL, default redis://127.0.0.1:6379), CPU of the pushing
 *   process per message.
 */
import { createSecretKey, randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { jwtVerify, SignJWT } from 'jose';
import { Kysely, SqliteDialect } from 'kysely';
import { RedisBus } from '@box-im/im-bus';
import { aliveValue, PushNodeCapability, RedisKey } from '@box-im/im-common';
import { verifyHs256 } from '@box-im/im-process';
import { IMClient } from '@box-im/im-client';
import { CachedStatements } from '@box-im/im-platform';

export interface MicroFigure {
  measure: string;
  variant: string;
  cpuMicros: number;
}

async function cpuPer(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await op(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

/** Runs `variants` alternately `rounds` times after one warm-up each; keeps the median. */
async function alternate(
  measure: string,
  rounds: number,
  variants: Record<string, () => Promise<number>>,
): Promise<MicroFigure[]> {
  const samples: Record<string, number[]> = {};
  for (const run of Object.values(variants)) await run();
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(variants)) (samples[name] ??= []).push(await run());
  }
  return Object.entries(samples).map(([variant, xs]) => ({
    measure,
    variant,
    cpuMicros: [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!,
  }));
}

async function jwtMeasure(): Promise<MicroFigure[]> {
  const secret = 'bench-secret-bench-secret-0123456789';
  const bytes = new TextEncoder().encode(secret);
  const keyObject = createSecretKey(Buffer.from(secret, 'utf8'));
  const token = await new SignJWT({ info: '{"userId":1,"terminal":0}' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setAudience('1')
    .setExpirationTime('1h')
    .sign(bytes);
  const verify = (key: Uint8Array | typeof keyObject) => () =>
    cpuPer(5000, () => jwtVerify(token, key, { algorithms: ['HS256'] }));
  const sync = () => cpuPer(5000, () => Promise.resolve(verifyHs256(token, keyObject, Date.now() / 1000)));
  return alternate('jwt verify', 3, {
    'jose, key bytes': verify(bytes),
    'jose, KeyObject': verify(keyObject),
    'verifyHs256 (node:crypto)': sync,
  });
}

async function sqliteMeasure(): Promise<MicroFigure[]> {
  const open = (cached: boolean) => {
    const database = new SQLite(':memory:');
    database.exec(
      'create table m (id integer primary key, send_id int, recv_id int, content text, status int)',
    );
    return new Kysely<any>({
      dialect: new SqliteDialect({ database: cached ? new CachedStatements(database) : database }),
    });
  };
  const run = (cached: boolean) => async () => {
    const db = open(cached);
    const perOp = await cpuPer(5000, async (i) => {
      await db.insertInto('m').values({ send_id: 1, recv_id: 2, content: 'hello', status: 0 }).execute();
      await db
        .selectFrom('m')
        .selectAll()
        .where('id', '=', i + 1)
        .executeTakeFirst();
    });
    await db.destroy();
    return perOp;
  };
  return alternate('sqlite insert+select (kysely)', 3, {
    'prepare per query': run(false),
    'cached statements': run(true),
  });
}

export async function fanoutMeasure(): Promise<MicroFigure[]> {
  const url = process.env['IM_BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const keyPrefix = `im-bench:${randomUUID()}:`;
  const bus = await RedisBus.connect({ url, keyPrefix });
  try {
    const members = Array.from({ length: 500 }, (_, i) => 1000 + i);
    // Half the members online on terminal 0, split over push nodes 1 and 2.
    for (const [i, id] of members.entries()) {
      if (i % 2 === 0)
        await bus.set(RedisKey.userServerId(id, 0), i % 4 === 0 ? '1' : '2', { ttlMs: 600_000 });
    }
    // The push nodes 1 and 2 are alive (their liveness keys are there) and take compact jobs.
    const alive = aliveValue(Date.now(), [PushNodeCapability.COMPACT_JOBS]);
    for (const node of [1, 2]) await bus.set(RedisKey.serverAlive(node), alive, { ttlMs: 600_000 });
    const uncached = new IMClient({ bus, appName: 'bench', routeCacheMs: 0, compactJobs: false });
    const cached = new IMClient({ bus, appName: 'bench', compactJobs: false });
    const compact = new IMClient({ bus, appName: 'bench' });
    cached.start();
    compact.start();
    while (!cached.routeCacheEnabled || !compact.routeCacheEnabled)
      await new Promise((r) => setTimeout(r, 10));
    const sender = { id: 1, terminal: 0 };
    const run = (client: IMClient) => async () => {
      const perOp = await cpuPer(200, (i) =>
        client.sendGroupMessage({ sender, recvIds: members, data: { id: i, content: 'hello group' } }),
      );
      // Drop the queued jobs (no push node consumes them here).
      for (const node of [1, 2]) await bus.del(RedisKey.groupMessageQueue(node));
      return perOp;
    };
    try {
      return await alternate('IMClient group push, 500 members × 3 terminals', 3, {
        'routes read (MGET of 1,500 keys)': run(uncached),
        'route cache, box-im jobs': run(cached),
        'route cache, compact jobs': run(compact),
      });
    } finally {
      await Promise.all([cached.stop(), compact.stop()]);
    }
  } finally {
    await bus.close();
    await RedisBus.dropKeyspace(url, keyPrefix);
  }
}

export async function microScenarios(log: (line: string) => void): Promise<MicroFigure[]> {
  const figures = [...(await jwtMeasure()), ...(await sqliteMeasure()), ...(await fanoutMeasure())];
  for (const f of figures) log(`  ${f.measure}: ${f.variant} ${f.cpuMicros.toFixed(1)} µs CPU/op`);
  return figures;
}
