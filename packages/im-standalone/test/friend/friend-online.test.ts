/**
 * `/friend/list` and `/friend/find` carry `online`, `onlineWeb`, `onlineApp` (issue 9, item 15):
 * box-im's Vue 2 client sets them later and cannot react to keys that were absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '@box-im/im-process/testing';
import { startTestServer, type TestServer } from '../../testing';

type Flags = { id: number; online: boolean; onlineWeb: boolean; onlineApp: boolean; deleted: boolean };

describe('friend online flags', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  it('lists every friend with its flags: false when offline, the real terminals when online', async () => {
    const alice = await t.newUser('alice');
    const [bob, carol, dave] = [await t.newUser('bob'), await t.newUser('carol'), await t.newUser('dave')];
    for (const f of [bob, carol, dave]) await t.befriend(alice, f);
    await alice.api.delete(`/friend/delete/${dave.id}`);

    const list = async () => {
      const res = await alice.api.get<Flags[]>('/friend/list');
      expect(res.code, res.message).toBe(200);
      return new Map(res.data!.map((f) => [f.id, f]));
    };
    const offline = { online: false, onlineWeb: false, onlineApp: false };
    let friends = await list();
    for (const f of [bob, carol]) expect(friends.get(f.id)).toMatchObject(offline);
    expect(friends.get(dave.id)).toMatchObject({ deleted: true, ...offline });

    const bobWeb = await bob.socket();
    const carolApp = await (await carol.onTerminal(1)).socket();
    const daveWeb = await dave.socket();
    friends = await list();
    expect(friends.get(bob.id)).toMatchObject({ online: true, onlineWeb: true, onlineApp: false });
    expect(friends.get(carol.id)).toMatchObject({ online: true, onlineWeb: false, onlineApp: true });
    expect(friends.get(dave.id)).toMatchObject(offline); // no longer a friend: not told
    const found = await alice.api.get<Flags>(`/friend/find/${carol.id}`);
    expect(found.data).toMatchObject({ id: carol.id, online: true, onlineApp: true });

    bobWeb.close();
    await until(async () => (await list()).get(bob.id)!.online === false);
    expect((await list()).get(bob.id)).toMatchObject(offline);
    carolApp.close();
    daveWeb.close();
  });
});
