import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMClient } from '@box-im/im-client';
import { busWorlds, signToken, TestClient, type BusWorld, type TestNode } from './support';

/** Deterministic PRNG (mulberry32), so a failing run can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Junk = { text: string } | { bytes: Buffer; binary: boolean };

function junkFrames(count: number, random: () => number, validToken: string): Junk[] {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const nested = (depth: number): unknown =>
    depth === 0
      ? pick([null, 1e308, -0, 'x', true, []])
      : { [`k${depth}`]: [nested(depth - 1), nested(depth - 1)] };
  const makers: (() => Junk)[] = [
    () => ({ bytes: bytes(1 + Math.floor(random() * 64)), binary: true }),
    () => ({ bytes: bytes(1 + Math.floor(random() * 64)), binary: false }), // invalid UTF-8 text
    () => ({ text: bytes(16).toString('base64') }),
    () => ({ text: JSON.stringify([0, 1, 2]) }),
    () => ({ text: JSON.stringify({ cmd: pick([1e308, -1, 2 ** 53 + 1, 1.5, '0', null, 6, 99]) }) }),
    () => ({ text: JSON.stringify({ cmd: pick([2, 3, 4, 5]), data: nested(3) }) }),
    () => ({ text: JSON.stringify({ cmd: 1, data: nested(4), junk: nested(2) }) }),
    () => ({
      text: JSON.stringify({
        cmd: 0,
        data: pick([null, 1, 'x', [], { accessToken: 5 }, { accessToken: 'x.y.z' }]),
      }),
    }),
    () => ({ text: JSON.stringify({ cmd: 0, data: { accessToken: validToken, devId: nested(2) } }) }),
    () => ({ text: pick(['', 'null', '"str"', '{', '}{', '{"cmd":', 'NaN']) }),
  ];
  return Array.from({ length: count }, () => pick(makers)());
}

/** Reads frames until the heartbeat pong, or until the socket closes. */
async function pongOrClose(client: TestClient): Promise<'pong' | 'closed'> {
  for (;;) {
    const frame = await Promise.race([client.nextFrame(), client.closed.then(() => null)]);
    if (frame === null) return 'closed';
    if (frame.cmd === 1) return 'pong';
  }
}

describe.each(busWorlds())('fuzzing a push node on the $name bus', ({ create }) => {
  let world: BusWorld;
  let node: TestNode;
  let im: IMClient;
  const clients: TestClient[] = [];

  beforeEach(async () => {
    world = create();
    node = await world.startNode({ maxPayloadBytes: 4096 });
    im = new IMClient({ bus: await world.connect(), appName: 'im-platform' });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await world.dispose();
  });

  it('survives 500 malformed frames while another user keeps receiving pushes', async () => {
    const victim = await TestClient.connect(node.url, 1, 0);
    clients.push(victim);
    const random = prng(20240601);
    const frames = junkFrames(500, random, await signToken(2, 1));
    let attacker = await TestClient.connect(node.url, 2, 0);
    clients.push(attacker);
    let reconnects = 0;
    let seq = 0;
    for (const [i, frame] of frames.entries()) {
      if ('text' in frame) attacker.ws.send(frame.text);
      else attacker.ws.send(frame.bytes, { binary: frame.binary });
      // A heartbeat after each junk frame proves the node has handled it (frames are
      // handled in order); a frame that got the socket closed means: reconnect.
      attacker.send({ cmd: 1, data: {} });
      if ((await pongOrClose(attacker)) === 'closed') {
        attacker = await TestClient.connect(node.url, 2, 0);
        clients.push(attacker);
        reconnects++;
      }
      if (i % 25 === 0) {
        await im.sendSystemMessage({ recvIds: [1], data: { seq: ++seq } });
        expect(await victim.nextFrame()).toEqual({ cmd: 5, data: { seq } });
      }
    }
    // Finally an oversize frame: the node closes that socket with 1009 (message too big).
    attacker.ws.send('x'.repeat(8192));
    expect((await attacker.waitForClose()).code).toBe(1009);

    await im.sendSystemMessage({ recvIds: [1], data: { seq: ++seq } });
    expect(await victim.nextFrame()).toEqual({ cmd: 5, data: { seq } });
    expect(victim.isOpen).toBe(true);
    const newcomer = await TestClient.connect(node.url, 3, 2);
    clients.push(newcomer);
    console.log(`fuzz: 500 frames, ${reconnects} attacker reconnects, ${seq} pushes delivered`);
  });
});
