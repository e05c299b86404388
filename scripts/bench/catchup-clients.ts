/**
 * A load-generator process of the catch-up scenario (forked by backlog.ts): on `{kind:"go"}` its
 * share of the clients reconnect and pull (`loadOfflineMessage?minId=<last id>`) all at once,
 * then it answers `{kind:"result"}` with what it checked itself: lost, duplicated, failed pulls.
 * The clients come in a file: `{id, token, minId}` per line of a JSON array.
 */
import { readFileSync } from 'node:fs';
import { api, connect } from './lib';

interface Vo {
  type: number;
  content: string;
}

const url = process.env['BENCH_URL'] ?? '';
const missed = Number(process.env['BENCH_MISSED']);
const clients = JSON.parse(readFileSync(process.env['BENCH_CLIENTS_FILE'] ?? '', 'utf8')) as {
  id: number;
  token: string;
  minId: number;
}[];

async function reconnectAndPull(c: (typeof clients)[number]): Promise<Vo[] | null> {
  try {
    const ws = await connect(url, c.token, () => undefined);
    try {
      return await api(url, c.token).get<Vo[]>(`/message/private/loadOfflineMessage?minId=${c.minId}`);
    } finally {
      ws.terminate();
    }
  } catch {
    return null;
  }
}

process.on('message', (msg: { kind: string }) => {
  if (msg.kind === 'stop') process.exit(0);
  if (msg.kind !== 'go') return;
  void Promise.all(clients.map(reconnectAndPull)).then((outcomes) => {
    let lost = 0;
    let duplicated = 0;
    let failedPulls = 0;
    outcomes.forEach((pulled, i) => {
      const c = clients[i]!;
      if (pulled === null) {
        failedPulls++;
        lost += missed;
        return;
      }
      const mine = pulled.filter((m) => m.type === 0 && m.content.startsWith(`cu${c.id}-`));
      const distinct = new Set(mine.map((m) => m.content));
      duplicated += mine.length - distinct.size;
      for (let k = 0; k < missed; k++) if (!distinct.has(`cu${c.id}-${k}`)) lost++;
    });
    process.send?.({ kind: 'result', lost, duplicated, failedPulls });
  });
});
process.send?.({ kind: 'ready' });
