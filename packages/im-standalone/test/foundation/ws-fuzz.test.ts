/**
 * Bounded, seeded fuzz of every WebSocket command on the whole system (issue 9): each cmd
 * (0–5, unknown ones, non-integers) with wrong types, huge and negative numbers, odd
 * unicode, long strings and deep JSON, plus raw frames that are not JSON. The server must
 * answer each frame (the next heartbeat gets its pong) or close that socket, keep pushing to
 * others, keep serving the API, log nothing at error level and leave no promise rejected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { captureLogs } from '@box-im/im-process/testing';
import { startTestServer, type TestServer, type TestSocket, type TestUser } from '../../testing';

const SEED = Number(process.env['IM_FUZZ_SEED'] ?? 20261130);
const FRAMES = 1500;

function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CMDS: unknown[] = [0, 1, 2, 3, 4, 5, 6, 99, -1, 2 ** 31, 2 ** 53 + 2, 1e308, 1.5, '0', null, true, [0]];

function junk(random: () => number, token: string): string | Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const deep = (n: number): unknown => (n === 0 ? pick([1, 'x', null]) : { d: [deep(n - 1)] });
  const data = (): unknown =>
    pick([
      () => null,
      () => pick([0, -1, 1e308, -1e308, 2 ** 63, 0.5]),
      () => pick(['', 'x'.repeat(3000), '😀'.repeat(500), '\u202e\u0000\ud800', '{"cmd":0}']),
      () => deep(1 + Math.floor(random() * 80)),
      () => Array.from({ length: Math.floor(random() * 500) }, (_, i) => i),
      () => ({ accessToken: pick([5, null, [], {}, 'x.y.z', '', 'a'.repeat(5000), token]), devId: deep(3) }),
      () => ({ accessToken: token, devId: pick([null, -1, 1e308, 'ü'.repeat(200), [], {}]) }),
      () => ({ recvId: -1, groupId: 1e308, content: 'x', type: 'text', __proto__: { admin: true } }),
    ])();
  const roll = random();
  if (roll < 0.75) return JSON.stringify({ cmd: pick(CMDS), data: data() });
  if (roll < 0.85) return JSON.stringify({ cmd: pick(CMDS) }); // no data
  if (roll < 0.92)
    return pick(['', 'null', '[]', '"x"', '{', '{"cmd":', 'NaN', '{"cmd":0,"data":' + '['.repeat(3000)]);
  return Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
}

describe('WebSocket fuzz of every cmd', () => {
  let t: TestServer;
  let attacker: TestUser;
  let friend: TestUser;
  let friendSocket: TestSocket;
  const logs = captureLogs('error');
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    t = await startTestServer({ logger: logs.logger });
    attacker = await t.newUser('atk');
    friend = await t.newUser('frd');
    await t.befriend(attacker, friend);
    friendSocket = await friend.socket();
  });
  afterAll(async () => {
    friendSocket?.close();
    process.off('unhandledRejection', onRejection);
    await t?.close();
  });

  it(`answers or closes on ${FRAMES} malformed frames, and keeps serving everyone (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const token = attacker.api.accessToken!;
    const open = async () => {
      const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/im`);
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      return ws;
    };
    /** Sends a heartbeat after the frame: its pong (or the close) says the frame was handled. */
    const handled = (ws: WebSocket) =>
      new Promise<'pong' | 'closed'>((resolve) => {
        const onMessage = (raw: Buffer) => {
          try {
            if ((JSON.parse(raw.toString()) as { cmd?: number }).cmd === 1) finish('pong');
          } catch {
            /* not JSON: keep waiting */
          }
        };
        const onClose = () => finish('closed');
        const finish = (how: 'pong' | 'closed') => {
          ws.off('message', onMessage);
          ws.off('close', onClose);
          resolve(how);
        };
        ws.on('message', onMessage);
        ws.on('close', onClose);
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ cmd: 1, data: {} }));
        else finish('closed');
      });

    let ws = await open();
    let closes = 0;
    let pushes = 0;
    const started = Date.now();
    for (let i = 0; i < FRAMES; i++) {
      const frame = junk(random, token);
      if (typeof frame === 'string') ws.send(frame);
      else ws.send(frame, { binary: random() < 0.5 });
      if ((await handled(ws)) === 'closed') {
        closes++;
        ws = await open();
      }
      if (i % 50 === 0) {
        // the rest of the system goes on: the API answers and pushes arrive
        const sent = await attacker.api.post('/message/private/send', {
          recvId: friend.id,
          content: `p${i}`,
          type: 0,
        });
        expect(sent.code, sent.message).toBe(200);
        expect(
          (
            await friendSocket.next(
              (f) => f.cmd === 3 && (f.data as { content?: string }).content === `p${i}`,
            )
          ).cmd,
        ).toBe(3);
        pushes++;
      }
    }
    ws.close();
    console.log(
      `WebSocket fuzz: ${FRAMES} frames in ${Date.now() - started} ms, ${closes} sockets closed by the server, ${pushes} pushes delivered (seed ${SEED})`,
    );
    const fresh = await attacker.socket();
    fresh.close();
    expect((await attacker.api.get('/user/self')).code).toBe(200);
    expect(logs.entries.filter((e) => e.level >= 50).map((e) => e.msg)).toEqual([]);
    expect(rejections).toEqual([]);
  }, 60_000);
});
