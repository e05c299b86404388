/**
 * Scenario (4) of issue 13: persisted group messages to a group of `members` (all online) on
 * the standalone server: `messages` sends (`POST /message/group/send`) with `inFlight`
 * outstanding; per message the time from the start of its request until the last member's
 * frame; messages/s and deliveries/s over the run.
 */
import type WebSocket from 'ws';
import { connect, newUser, stats } from './lib';
import type { Comparison } from './report';

export interface GroupFigures {
  members: number;
  messages: number;
  inFlight: number;
  complete: number;
  perSecond: number;
  deliveriesPerSecond: number;
  p50: number;
  p99: number;
}

async function inBatches<T>(n: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += size)
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, j) => make(i + j)))));
  return out;
}

export async function persistedGroupScenario(
  url: string,
  o: { members: number; messages: number; inFlight: number },
  log: (line: string) => void,
): Promise<GroupFigures> {
  log(`persisted group: ${o.members} members online, ${o.messages} messages, ${o.inFlight} in flight`);
  const owner = await newUser(url, 'pgo');
  const members = await inBatches(o.members - 1, 20, (i) => newUser(url, `pg${i}`));
  await inBatches(members.length, 25, (i) => owner.api.post(`/friend/add?friendId=${members[i]!.id}`));
  const group = await owner.api.post<{ id: number }>('/group/create', { name: 'bench-persisted' });
  for (let i = 0; i < members.length; i += 50)
    await owner.api.post('/group/invite', {
      groupId: group.id,
      friendIds: members.slice(i, i + 50).map((m) => m.id),
    });
  const received = new Map<string, number>();
  const started = new Map<string, number>();
  const latencies: number[] = [];
  let lastComplete = 0;
  const sockets: WebSocket[] = await inBatches(members.length, 50, (i) =>
    connect(url, members[i]!.token, (f) => {
      if (f.cmd !== 4 || f.data?.type !== 0) return;
      const key = f.data.content as string;
      const n = (received.get(key) ?? 0) + 1;
      received.set(key, n);
      if (n === members.length) {
        lastComplete = performance.now();
        latencies.push(lastComplete - started.get(key)!);
      }
    }),
  );
  try {
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: o.inFlight }, async () => {
        while (next < o.messages) {
          const key = `pg${next++}`;
          started.set(key, performance.now());
          await owner.api
            .post('/message/group/send', { tmpId: key, groupId: group.id, content: key, type: 0 })
            .catch(() => undefined);
        }
      }),
    );
    const deadline = Date.now() + 30_000;
    while (latencies.length < o.messages && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    const seconds = (lastComplete - t0) / 1000;
    const delivered = [...received.values()].reduce((a, b) => a + b, 0);
    const s = stats(latencies);
    return {
      members: o.members,
      messages: o.messages,
      inFlight: o.inFlight,
      complete: latencies.length,
      perSecond: latencies.length / seconds,
      deliveriesPerSecond: delivered / seconds,
      p50: s.p50,
      p99: s.p99,
    };
  } finally {
    for (const ws of sockets) ws.terminate();
  }
}

export function persistedGroupComparisons(f: GroupFigures): Comparison[] {
  return [
    {
      scenario: 'persisted group',
      figure: `${f.members} members, ${f.inFlight} in flight: messages/s reaching every member (${f.complete} of ${f.messages})`,
      unit: 'msg/s',
      ours: f.perSecond,
      goal: '–',
      met: f.complete === f.messages,
    },
    {
      scenario: 'persisted group',
      figure: 'same, deliveries/s',
      unit: '/s',
      ours: f.deliveriesPerSecond,
      goal: '–',
    },
    {
      scenario: 'persisted group',
      figure: `same, last member p99 (p50 ${f.p50.toFixed(1)} ms)`,
      unit: 'ms',
      ours: f.p99,
      goal: '–',
    },
  ];
}
