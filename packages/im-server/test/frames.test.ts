/**
 * Pushed frames are written as whole WebSocket frames made once per push (`encodeFrame`):
 * a real ws client reads each of the three length forms of the header (7-bit, 16-bit and
 * 64-bit lengths) and multi-byte UTF-8 intact, in order with ws's own frames (the login ack).
 */
import { describe, expect, it } from 'vitest';
import { Cmd } from '@box-im/im-common';
import { encodeFrame, framePayload } from '../src/frames';
import { busWorlds, signToken, useNodes } from './support';

describe('encodeFrame', () => {
  it('writes the FIN text header with the payload length in its three forms', () => {
    for (const [size, head] of [
      [20, 2],
      [125, 2],
      [126, 4],
      [65_535, 4],
      [65_536, 10],
    ] as const) {
      const text = 'x'.repeat(size - '{"cmd":4,"data":""}'.length);
      const frame = encodeFrame(4, text);
      expect(frame.length).toBe(head + size);
      expect(frame[0]).toBe(0x81);
      expect(framePayload(frame).toString('utf8')).toBe(JSON.stringify({ cmd: 4, data: text }));
    }
  });
});

describe.each(busWorlds())('pushed frames on the $name bus', ({ create }) => {
  const f = useNodes(create, 1);

  it('reach a client intact at every header length, multi-byte text included', async () => {
    const [alice, bob] = [await f.open(f.nodes[0]!), await f.open(f.nodes[0]!)];
    await alice.login(await signToken(1, 0));
    await bob.login(await signToken(2, 0));
    const contents = [10, 120, 130, 5_000, 70_000, 200_000].map((n) => '消息 ✓ '.repeat(Math.ceil(n / 10)));
    for (const [i, content] of contents.entries()) {
      await f.im.sendGroupMessage({
        sender: { id: 3, terminal: 0 },
        recvIds: [1, 2],
        sendResult: false,
        data: { i, content },
      });
    }
    for (const client of [alice, bob]) {
      for (const [i, content] of contents.entries()) {
        expect(await client.nextFrame()).toEqual({ cmd: Cmd.GROUP_MESSAGE, data: { i, content } });
      }
    }
  });
});
