/**
 * A batch of push jobs taken in one pop is written in one pass (each socket's frames of the
 * pass leave in one writev, see write-batch.ts): every receiver still gets each of its frames,
 * whole and in job order, a malformed item in the middle is dropped, and results and
 * not-found receivers are reported per job as before.
 */
import { describe, expect, it } from 'vitest';
import { Cmd, RedisKey, SendCode, type IMCompactRecvInfo, type IMSendResult } from '@box-im/im-common';
import { busWorlds, until, useNodes, type TestClient } from './support';

const job = (recvPairs: number[], data: unknown, sendResult = false): string =>
  JSON.stringify({
    cmd: Cmd.GROUP_MESSAGE,
    sender: { id: 1, terminal: 0 },
    recvPairs,
    sendResult,
    ...(sendResult ? { serviceName: 'im-platform' } : {}),
    data,
  } satisfies IMCompactRecvInfo);

describe.each(busWorlds())('a batch of push jobs on the $name bus', ({ create }) => {
  const f = useNodes(create, 1);

  it('reaches every receiver in job order, drops the malformed item, reports per job', async () => {
    const node = f.nodes[0]!;
    const [alice, bob] = [await f.connect(node, 11, 0), await f.connect(node, 12, 0)];
    const results: IMSendResult[] = [];
    f.im.onGroupResult((batch) => void results.push(...batch));
    const big = '大'.repeat(30_000); // a 16-bit-length frame between small ones
    await node.bus.push(RedisKey.groupMessageQueue(node.server.serverId), [
      job([11, 0, 12, 0], 'm0'),
      '{"cmd":4,"recvPairs":[11',
      job([11, 0], big),
      JSON.stringify({ cmd: Cmd.GROUP_MESSAGE, recvPairs: [12], sendResult: false, data: 'odd pairs' }),
      job([12, 0, 11, 0], 'm2'),
      job([11, 0, 99, 0], 'm3', true),
    ]);
    const frames = (data: unknown[]) => data.map((d) => ({ cmd: Cmd.GROUP_MESSAGE, data: d }));
    for (const expected of frames(['m0', big, 'm2', 'm3'])) expect(await alice.nextFrame()).toEqual(expected);
    for (const expected of frames(['m0', 'm2'])) expect(await bob.nextFrame()).toEqual(expected);
    await until(() => results.length >= 2);
    const codes = results.map((r) => [r.receiver.id, r.code]).sort(([a], [b]) => Number(a) - Number(b));
    expect(codes).toEqual([
      [11, SendCode.SUCCESS],
      [99, SendCode.NOT_FIND_CHANNEL],
    ]);
    const pushed = (c: TestClient) => c.received.filter((f) => f.cmd === Cmd.GROUP_MESSAGE);
    expect(pushed(alice)).toHaveLength(4);
    expect(pushed(bob)).toHaveLength(2);
  });

  it('holds no more than the send-buffer bound: a reader is not cut for a batch larger than it', async () => {
    await f.nodes[0]!.close();
    const node = await f.world.startNode({ sendBufferBytes: 16 * 1024 });
    const reader = await f.connect(node, 21, 0);
    const text = 'y'.repeat(4 * 1024);
    const jobs = Array.from({ length: 20 }, (_, i) => job([21, 0], `${i}:${text}`));
    await node.bus.push(RedisKey.groupMessageQueue(node.server.serverId), jobs);
    for (let i = 0; i < jobs.length; i++) {
      expect(await reader.nextFrame()).toEqual({ cmd: Cmd.GROUP_MESSAGE, data: `${i}:${text}` });
    }
    expect(node.server.connectionCount).toBe(1);
  });
});
