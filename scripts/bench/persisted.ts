/**
 * Scenario (3) of issue 13: persisted 1:1 messages end to end on the standalone server
 * (HTTP `POST /message/private/send` → stored → the receiver's WebSocket frame), driven from
 * this process (the server runs in its own). Closed loop first (`inFlight` requests kept
 * outstanding for `seconds`): the max sustained rate. Then open loop at each offered rate:
 * requests start on schedule whatever the server does (at most 4,000 outstanding), latency from
 * the scheduled start to the frame, so an overloaded server shows its queueing.
 *
 * `senders` pairs (sender → its own receiver) share the load, request i going to pair
 * i mod senders: one pair orders every message behind the previous one (one user's writes are
 * serial), many pairs are what a real server sees. CPU per message is counted for the server
 * process and, when `probe.services` is given, for the database and Redis processes too.
 */
import { connect, newUser, stats, type BenchUser } from './lib';
import { createSender, type SenderKind } from './persisted-sender';
import { startStallProbe } from './stall-probe';

const clientProbe = process.env['BENCH_STALLS'] ? startStallProbe('client') : undefined;

/** What the server process reports: its CPU time and its group commit's batches so far. */
export interface ServerSample {
  micros: number;
  batches?: number;
  writes?: number;
}

export interface PersistedProbe {
  server: () => Promise<ServerSample>;
  /** CPU time of the database and Redis processes (µs), when they run on this machine. */
  services?: () => number;
  /** Diagnostic: called as each open loop starts and ends (BENCH_STALLS). */
  phase?: (name: string) => Promise<void>;
}

