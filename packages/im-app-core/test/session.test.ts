import { describe, expect, it, vi } from 'vitest';
import { MessageType as T, type GroupMessageVO, type PrivateMessageVO } from '@box-im/im-common';
import {
  ChatBook,
  ClientStatus as S,
  createApi,
  createChatState,
  HttpClient,
  memoryStorage,
  memoryStore,
  Session,
  summarize,
  tokenStore,
  type Chat,
  type HttpRequest,
  type KvStore,
  type WsState,
} from '../src';
import { connect, deferred, FakeClock, fakeSockets, fakeTransport, settle } from './fakes';
import { friendVO, gm, labels, makeOutbox, ME, memoryContacts, msg, pm } from './helpers';

const PEER = 2;

interface Pull {
  privates: PrivateMessageVO[];
  groups: GroupMessageVO[];
}

/**
 * A session wired to a scripted server: `/user/self`, the lists and the offline pulls answer
 * from `server`; a pull may be held open with `server.gate`.
 */
function harness(opts: { kv?: KvStore; cachedUserId?: number | null } = {}) {
  const clock = new FakeClock();
  const kv = opts.kv ?? memoryStore();
  const { sockets, factory, last } = fakeSockets();
  const server = {
    pulls: [] as Pull[],
    gate: null as Promise<void> | null,
    maxReadedId: 0,
    offline: false,
  };
  const { calls, transport } = fakeTransport(async (req: HttpRequest) => {
    if (server.offline) throw new Error('offline');
    const path = req.url.replace(/^\/api/, '').split('?')[0] ?? '';
    switch (path) {
      case '/user/self':
        return { code: 200, data: { id: ME, nickName: 'Me' } };
      case '/message/private/loadOfflineMessage':
      case '/message/group/loadOfflineMessage': {
        if (server.gate) await server.gate;
        const pull = server.pulls[0] ?? { privates: [], groups: [] };
        if (path.startsWith('/message/group')) server.pulls.shift();
        return { code: 200, data: path.startsWith('/message/private') ? pull.privates : pull.groups };
      }
      case '/message/private/maxReadedId':
        return { code: 200, data: server.maxReadedId };
      case '/message/private/send':
        return {
          code: 200,
          data: { ...JSON.parse(req.body!), id: 500, sendId: ME, status: S.PENDING, sendTime: 1 },
        };
      default:
        return { code: 200, data: null };
    }
  });
  const tokens = tokenStore(memoryStorage(), memoryStorage());
  tokens.save({ accessToken: 'tok', refreshToken: 'ref' });
  const http = new HttpClient({ baseUrl: '/api', transport, tokens });
  const api = createApi(http, { terminal: 0 });
  const book = new ChatBook(createChatState(), { clock, kv, summarize: (m) => summarize(m, labels) });
  const outbox = makeOutbox(api, book, clock);
  const contacts = memoryContacts();
  let watching: Chat | null = null;
  const host = {
    me: () => ME,
    contacts,
    isWatching: (c: Chat) => c === watching,
    cachedUserId: () => opts.cachedUserId ?? null,
    loadProfile: vi.fn(async () => {
      await api.self();
      return ME;
    }),
    loadLists: vi.fn(() => Promise.resolve()),
  };
  const states: WsState[] = [];
  const events = {
    onCacheReady: vi.fn(),
    onWsState: (s: WsState) => void states.push(s),
    onReconnected: vi.fn(),
    onForceLogout: vi.fn(),
    onBanned: vi.fn(),
    onIncoming: vi.fn(),
  };
  const session = new Session({
    api,
    book,
    outbox,
    tokens,
    host,
    events,
    clock,
    random: () => 0.5,
    url: 'ws://x/im',
    socket: factory,
  });
  const paths = () => calls.map((c) => c.url);
  const watch = (c: Chat | null) => {
    watching = c;
    book.activate(c ? `${c.type}-${c.targetId}` : null);
  };
  return {
    session,
    book,
    outbox,
    clock,
    sockets,
    last,
    server,
    calls,
    paths,
    host,
    events,
    states,
    contacts,
    watch,
    kv,
  };
}

