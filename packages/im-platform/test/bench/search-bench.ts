/**
 * `npx tsx packages/im-platform/test/bench/search-bench.ts [messages=1000000] [searches=400]`: message search
 * (issue 15) on SQLite over a database of `messages` stored messages (80 % private between
 * 10 000 users, 20 % in 200 groups of 50), Chinese text drawn from 600 common characters.
 * Searches go through MessageSearchService as the HTTP route calls it, by random users, half
 * with 2-character keywords (read through the caller's own rows) and half with 3–4-character
 * ones (FTS5 trigram); each keyword is a piece of a stored message, so searches find things.
 * Prints p50 / p95 / max per kind and overall (ms).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { migrateToLatest, openDatabase } from '../../src/db';
import { dateToText } from '../../src/db/dialects/sqlite-date-plugin';
import { createRepositories } from '../../src/repositories';
import { MessageSearchService } from '../../src/services/message-search.service';
import { QuoteReader } from '../../src/services/quotes';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const SEARCHES = Number(process.argv[3] ?? 400);
const USERS = 10_000;
const GROUPS = 200;
const GROUP_SIZE = 50;
const CHARS =
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质'.split(
    '',
  );

let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const sentence = () => Array.from({ length: 8 + Math.floor(rand() * 23) }, () => pick(CHARS)).join('');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'im-search-bench-'));
  const file = join(dir, 'im.db');
  const h = openDatabase(`sqlite:${file}`);
  await migrateToLatest(h.db as never, 'sqlite');
  await h.db.destroy();

  const started = Date.now();
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  const now = Date.now();
  const time = (i: number) => dateToText(new Date(now - (TOTAL - i) * 1000));
  const user = raw.prepare(
    "insert into im_user (id, user_name, nick_name, password, created_time) values (?, ?, ?, 'x', ?)",
  );
  const group = raw.prepare('insert into im_group (id, name, owner_id, created_time) values (?, ?, ?, ?)');
  const member = raw.prepare(
    'insert into im_group_member (group_id, user_id, user_nick_name, created_time) values (?, ?, ?, ?)',
  );
  const pm = raw.prepare(
    'insert into im_private_message (send_id, recv_id, content, type, status, send_time) values (?, ?, ?, 0, 1, ?)',
  );
  const gm = raw.prepare(
    "insert into im_group_message (group_id, send_id, send_nick_name, recv_ids, content, type, status, receipt, receipt_ok, send_time) values (?, ?, 'n', '', ?, 0, 0, 0, 0, ?)",
  );
  // Bulk load: the FTS triggers of migration 013 are dropped during the load and the FTS
  // tables rebuilt once after it (the same index the triggers would have built, much faster).
  const triggers = raw
    .prepare("select sql from sqlite_master where type = 'trigger' and name like '%_fts_%'")
    .all() as { sql: string }[];
  for (const name of raw
    .prepare("select name from sqlite_master where type = 'trigger' and name like '%_fts_%'")
    .all() as { name: string }[])
    raw.exec(`drop trigger ${name.name}`);
  const members = new Map<number, number[]>();
  raw.transaction(() => {
    for (let u = 1; u <= USERS; u++) user.run(u, `u${u}`, `user${u}`, time(0));
    for (let g = 1; g <= GROUPS; g++) {
      group.run(g, `g${g}`, g, time(0));
      const ids = Array.from({ length: GROUP_SIZE }, (_, i) => ((g * 37 + i * 191) % USERS) + 1);
      members.set(g, ids);
      for (const u of new Set(ids)) member.run(g, u, `user${u}`, time(0));
    }
  })();
  const samples: { userId: number; text: string }[] = [];
  const BATCH = 50_000;
  for (let start = 0; start < TOTAL; start += BATCH) {
    raw.transaction(() => {
      for (let i = start; i < Math.min(TOTAL, start + BATCH); i++) {
        const text = sentence();
        if (i % 5 === 4) {
          const g = 1 + Math.floor(rand() * GROUPS);
          const sender = pick(members.get(g)!);
          gm.run(g, sender, text, time(i));
          if (i % 2500 === 4) samples.push({ userId: sender, text });
        } else {
          const a = 1 + Math.floor(rand() * USERS);
          const b = 1 + ((a + Math.floor(rand() * (USERS - 1))) % USERS);
          pm.run(a, b, text, time(i));
          if (i % 2500 === 0) samples.push({ userId: a, text });
        }
      }
    })();
    if ((start + BATCH) % 200_000 === 0) console.log(`${start + BATCH} rows`);
  }
  console.log(
    `inserted ${TOTAL} rows in ${((Date.now() - started) / 1000).toFixed(0)} s; building the FTS index`,
  );
  for (const table of ['im_private_message', 'im_group_message']) {
    raw.exec(`insert into ${table}_fts(${table}_fts) values ('rebuild')`);
    // Everything is indexed now: the batch indexer's mark (migration 021) moves to the end.
    raw.exec(
      `update im_message_fts_mark set indexed_id = (select coalesce(max(id), 0) from ${table}) where table_name = '${table}'`,
    );
  }
  for (const t of triggers) raw.exec(t.sql);
  raw.close();
  console.log(`stored ${TOTAL} messages in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  const db = openDatabase(`sqlite:${file}`);
  const repos = createRepositories(db);
  const service = new MessageSearchService({
    messageSearch: repos.messageSearch,
    quotes: new QuoteReader(repos),
  });
  const timings: Record<string, number[]> = { '2 chars': [], '3-4 chars': [] };
  let found = 0;
  for (let i = 0; i < SEARCHES; i++) {
    const sample = samples[i % samples.length]!;
    const len = i % 2 === 0 ? 2 : 3 + (i % 4 === 1 ? 1 : 0);
    const at = Math.floor(rand() * (sample.text.length - len));
    const keyword = sample.text.slice(at, at + len);
    const session = { userId: sample.userId, terminal: 0, nickName: '' } as never;
    const t0 = performance.now();
    const items = await service.search(session, { keyword, page: 1, size: 20 });
    timings[len === 2 ? '2 chars' : '3-4 chars']!.push(performance.now() - t0);
    if (items.length > 0) found++;
  }
  const all = Object.values(timings).flat();
  for (const [kind, list] of [...Object.entries(timings), ['all', all] as const]) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(
      `${kind.padEnd(10)} n=${sorted.length} p50=${percentile(sorted, 50).toFixed(2)} ms p95=${percentile(sorted, 95).toFixed(2)} ms max=${sorted.at(-1)!.toFixed(2)} ms`,
    );
  }
  console.log(`searches that found something: ${found}/${SEARCHES}`);
  await db.db.destroy();
  rmSync(dir, { recursive: true, force: true });
}

void main();
