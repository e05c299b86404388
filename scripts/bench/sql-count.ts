/**
 * Counts the SQL statements one persisted private send causes (HTTP send → stored → pushed →
 * delivered), by statement text, with the CPU µs each took (better-sqlite3 statements counted
 * as they run; BEGIN/COMMIT of group-commit batches included): `npx tsx
 * scripts/bench/sql-count.ts [messages]` (needs `npm run build:backend`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startStandalone } from '@box-im/im-standalone';
import { connect, newUser } from './lib';

const n = Number(process.argv[2] ?? 50);
const counts = new Map<string, number>();
let counting = false;
const require = createRequire(import.meta.url);
const times = new Map<string, number>();
const stmtProto = Object.getPrototypeOf(
  new (require('better-sqlite3'))(':memory:').prepare('select 1'),
) as Record<string, (...a: unknown[]) => unknown>;
for (const m of ['run', 'all', 'get']) {
  const f = stmtProto[m]!;
  stmtProto[m] = function (this: { source: string }, ...args: unknown[]) {
    if (!counting) return f.apply(this, args);
    counts.set(this.source, (counts.get(this.source) ?? 0) + 1);
    const t = process.cpuUsage();
    try {
      return f.apply(this, args);
    } finally {
      const key = this.source.replace(/\s+/g, ' ').slice(0, 60);
      const c = process.cpuUsage(t);
      times.set(key, (times.get(key) ?? 0) + c.user + c.system);
    }
  };
}
const running = await startStandalone({
  port: 0,
  dataDir: mkdtempSync(join(tmpdir(), 'im-sqlcount-')),
  env: { HOST: '127.0.0.1', LOG_LEVEL: 'warn', LOG_PRETTY: 'false', RATE_LIMIT: 'off' },
});
const a = await newUser(running.url, 'qa');
const b = await newUser(running.url, 'qb');
await a.api.post(`/friend/add?friendId=${b.id}`);
let got = 0;
const ws = await connect(running.url, b.token, (f) => {
  if (f.cmd === 3 && f.data?.type === 0) got++;
});
const send = (i: number) =>
  a.api.post('/message/private/send', { tmpId: `w${i}`, recvId: b.id, content: `warm ${i}`, type: 0 });
for (let i = 0; i < 5; i++) await send(i);
await new Promise((r) => setTimeout(r, 300));
counting = true;
const cpu0 = process.cpuUsage();
for (let i = 0; i < n; i++) {
  await a.api.post('/message/private/send', { tmpId: `m${i}`, recvId: b.id, content: `hello ${i}`, type: 0 });
}
while (got < n + 5) await new Promise((r) => setTimeout(r, 10));
await new Promise((r) => setTimeout(r, 300));
counting = false;
const cpu = process.cpuUsage(cpu0);
let total = 0;
for (const [sql, c] of [...counts].sort((x, y) => y[1] - x[1])) {
  total += c;
  console.log((c / n).toFixed(2).padStart(6), sql.replace(/\s+/g, ' ').slice(0, 220));
}
for (const [k, v] of [...times].sort((x, y) => y[1] - x[1]))
  console.log('µs/msg', (v / n).toFixed(0).padStart(6), k);
console.log(
  `statements per message: ${(total / n).toFixed(2)}; process CPU per message (client included): ${((cpu.user + cpu.system) / n).toFixed(0)} µs`,
);
ws.close();
await running.close();
process.exit(0);