describe('Session start', () => {
  it('shows the cached chats before any network call, then profile, lists and the socket', async () => {
    const kv = memoryStore();
    const first = harness({ kv });
    await first.book.load(ME);
    first.book.insert(
      first.book.open('PRIVATE', PEER, { showName: 'Bob', headImage: '' }),
      [msg({ id: 40 })],
      ME,
    );
    await first.book.flush();

    const h = harness({ kv, cachedUserId: ME });
    h.server.offline = true;
    let callsBefore = -1;
    h.events.onCacheReady.mockImplementation(() => (callsBefore = h.calls.length));
    await h.session.start();
    expect(callsBefore).toBe(0);
    expect(h.events.onCacheReady).toHaveBeenCalledTimes(1);
    expect(h.book.get('PRIVATE', PEER)!.messages.map((m) => m.id)).toEqual([40]);
    // offline at start with a cached profile: the session goes on and the socket retries
    expect(h.sockets).toHaveLength(1);
    expect(h.host.loadLists).toHaveBeenCalledTimes(1);
  });

  it('without a cached profile, a failing /user/self fails the start', async () => {
    const h = harness();
    h.server.offline = true;
    await expect(h.session.start()).rejects.toThrow('offline');
    expect(h.sockets).toHaveLength(0);
  });
});

describe('Session sync on login ack', () => {
  it('holds live frames while the offline pull runs, then applies them in order without duplicates', async () => {
    const h = harness();
    const gate = deferred<void>();
    h.server.gate = gate.promise;
    h.server.pulls.push({
      privates: [
        pm({ id: 10, content: 'p10' }),
        pm({ id: 11, content: 'p11' }),
        pm({ id: 12, content: 'p12' }),
      ],
      groups: [gm({ id: 7, content: 'g7' }), gm({ id: 6, content: 'g6' })],
    });
    await h.session.start();
    const s = connect(h.last);
    await settle();
    expect(h.book.state.loading).toBe(true);
    expect(h.paths()).toContain('/api/message/private/loadOfflineMessage?minId=0');
    // live frames during the pull: one already in the pull, newer ones, and one out of order
    s.recv({ cmd: 3, data: pm({ id: 12, content: 'p12' }) });
    s.recv({ cmd: 3, data: pm({ id: 14, content: 'p14' }) });
    s.recv({ cmd: 3, data: pm({ id: 13, content: 'p13' }) });
    s.recv({ cmd: 4, data: gm({ id: 8, content: 'g8' }) });
    expect(h.book.get('PRIVATE', PEER)).toBeUndefined();
    gate.resolve();
    await h.session.whenSynced();
    expect(h.book.state.loading).toBe(false);
    const p = h.book.get('PRIVATE', PEER)!;
    expect(p.messages.map((m) => m.content)).toEqual(['p10', 'p11', 'p12', 'p13', 'p14']);
    expect(p.unreadCount).toBe(5);
    const g = h.book.get('GROUP', 9)!;
    expect(g.messages.map((m) => m.content)).toEqual(['g6', 'g7', 'g8']);
    // only live news make a sound: 14, 13 and 8 (12 came with the pull)
    expect(h.events.onIncoming.mock.calls.map(([, m]) => (m as { id: number }).id)).toEqual([14, 13, 8]);
    expect([h.book.state.privateMaxId, h.book.state.groupMaxId]).toEqual([14, 8]);
    // afterwards frames go straight through
    s.recv({ cmd: 3, data: pm({ id: 15, content: 'p15' }) });
    expect(p.messages).toHaveLength(6);
    // and the cache was written with the new positions
    expect(await h.kv.get('chats-1')).toMatchObject({ privateMaxId: 14, groupMaxId: 8 });
  });

  it('after a reconnect: frames are held from the ack on, lists reload, the pull starts at the highest ids', async () => {
    const h = harness();
    await h.session.start();
    connect(h.last);
    await h.session.whenSynced();
    h.last().recv({ cmd: 3, data: pm({ id: 20, sendId: ME, recvId: PEER, content: 'mine' }) });
    const chat = h.book.get('PRIVATE', PEER)!;
    h.watch(chat);
    h.server.maxReadedId = 20;
    h.last().serverClose(1006);
    expect(h.states.slice(-1)).toEqual(['waiting']);

    const lists = deferred<void>();
    h.host.loadLists.mockImplementationOnce(() => lists.promise);
    h.server.pulls.push({ privates: [pm({ id: 21, content: 'missed' })], groups: [] });
    h.clock.advance(1000);
    await settle();
    expect(h.paths().filter((p) => p === '/api/user/self')).toHaveLength(2); // start, beforeReconnect
    const s = connect(h.last);
    s.recv({ cmd: 3, data: pm({ id: 22, content: 'live' }) });
    await settle();
    expect(chat.messages.map((m) => m.content)).toEqual(['mine']);
    lists.resolve();
    await h.session.whenSynced();
    expect(h.paths().filter((p) => p === '/api/user/self')).toHaveLength(3); // and the reload
    expect(h.paths()).toContain('/api/message/private/loadOfflineMessage?minId=20');
    expect(chat.messages.map((m) => m.content)).toEqual(['mine', 'missed', 'live']);
    expect(h.events.onReconnected).toHaveBeenCalledTimes(1);
    expect(h.paths()).toContain('/api/message/private/maxReadedId?friendId=2');
    expect(chat.messages[0]!.status).toBe(S.READED);
    // the user is looking at it: nothing unread, and the server was told
    expect(chat.unreadCount).toBe(0);
    expect(h.paths().some((p) => p.startsWith('/api/message/private/readed'))).toBe(true);
  });

  it('a failed pull still releases the held frames', async () => {
    const h = harness();
    await h.session.start();
    h.server.offline = true;
    const s = connect(h.last);
    s.recv({ cmd: 3, data: pm({ id: 3 }) });
    await h.session.whenSynced();
    expect(h.book.get('PRIVATE', PEER)!.messages).toHaveLength(1);
    expect(h.book.state.loading).toBe(false);
  });

  it('re-sends network failures once the connection is back', async () => {
    const h = harness();
    await h.session.start();
    connect(h.last);
    await h.session.whenSynced();
    h.contacts.upsertFriend(friendVO(PEER, 'Bob'));
    const chat = h.book.open('PRIVATE', PEER, { showName: 'Bob', headImage: '' });
    h.server.offline = true;
    h.last().serverClose(1006);
    await h.outbox.send(chat, T.TEXT, 'written offline');
    expect(chat.messages[0]).toMatchObject({ status: S.FAILED, netFail: true });
    h.server.offline = false;
    h.clock.advance(1000);
    await settle();
    connect(h.last);
    await h.session.whenSynced();
    await settle();
    expect(chat.messages[0]).toMatchObject({ id: 500, status: S.PENDING, netFail: false });
  });
});

