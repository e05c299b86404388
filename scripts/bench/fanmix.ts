/**
 * Scenario (2) of issue 13, the "1:1 mix, 5,000 connected" part: `users` logged-in users over
 * 2 push nodes through Redis (fanout-roles.ts `ours-node`), the first `members` of them in a
 * group; the pusher (fanmix-roles.ts) alternates a group message to the members and a 1:1
 * message to one user (round robin over all users), keeping `inFlight` messages outstanding
 * until `messages` are done (a group message when every member has it, a 1:1 message when its
 * receiver has it). Clients are spread over `ceil(users / perProcess)` processes. Figures:
 * deliveries/s, latency p50/p99 per kind, CPU µs per delivery of the nodes and of the pusher.
 * Ours only for now: the baselines' roles in fanout-roles.ts have no per-user rooms.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { childOf, cpuOf, spawn, stopChild, token, tokensFile, SECRET, type Child } from './fanout';
import { dropKeys } from './idle-scale';
import type { Comparison } from './report';

export interface FanmixOptions {
  redisUrl: string;
  users: number;
  members: number;
  messages: number;
  inFlight: number;
  perProcess: number;
}

export interface FanmixFigures {
  users: number;
  members: number;
  messages: number;
  deliveries: number;
  seconds: number;
  perSecond: number;
  group: { p50: number; p99: number };
  private: { p50: number; p99: number };
  nodeCpuPerDelivery: number;
  pusherCpuShare: number;
  connectSeconds: number;
}

function spawnMix(role: string, env: Record<string, string>): Promise<Child> {
  const proc = fork(resolve(import.meta.dirname, 'fanmix-roles.ts'), [role], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return childOf(proc, role, 600_000);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
};

export async function runFanmix(o: FanmixOptions, log: (line: string) => void): Promise<FanmixFigures> {
  const keyPrefix = `im-bench:${randomUUID()}:`;
  const env = { BENCH_SECRET: SECRET, BENCH_REDIS_URL: o.redisUrl, BENCH_KEY_PREFIX: keyPrefix };
  const ids = Array.from({ length: o.users }, (_, i) => 10_000 + i);
  const members = ids.slice(0, o.members);
  const users = await Promise.all(ids.map(async (id) => ({ id, token: await token(id) })));
  const processes = Math.max(1, Math.ceil(o.users / o.perProcess));
  const children: Child[] = [];
  try {
    const nodes = [await spawn('ours-node', env), await spawn('ours-node', env)];
    children.push(...nodes);
    const pusher = await spawnMix('mix-pusher', { ...env, BENCH_MEMBERS: JSON.stringify(members) });
    children.push(pusher);
    const c0 = performance.now();
    const clients = await Promise.all(
      Array.from({ length: processes }, (_, p) =>
        spawnMix('mix-clients', {
          ...env,
          BENCH_URLS: JSON.stringify(nodes.map((n) => n.ready['url'])),
          BENCH_TOKENS_FILE: tokensFile(
            users.filter((_, i) => i % processes === p).map((u) => `${u.id}:${u.token}`),
          ),
          BENCH_MEMBER_BELOW: String(10_000 + o.members),
        }),
      ),
    );
    children.push(...clients);
    const connectSeconds = (performance.now() - c0) / 1000;
    log(
      `  fanmix: ${o.users} users connected over ${processes} client processes in ${connectSeconds.toFixed(1)} s`,
    );
    // Which client processes must report a message done: all that hold members, or the receiver's.
    const withMembers = clients.filter((c) => Number(c.ready['groupExpected']) > 0).length;
    const cpu0 = await Promise.all(nodes.map(cpuOf));
    const pusherCpu0 = await cpuOf(pusher);
    const t0 = performance.now();
    await new Promise<void>((ok, fail) => {
      let sent = 0;
      let done = 0;
      const pending = new Map<number, number>();
      const timer = setTimeout(() => fail(new Error(`fanmix: ${done}/${o.messages} done in 600 s`)), 600_000);
      const next = () => {
        const i = sent++;
        const isGroup = i % 2 === 0;
        pending.set(i, isGroup ? withMembers : 1);
        pusher.proc.send({ kind: 'push', i, ...(isGroup ? {} : { to: ids[(i >> 1) % ids.length] }) });
      };
      const onDone = (m: { kind: string; i: number }) => {
        if (m.kind !== 'done') return;
        const left = (pending.get(m.i) ?? 0) - 1;
        if (left > 0) return void pending.set(m.i, left);
        pending.delete(m.i);
        if (++done % 200 === 0) log(`  … ${done}/${o.messages} messages done`);
        if (done === o.messages) {
          clearTimeout(timer);
          ok();
        } else if (sent < o.messages) next();
      };
      for (const c of clients) c.proc.on('message', onDone);
      for (let i = 0; i < Math.min(o.inFlight, o.messages); i++) next();
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = await Promise.all(nodes.map(cpuOf));
    const pusherCpu = (await cpuOf(pusher)) - pusherCpu0;
    const lat = await Promise.all(
      clients.map((c) => c.ask<{ group: number[]; private: number[] }>('latencies', 'latencies')),
    );
    const groupLat = lat.flatMap((l) => l.group);
    const privateLat = lat.flatMap((l) => l.private);
    const groups = Math.ceil(o.messages / 2);
    const deliveries = groups * o.members + (o.messages - groups);
    const nodeCpu = cpu1.reduce((s, c, i) => s + c - cpu0[i]!, 0);
    if (groupLat.length + privateLat.length !== deliveries)
      throw new Error(
        `fanmix: ${groupLat.length + privateLat.length} deliveries seen, ${deliveries} expected`,
      );
    return {
      users: o.users,
      members: o.members,
      messages: o.messages,
      deliveries,
      seconds,
      perSecond: deliveries / seconds,
      group: { p50: pct(groupLat, 0.5), p99: pct(groupLat, 0.99) },
      private: { p50: pct(privateLat, 0.5), p99: pct(privateLat, 0.99) },
      nodeCpuPerDelivery: nodeCpu / deliveries,
      pusherCpuShare: pusherCpu / 1e6 / seconds,
      connectSeconds,
    };
  } finally {
    for (const c of children.reverse()) await stopChild(c, 10_000);
    await dropKeys(o.redisUrl, keyPrefix);
  }
}

export function fanmixComparisons(f: FanmixFigures): Comparison[] {
  const label = `${f.users} connected on 2 nodes, group of ${f.members} and 1:1 alternating, ${f.messages} msgs`;
  return [
    { scenario: 'fan-out mix', figure: `${label}: deliveries/s`, unit: '/s', ours: f.perSecond, goal: '–' },
    { scenario: 'fan-out mix', figure: 'same, group latency p50', unit: 'ms', ours: f.group.p50, goal: '–' },
    { scenario: 'fan-out mix', figure: 'same, group latency p99', unit: 'ms', ours: f.group.p99, goal: '–' },
    { scenario: 'fan-out mix', figure: 'same, 1:1 latency p50', unit: 'ms', ours: f.private.p50, goal: '–' },
    { scenario: 'fan-out mix', figure: 'same, 1:1 latency p99', unit: 'ms', ours: f.private.p99, goal: '–' },
    {
      scenario: 'fan-out mix',
      figure: 'same, CPU µs per delivery, push nodes only',
      unit: 'µs',
      ours: f.nodeCpuPerDelivery,
      goal: '–',
    },
    {
      scenario: 'fan-out mix',
      figure: 'same, CPU of the pushing process',
      unit: '% core',
      ours: f.pusherCpuShare * 100,
      goal: '–',
    },
  ];
}
