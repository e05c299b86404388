/**
 * Child processes of the fan-out mix scenario (forked by fanmix.ts; argv[2] names the role):
 * - mix-pusher: an IMClient pushing group messages (cmd 4) to the group's members and 1:1
 *   messages (cmd 3) to one user each, on `{kind:"push", i, to?}` (`to` set: a 1:1 message);
 * - mix-clients: its share of the users logged in to the given push nodes; reports `done` for a
 *   message when every one of its sockets that should get it has it (a group message: its
 *   members; a 1:1 message: the receiver's socket), and its latencies per kind on request.
 * Both answer `{kind:"cpu"}` with their CPU in µs and `{kind:"stop"}` by exiting.
 */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { RedisBus } from '@box-im/im-bus';
import { IMClient } from '@box-im/im-client';

const role = process.argv[2];
const env = (k: string) => process.env[k] ?? '';
const send = (msg: unknown) => process.send?.(msg);
const now = () => performance.timeOrigin + performance.now();
const handlers: Record<string, (msg: any) => void> = {};
const onStop: (() => Promise<void>)[] = [];
process.on('message', (msg: { kind: string }) => {
  if (msg.kind === 'cpu') {
    const c = process.cpuUsage();
    send({ kind: 'cpu', micros: c.user + c.system });
  }
  if (msg.kind === 'stop') void Promise.allSettled(onStop.map((f) => f())).then(() => process.exit(0));
  handlers[msg.kind]?.(msg);
});

interface Data {
  i: number;
  t: number;
}

if (role === 'mix-pusher') {
  const bus = await RedisBus.connect({ url: env('BENCH_REDIS_URL'), keyPrefix: env('BENCH_KEY_PREFIX') });
  const client = new IMClient({ bus, appName: 'bench' });
  client.start();
  const members = JSON.parse(env('BENCH_MEMBERS')) as number[];
  const sender = { id: 1, terminal: 0 };
  handlers['push'] = (msg: { i: number; to?: number }) => {
    const data = { i: msg.i, t: now(), content: 'fan-out mix bench message' };
    // As the platform sends them: group messages without per-receiver results, 1:1 with them.
    void (msg.to === undefined
      ? client.sendGroupMessage({ sender, recvIds: members, sendResult: false, data })
      : client.sendPrivateMessage({ sender, recvId: msg.to, data }));
  };
  onStop.push(
    () => client.stop(),
    () => bus.close(),
  );
  send({ kind: 'ready' });
} else if (role === 'mix-clients') {
  const urls = JSON.parse(env('BENCH_URLS')) as string[];
  // `id:token` per user (tokensFile of fanout.ts takes strings).
  const users = (JSON.parse(readFileSync(env('BENCH_TOKENS_FILE'), 'utf8')) as string[]).map((line) => {
    const at = line.indexOf(':');
    return { id: Number(line.slice(0, at)), token: line.slice(at + 1) };
  });
  const memberLimit = Number(env('BENCH_MEMBER_BELOW'));
  const groupExpected = users.filter((u) => u.id < memberLimit).length;
  const counts = new Map<number, number>();
  const latencies: Record<'group' | 'private', number[]> = { group: [], private: [] };
  const onGroup = (d: Data) => {
    latencies.group.push(now() - d.t);
    const n = (counts.get(d.i) ?? 0) + 1;
    if (n === groupExpected) {
      counts.delete(d.i);
      send({ kind: 'done', i: d.i });
    } else counts.set(d.i, n);
  };
  const onPrivate = (d: Data) => {
    latencies.private.push(now() - d.t);
    send({ kind: 'done', i: d.i });
  };
  const sockets: WebSocket[] = [];
  const open = async (token: string, url: string): Promise<WebSocket> => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((ok, fail) => {
      ws.once('error', fail);
      ws.on('message', (raw) => {
        const f = JSON.parse((raw as Buffer).toString()) as { cmd: number; data: Data };
        if (f.cmd === 0) ok();
        else if (f.cmd === 4) onGroup(f.data);
        else if (f.cmd === 3) onPrivate(f.data);
      });
      ws.once('open', () => ws.send(JSON.stringify({ cmd: 0, data: { accessToken: token, devId: '' } })));
    });
    return ws;
  };
  // Batches of 100, each user on node id % nodes (the same node for a user on every run).
  for (let i = 0; i < users.length; i += 100) {
    const batch = users.slice(i, i + 100);
    sockets.push(...(await Promise.all(batch.map((u) => open(u.token, urls[u.id % urls.length]!)))));
  }
  handlers['latencies'] = () => {
    const out: Record<string, number[]> = {};
    for (const k of ['group', 'private'] as const) out[k] = latencies[k].splice(0);
    send({ kind: 'latencies', ...out });
  };
  onStop.push(() => {
    for (const s of sockets) s.close();
    return Promise.resolve();
  });
  send({ kind: 'ready', groupExpected, sockets: sockets.length });
}
