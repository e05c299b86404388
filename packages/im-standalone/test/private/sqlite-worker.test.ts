/**
 * The standalone server on a SQLite file with its statements in the SQLite worker thread
 * (`SQLITE_WORKER=on`): messages sent concurrently are stored and pushed live, a receiver who
 * was offline pulls what it missed, and after a clean stop a restart on the same file finds
 * everything (migrations ran through the worker; the worker's close flushed the database).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing';
import { S, T, collect, eventually, friends, rows, text, type Msg } from './support';

const WORKER = { SQLITE_WORKER: 'on' };

describe('standalone on a SQLite file with the SQLite worker', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'im-sqlite-worker-'));
  let t: TestServer | undefined;
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends, stores and pushes; an offline receiver pulls the rest; a restart finds it all', async () => {
    t = await startTestServer({ dataDir, env: WORKER });
    expect(t.running.ctx.db.workerCpuMicros).toBeDefined();
    const [alice, bob] = await friends(t);

    const socket = await bob.socket();
    const live = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        alice.api.post('/message/private/send', text(bob.id, `live ${i}`, `w-live-${i}`)),
      ),
    );
    const liveIds = live.map((r) => (r.data as Msg).id);
    expect(new Set(liveIds).size).toBe(40);
    const pushed = await collect(socket, 40);
    expect(pushed.map((m) => m.id).sort((x, y) => x - y)).toEqual([...liveIds].sort((x, y) => x - y));
    await eventually(async () =>
      (await rows(t!, alice.id, bob.id))
        .filter((r) => liveIds.includes(r.id))
        .every((r) => r.status === S.DELIVERED),
    );
    socket.close();

    const offline: number[] = [];
    for (let i = 0; i < 20; i++)
      offline.push(
        ((await alice.api.post('/message/private/send', text(bob.id, `off ${i}`, `w-off-${i}`))).data as Msg)
          .id,
      );
    // A retried tmpId is answered with the stored message, not stored twice.
    const retried = (await alice.api.post('/message/private/send', text(bob.id, 'off 0', 'w-off-0')))
      .data as Msg;
    expect(retried.id).toBe(offline[0]);
    const minId = Math.max(...liveIds);
    // The pull also carries the still-pending "you are now friends" tip: the chat texts only.
    const pulled = (
      (await bob.api.get(`/message/private/loadOfflineMessage?minId=${minId}`)).data as Msg[]
    ).filter((m) => m.type === T.TEXT);
    expect(pulled.map((m) => m.id)).toEqual(offline);
    expect(pulled.map((m) => m.content)).toEqual(offline.map((_, i) => `off ${i}`));

    await t.close();
    t = await startTestServer({ dataDir, env: WORKER });
    const stored = await rows(t, alice.id, bob.id);
    const sent = new Set([...liveIds, ...offline]);
    expect(stored.filter((r) => sent.has(r.id)).map((r) => r.content)).toEqual([
      ...[...liveIds].sort((x, y) => x - y).map((id) => pushed.find((m) => m.id === id)!.content),
      ...offline.map((_, i) => `off ${i}`),
    ]);
    expect(stored.filter((r) => r.tmp_id?.startsWith('w-'))).toHaveLength(60);
  });
});
