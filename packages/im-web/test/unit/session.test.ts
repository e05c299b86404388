/**
 * The web adapter around the core's Session: frames reach the Pinia stores (and the views
 * follow), force logout and ban end the session through the user-facing dialogs. The sync
 * rules themselves are tested in the core.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { nextTick } from 'vue';
import { MessageStatus as S, MessageType as T, type PrivateMessageVO } from '@box-im/im-common';
import { FakeWebSocket } from './fake-websocket';

const ME = {
  id: 1,
  userName: 'me',
  nickName: 'Me',
  sex: 0,
  type: 1,
  signature: '',
  headImage: '',
  headImageThumb: '',
  online: null,
  isBanned: false,
  reason: '',
};
const pulls = vi.hoisted(() => ({ privates: [] as unknown[] }));

vi.mock('../../src/api', () => ({
  api: new Proxy(
    {
      self: () => Promise.resolve(ME),
      offlinePrivate: () => Promise.resolve(pulls.privates.splice(0)),
      maxReadedId: () => Promise.resolve(0),
    } as Record<string, unknown>,
    { get: (target, key: string) => target[key] ?? (() => Promise.resolve([])) },
  ),
}));
const alerts = vi.hoisted(() => [] as string[]);
vi.mock('../../src/composables/dialogs', () => ({
  alert: (text: string) => {
    alerts.push(text);
    return Promise.resolve();
  },
}));

const { startSession, onExit, wsState } = await import('../../src/composables/session');
const { useChatStore } = await import('../../src/stores/chat');
const { useFriendStore } = await import('../../src/stores/friend');
const { useUserStore } = await import('../../src/stores/user');
const { tokens } = await import('../../src/api/token');

const pm = (p: Partial<PrivateMessageVO>): PrivateMessageVO => ({
  id: 1,
  sendId: 2,
  recvId: ME.id,
  content: 'hi',
  type: T.TEXT,
  status: S.PENDING,
  sendTime: 1000,
  ...p,
});
const settle = async () => {
  for (let i = 0; i < 50; i++) await Promise.resolve();
};

async function connected() {
  await startSession();
  const ws = FakeWebSocket.last();
  ws.onopen!();
  ws.recv({ cmd: 0, data: null });
  await settle();
  return ws;
}

describe('web session adapter', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    sessionStorage.clear();
    localStorage.clear();
    tokens.save({ accessToken: 'tok', refreshToken: 'ref' }, false);
    vi.stubGlobal('WebSocket', FakeWebSocket);
    alerts.length = 0;
  });
  afterEach(() => vi.unstubAllGlobals());

  it('logs in on the page host, pulls, and routes frames into the stores', async () => {
    pulls.privates.push(pm({ id: 4, content: 'while away' }));
    const ws = await connected();
    expect(ws.url).toMatch(/^ws:\/\/.+\/im$/);
    expect(ws.frames()[0]).toMatchObject({ cmd: 0, data: { accessToken: 'tok' } });
    expect(wsState.value).toBe('open');
    const chat = useChatStore();
    const friends = useFriendStore();
    ws.recv({
      cmd: 3,
      data: pm({
        id: 0,
        type: T.FRIEND_NEW,
        content: JSON.stringify({ id: 2, nickName: 'Bob', headImage: '', isDnd: false, deleted: false }),
      }),
    });
    ws.recv({ cmd: 3, data: pm({ id: 5, content: 'live' }) });
    await nextTick();
    expect(friends.friends.map((f) => f.nickName)).toEqual(['Bob']);
    expect(chat.list.map((c) => c.showName)).toEqual(['Bob']);
    expect(chat.get('PRIVATE', 2)!.messages.map((m) => m.content)).toEqual(['while away', 'live']);
    expect(chat.totalUnread).toBe(2);
    expect(chat.privateMaxId).toBe(5);
  });

  it('force logout: the user is told, then logged out and sent to the login page', async () => {
    const exit = vi.fn();
    onExit(exit);
    const ws = await connected();
    ws.recv({ cmd: 2, data: '您已在其他地方登录，将被强制下线' });
    await settle();
    expect(ws.closed).toBe(3000);
    expect(alerts).toHaveLength(1);
    expect(exit).toHaveBeenCalledTimes(1);
    expect(useUserStore().user).toBeNull();
    expect(tokens.accessToken()).toBeNull();
    expect(wsState.value).toBe('closed');
  });

  it('ban: the reason is shown and the session ends', async () => {
    const exit = vi.fn();
    onExit(exit);
    const ws = await connected();
    ws.recv({ cmd: 5, data: { id: 1, type: T.USER_BANNED, content: 'spam', sendTime: 1 } });
    await settle();
    expect(alerts[0]).toContain('spam');
    expect(exit).toHaveBeenCalledTimes(1);
    expect(FakeWebSocket.last().closed).toBe(3000);
  });
});