export interface PersistedFigures {
  closedLoop: {
    senders: number;
    inFlight: number;
    perSecond: number;
    p50: number;
    p99: number;
    serverCpuPerMessage: number;
    /** Database + Redis CPU per message (µs), when measured. */
    servicesCpuPerMessage?: number;
    /** Group-commit transactions and the message writes in them during the closed loop. */
    batches?: number;
    writes?: number;
  };
  openLoop: {
    offered: number;
    delivered: number;
    perSecond: number;
    p50: number;
    p99: number;
    lost: number;
    /** CPU µs of this (the load) process per message offered: sending it and receiving its frame. */
    clientCpuPerMessage: number;
    /** p99 of how late (ms) this process started a send after its scheduled time. */
    sendLagP99: number;
    /** p99 (ms) from the scheduled time to the HTTP answer (stored), beside `p99` (to the frame). */
    answeredP99: number;
    /** Sends that failed or were not answered with code 200. */
    failed: number;
  }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function persistedScenario(
  url: string,
  probe: PersistedProbe,
  o: {
    rates: number[];
    seconds: number;
    inFlight: number;
    senders?: number;
    /** Seconds of the same closed loop first, not measured (a server in service is warm). @default 0 */
    warmupSeconds?: number;
    /** How requests are sent (see persisted-sender.ts). @default 'http' */
    sender?: SenderKind;
  },
  log: (line: string) => void,
): Promise<PersistedFigures> {
  const senders = o.senders ?? 1;
  const started = new Map<string, number>();
  let latencies: number[] = [];
  const slowAt: number[][] = [];
  let arrived = 0;
  let lastArrival = 0;
  const onFrame = (f: { cmd: number; data: any }) => {
    if (f.cmd !== 3 || f.data?.type !== 0) return;
    const t0 = started.get(f.data.content as string);
    if (t0 === undefined) return;
    started.delete(f.data.content as string);
    lastArrival = performance.now();
    latencies.push(lastArrival - t0);
    if (lastArrival - t0 > 20) slowAt.push([performance.timeOrigin + t0, lastArrival - t0]);
    arrived++;
  };
  const pairs: { a: BenchUser; b: BenchUser }[] = [];
  const sockets: Awaited<ReturnType<typeof connect>>[] = [];
  for (let i = 0; i < senders; i++) {
    const [a, b] = [await newUser(url, 'sa'), await newUser(url, 'sb')];
    await a.api.post(`/friend/add?friendId=${b.id}`);
    pairs.push({ a, b });
    sockets.push(await connect(url, b.token, onFrame));
  }
  const sender = createSender(
    o.sender ?? 'http',
    url,
    pairs.map(({ a, b }) => ({ token: a.token, recvId: b.id })),
  );
  // Fixed-width contents: one body length per sender, so one header object per sender.
  const contentOf = (prefix: string, i: number) => `${prefix}${String(i).padStart(8, '0')}`;
  let turn = 0;
  const sendOne = (content: string) => {
    const pair = turn++ % senders;
    return sender.send(pair, sender.body(pair, content));
  };
  const settle = async (expected: number) => {
    const deadline = Date.now() + 30_000;
    while (arrived < expected && Date.now() < deadline) await sleep(10);
  };

  /** `inFlight` senders back to back for `seconds`; contents (tmpIds) start with `prefix`. */
  const runClosedLoop = async (seconds: number, prefix: string) => {
    const t0 = performance.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: o.inFlight }, async () => {
        while (performance.now() - t0 < seconds * 1000) {
          const content = contentOf(prefix, sent++);
          started.set(content, performance.now());
          await sendOne(content);
        }
      }),
    );
    await settle(sent);
    return t0;
  };

  try {
    if (o.warmupSeconds) {
      log(`persisted: warm-up, ${o.inFlight} in flight for ${o.warmupSeconds} s (not measured)`);
      await runClosedLoop(o.warmupSeconds, 'w');
      latencies = [];
      arrived = 0;
      started.clear();
    }
    log(`persisted: closed loop, ${o.inFlight} in flight over ${senders} sender(s), ${o.seconds} s`);
    const s0 = await probe.server();
    const services0 = probe.services?.();
    const t0 = await runClosedLoop(o.seconds, 'c');
    const s1 = await probe.server();
    const services1 = probe.services?.();
    const closed = stats(latencies);
    const perMessage = (micros: number) => micros / Math.max(1, arrived);
    const closedLoop: PersistedFigures['closedLoop'] = {
      senders,
      inFlight: o.inFlight,
      perSecond: arrived / ((lastArrival - t0) / 1000),
      p50: closed.p50,
      p99: closed.p99,
      serverCpuPerMessage: perMessage(s1.micros - s0.micros),
      ...(services0 !== undefined && services1 !== undefined
        ? { servicesCpuPerMessage: perMessage(services1 - services0) }
        : {}),
      ...(s1.batches !== undefined && s0.batches !== undefined
        ? { batches: s1.batches - s0.batches, writes: s1.writes! - s0.writes! }
        : {}),
    };

    const openLoop: PersistedFigures['openLoop'] = [];
    for (const rate of o.rates) {
      log(`persisted: open loop, ${rate} msg/s offered for ${o.seconds} s`);
      latencies = [];
      slowAt.length = 0;
      arrived = 0;
      started.clear();
      const total = rate * o.seconds;
      // Everything a send needs is built before the clock starts: the loop below only schedules.
      const contents = Array.from({ length: total }, (_, i) => contentOf(`o${rate}-`, i));
      const bodies = contents.map((c, i) => sender.body(i % senders, c));
      await probe.phase?.('start');
      clientProbe?.dump();
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      let outstanding = 0;
      let failed = 0;
      // How late this process hands each request to the socket layer: its own share of the tail.
      const lag = new Float64Array(total);
      // When each HTTP answer came (the message is stored then; its frame may come before or after).
      const answered = new Float64Array(total);
      for (let i = 0; i < total; i++) {
        const due = start + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        lag[i] = performance.now() - due;
        if (outstanding >= 4000) continue;
        started.set(contents[i]!, due);
        outstanding++;
        void sender.send(i % senders, bodies[i]!).then((ok) => {
          answered[i] = performance.now() - due;
          outstanding--;
          if (!ok) failed++;
        });
      }
      await settle(total);
      const cpu = process.cpuUsage(cpu0);
      if (clientProbe) {
        // Of the slowest 1 %, those whose scheduled send fell in one of this process's stalls.
        const worst = [...slowAt].sort((x, y) => y[1]! - x[1]!).slice(0, Math.ceil(total / 100));
        const mine = worst.filter((x) => clientProbe.stalledAt(x[0]!, x[0]! + x[1]!)).length;
        console.error(`[client] slowest 1 %: ${mine} of ${worst.length} overlapped a stall of the client`);
        console.error(clientProbe.dump());
      }
      await probe.phase?.('end');
      const s = stats(latencies);
      if (process.env['BENCH_STALLS']) {
        const slow = [...started.entries()].length;
        const lat = latencies
          .map((l, i) => [l, i])
          .sort((x, y) => y[0]! - x[0]!)
          .slice(0, 8);
        console.error(
          `[client] open loop p99 ${s.p99.toFixed(1)} ms, max ${lat.map((x) => x[0]!.toFixed(1)).join(' ')} (unarrived ${slow})`,
        );
        console.error(
          `[client] slow arrivals (wall ms): ${slowAt
            .slice(0, 30)
            .map((x) => `${(x[0]! % 100000).toFixed(0)}:${x[1]!.toFixed(0)}`)
            .join(' ')}`,
        );
      }
      openLoop.push({
        offered: rate,
        delivered: arrived,
        perSecond: arrived / ((lastArrival - start) / 1000),
        p50: s.p50,
        p99: s.p99,
        lost: total - arrived,
        clientCpuPerMessage: (cpu.user + cpu.system) / total,
        sendLagP99: stats(Array.from(lag)).p99,
        answeredP99: stats(Array.from(answered)).p99,
        failed,
      });
      await sleep(500);
    }
    return { closedLoop, openLoop };
  } finally {
    sender.close();
    for (const ws of sockets) ws.close();
  }
}
