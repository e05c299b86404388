/**
 * Scenario (3) of issue 13: persisted 1:1 messages end to end on the standalone server
 * (HTTP `POST /message/private/send` → stored → the receiver's WebSocket frame), driven from
 * this process (the server runs in its own). Closed loop first (`inFlight` requests kept
 * outstanding for `seconds`): the max sustained rate. Then open loop at each offered rate:
 * requests start on schedule whatever the server does (at most 4,000 outstanding), latency from
 * the scheduled start to the frame, so an overloaded server shows its queueing.
 */
import { connect, newUser, stats } from './lib';

export interface PersistedFigures {
  closedLoop: { inFlight: number; perSecond: number; p50: number; p99: number; serverCpuPerMessage: number };
  openLoop: {
    offered: number;
    delivered: number;
    perSecond: number;
    p50: number;
    p99: number;
    lost: number;
  }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function persistedScenario(
  url: string,
  serverCpuMicros: () => Promise<number>,
  o: { rates: number[]; seconds: number; inFlight: number },
  log: (line: string) => void,
): Promise<PersistedFigures> {
  const a = await newUser(url, 'sa');
  const b = await newUser(url, 'sb');
  await a.api.post(`/friend/add?friendId=${b.id}`);
  const started = new Map<string, number>();
  let latencies: number[] = [];
  let arrived = 0;
  let lastArrival = 0;
  const ws = await connect(url, b.token, (f) => {
    if (f.cmd !== 3 || f.data?.type !== 0) return;
    const t0 = started.get(f.data.content as string);
    if (t0 === undefined) return;
    started.delete(f.data.content as string);
    lastArrival = performance.now();
    latencies.push(lastArrival - t0);
    arrived++;
  });
  const sendOne = (content: string) =>
    a.api
      .post('/message/private/send', { tmpId: content, recvId: b.id, content, type: 0 })
      .catch(() => undefined);
  const settle = async (expected: number) => {
    const deadline = Date.now() + 30_000;
    while (arrived < expected && Date.now() < deadline) await sleep(10);
  };

  try {
    log(`persisted: closed loop, ${o.inFlight} in flight, ${o.seconds} s`);
    const cpu0 = await serverCpuMicros();
    const t0 = performance.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: o.inFlight }, async () => {
        while (performance.now() - t0 < o.seconds * 1000) {
          const content = `c${sent++}`;
          started.set(content, performance.now());
          await sendOne(content);
        }
      }),
    );
    await settle(sent);
    const cpu = (await serverCpuMicros()) - cpu0;
    const closed = stats(latencies);
    const closedLoop = {
      inFlight: o.inFlight,
      perSecond: arrived / ((lastArrival - t0) / 1000),
      p50: closed.p50,
      p99: closed.p99,
      serverCpuPerMessage: cpu / Math.max(1, arrived),
    };

    const openLoop: PersistedFigures['openLoop'] = [];
    for (const rate of o.rates) {
      log(`persisted: open loop, ${rate} msg/s offered for ${o.seconds} s`);
      latencies = [];
      arrived = 0;
      started.clear();
      const total = rate * o.seconds;
      const start = performance.now();
      let outstanding = 0;
      for (let i = 0; i < total; i++) {
        const due = start + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        if (outstanding >= 4000) continue;
        const content = `o${rate}-${i}`;
        started.set(content, due);
        outstanding++;
        void sendOne(content).then(() => outstanding--);
      }
      await settle(total);
      const s = stats(latencies);
      openLoop.push({
        offered: rate,
        delivered: arrived,
        perSecond: arrived / ((lastArrival - start) / 1000),
        p50: s.p50,
        p99: s.p99,
        lost: total - arrived,
      });
      await sleep(500);
    }
    return { closedLoop, openLoop };
  } finally {
    ws.close();
  }
}
