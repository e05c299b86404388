/**
 * Scenario (4) of issue 13: persisted group messages to a group of `members` (all online) on
 * the standalone server: `messages` sends (`POST /message/group/send`) with `inFlight`
 * outstanding; per message the time from the start of its request until the last member's
 * frame; messages/s and deliveries/s over the run.
 */
import type WebSocket from 'ws';
import { connect, newUser, stats } from './lib';
import { overRounds, type Comparison } from './report';

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
  o: {
    members: number;
    messages: number;
    inFlight: number;
    /** Seconds of the same closed loop first, not measured (a server in service is warm). @default 0 */
    warmupSeconds?: number;
  },
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
  // Measured messages are `m<i>`, warm-up ones `w<i>`.
  const received = new Map<string, number>();
  const started = new Map<string, number>();
  const latencies: number[] = [];
  let warmedUp = 0;
  let lastComplete = 0;
  const sockets: WebSocket[] = await inBatches(members.length, 50, (i) =>
    connect(url, members[i]!.token, (f) => {
      if (f.cmd !== 4 || f.data?.type !== 0) return;
      const key = f.data.content as string;
      const n = (received.get(key) ?? 0) + 1;
      received.set(key, n);
      if (n !== members.length) return;
      if (key.startsWith('w')) {
        warmedUp++;
        return;
      }
      lastComplete = performance.now();
      latencies.push(lastComplete - started.get(key)!);
    }),
  );
  /** `inFlight` senders, each sending the next message while `more(count sent)`. */
  const closedLoop = async (prefix: string, more: (sent: number) => boolean) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: o.inFlight }, async () => {
        while (more(next)) {
          const key = `${prefix}${next++}`;
          started.set(key, performance.now());
          await owner.api
            .post('/message/group/send', { tmpId: key, groupId: group.id, content: key, type: 0 })
            .catch(() => undefined);
        }
      }),
    );
    return next;
  };
  const until = async (done: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  };
  try {
    if (o.warmupSeconds) {
      log(`  warm-up: ${o.inFlight} in flight for ${o.warmupSeconds} s (not measured)`);
      const end = Date.now() + o.warmupSeconds * 1000;
      const sent = await closedLoop('w', () => Date.now() < end);
      await until(() => warmedUp >= sent, 30_000);
    }
    const t0 = performance.now();
    await closedLoop('m', (sent) => sent < o.messages);
    await until(() => latencies.length >= o.messages, 30_000);
    const seconds = (lastComplete - t0) / 1000;
    let delivered = 0;
    for (const [key, n] of received) if (key.startsWith('m')) delivered += n;
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

/** Medians over the rounds, with their spreads. */
export function persistedGroupComparisons(runs: GroupFigures[]): Comparison[] {
  const f = runs[0]!;
  const complete = runs.reduce((n, r) => n + r.complete, 0);
  const p50 = overRounds(runs, (r) => r.p50).ours;
  return [
    {
      scenario: 'persisted group',
      figure: `${f.members} members, ${f.inFlight} in flight: messages/s reaching every member (${complete} of ${f.messages * runs.length})`,
      unit: 'msg/s',
      ...overRounds(runs, (r) => r.perSecond),
      goal: '–',
      met: complete === f.messages * runs.length,
    },
    {
      scenario: 'persisted group',
      figure: 'same, deliveries/s',
      unit: '/s',
      ...overRounds(runs, (r) => r.deliveriesPerSecond),
      goal: '–',
    },
    {
      scenario: 'persisted group',
      figure: `same, last member p99 (p50 ${p50.toFixed(1)} ms)`,
      unit: 'ms',
      ...overRounds(runs, (r) => r.p99),
      goal: '–',
    },
  ];
}