describe('Session force logout and ban', () => {
  it('cmd 2 stops for good (also in the middle of a pull) and tells the host', async () => {
    const h = harness();
    h.server.gate = new Promise(() => undefined);
    await h.session.start();
    const s = connect(h.last);
    s.recv({ cmd: 2, data: '您已在其他地方登录，将被强制下线' });
    expect(h.events.onForceLogout).toHaveBeenCalledWith(false);
    expect(s.closedWith).toBe(3000);
    h.clock.advance(600_000);
    expect(h.sockets).toHaveLength(1);
    expect(h.session.wsState).toBe('closed');
  });

  it('a force logout right after my own password change is expected', async () => {
    const h = harness();
    await h.session.start();
    const s = connect(h.last);
    h.session.expectLogout(10_000);
    h.clock.advance(9_000);
    s.recv({ cmd: 2, data: '' });
    expect(h.events.onForceLogout).toHaveBeenCalledWith(true);
  });

  it('a ban closes the socket with 3000, reports the reason, and never reconnects', async () => {
    const h = harness();
    await h.session.start();
    const s = connect(h.last);
    await h.session.whenSynced();
    s.recv({ cmd: 5, data: { id: 1, type: T.USER_BANNED, content: 'spam', sendTime: 1 } });
    expect(h.events.onBanned).toHaveBeenCalledWith('spam');
    expect(s.closedWith).toBe(3000);
    s.serverClose(3000);
    h.clock.advance(600_000);
    expect(h.sockets).toHaveLength(1);
    // other system messages are not bans
    const again = harness();
    await again.session.start();
    connect(again.last).recv({ cmd: 5, data: { id: 2, type: 0, content: 'hello', sendTime: 1 } });
    expect(again.events.onBanned).not.toHaveBeenCalled();
    expect(again.session.wsState).toBe('open');
  });

  it('end(): socket closed, cache written, memory cleared; a late pull changes nothing', async () => {
    const h = harness();
    const gate = deferred<void>();
    h.server.gate = gate.promise;
    h.server.pulls.push({ privates: [pm({ id: 9 })], groups: [] });
    await h.session.start();
    const s = connect(h.last);
    s.recv({ cmd: 3, data: pm({ id: 10 }) });
    await h.session.end();
    expect(s.closedWith).toBe(3000);
    gate.resolve();
    await h.session.whenSynced();
    expect(h.book.list()).toEqual([]);
    expect(h.book.state.loading).toBe(false);
  });
});
