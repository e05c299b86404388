/**
 * The call state machines with a fake clock, fake media (peers that record what they are
 * asked) and a fake API that records each signalling request: ringing and its timeout,
 * offer/answer and held candidates, heartbeats, the mesh's "smaller id offers" rule, and the
 * frames that end a call.
 */
import { describe, expect, it } from 'vitest';
import { MessageType, type GroupMessageVO, type PrivateMessageVO } from '@box-im/im-common';
import {
  GroupCall,
  groupCallState,
  PrivateCall,
  privateCallState,
  type RtcCandidate,
  type RtcDescription,
  type RtcHost,
  type RtcMedia,
  type RtcPeerEvents,
} from '../src';
import { FakeClock } from './fakes';

interface Stream {
  id: string;
  stopped: boolean;
}
interface Peer {
  events: RtcPeerEvents<Stream>;
  remote: RtcDescription | null;
  candidates: RtcCandidate[];
  closed: boolean;
}

function setup(me = 1) {
  const clock = new FakeClock();
  const posts: { action: string; target: number; body?: unknown; query?: unknown }[] = [];
  const peers: Peer[] = [];
  const notices: unknown[] = [];
  let rings = 0;
  const media: RtcMedia<Stream> = {
    supported: () => true,
    open: () => Promise.resolve({ id: 'local', stopped: false }),
    hasTrack: () => true,
    enable: () => undefined,
    stop: (s) => {
      s.stopped = true;
    },
    peer: (_ice, _local, events) => {
      const p: Peer = { events, remote: null, candidates: [], closed: false };
      peers.push(p);
      return {
        offer: () => Promise.resolve({ type: 'offer', sdp: `o${peers.indexOf(p)}` }),
        answer: () => Promise.resolve({ type: 'answer', sdp: `a${peers.indexOf(p)}` }),
        setRemote: (d) => {
          p.remote = d;
          return Promise.resolve();
        },
        hasRemote: () => p.remote !== null,
        addCandidate: (c) => {
          p.candidates.push(c);
          return Promise.resolve();
        },
        close: () => {
          p.closed = true;
        },
      };
    },
    ring: () => {
      rings++;
      return { stop: () => void rings-- };
    },
  };
  const host: RtcHost = {
    me: () => me,
    myCard: () => ({ nickName: 'me', headImage: '' }),
    iceServers: () => [],
    notify: (t) => void notices.push(t),
    clock,
  };
  const api = {
    rtc: (action: string, uid: number, query: Record<string, string> = {}, body?: unknown) => {
      posts.push({ action, target: uid, body, query });
      return Promise.resolve(null);
    },
    rtcGroup: (action: string, groupId: number, body?: Record<string, unknown>) => {
      posts.push({ action, target: groupId, body });
      return Promise.resolve(null);
    },
    rtcGroupInfo: () =>
      Promise.resolve({
        isChating: true,
        host: null,
        userInfos: [2, 3].map((id) => ({
          id,
          nickName: `u${id}`,
          headImage: '',
          isCamera: true,
          isMicroPhone: true,
        })),
        invitedUserInfos: [],
        startTime: 5,
      }),
  };
  return { clock, posts, peers, notices, rings: () => rings, media, host, api };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const pvo = (type: number, sendId: number, recvId: number, content = ''): PrivateMessageVO => ({
  id: 0,
  type,
  sendId,
  recvId,
  content,
  status: 0,
  sendTime: 0,
});
const gvo = (type: number, sendId: number, content = ''): GroupMessageVO =>
  ({
    id: 0,
    groupId: 9,
    type,
    sendId,
    sendNickName: `u${sendId}`,
    content,
    status: 0,
    sendTime: 0,
  }) as GroupMessageVO;

describe('PrivateCall', () => {
  it('rings for an incoming call and fails it after 30 s without an answer', async () => {
    const f = setup(2);
    const state = privateCallState();
    const call = new PrivateCall({ ...f, state, card: () => undefined, onStreams: () => undefined });
    await call.onSignal(pvo(MessageType.RTC_CALL_VIDEO, 1, 2, JSON.stringify({ type: 'offer', sdp: 'x' })));
    expect(state).toMatchObject({ state: 'waiting', isHost: false, peerId: 1, mode: 'video' });
    expect(f.rings()).toBe(1);
    f.clock.advance(30_000);
    expect(f.posts.map((p) => p.action)).toEqual(['heartbeat', 'failed']);
    expect(f.posts[1]!.query).toEqual({ reason: '对方无应答' });
    expect(state.state).toBe('close');
    expect(f.rings()).toBe(0);
  });

  it('calls, holds candidates until accepted, beats, and closes on hang-up', async () => {
    const f = setup(1);
    const state = privateCallState();
    const call = new PrivateCall({
      ...f,
      state,
      card: () => ({ nickName: 'Bo', headImage: '' }),
      onStreams: () => undefined,
    });
    await call.start(2, 'voice');
    expect(f.posts[0]).toMatchObject({ action: 'call', target: 2, query: { mode: 'voice' } });
    f.peers[0]!.events.onCandidate({ candidate: 'c1' });
    expect(f.posts).toHaveLength(1);
    await call.onSignal(pvo(MessageType.RTC_ACCEPT, 2, 1, JSON.stringify({ type: 'answer', sdp: 'y' })));
    expect(state.state).toBe('chatting');
    expect(f.peers[0]!.remote).toEqual({ type: 'answer', sdp: 'y' });
    expect(f.posts.map((p) => p.action)).toEqual(['call', 'candidate']);
    f.clock.advance(15_000);
    expect(f.posts.at(-1)!.action).toBe('heartbeat');
    const local = call.local!;
    await call.onSignal(pvo(MessageType.RTC_HANDUP, 2, 1));
    expect(state.state).toBe('close');
    expect(f.notices).toEqual(['hungUp']);
    expect(local.stopped).toBe(true);
    expect(f.peers[0]!.closed).toBe(true);
  });
});

describe('GroupCall', () => {
  function group(me: number) {
    const f = setup(me);
    const state = groupCallState();
    const call = new GroupCall({ ...f, state, onStreams: () => undefined });
    return { f, state, call };
  }

  it('rings, accepts, offers only to bigger ids, answers offers, holds early candidates', async () => {
    const { f, state, call } = group(2);
    const users = [1, 2, 3].map((id) => ({
      id,
      nickName: `u${id}`,
      headImage: '',
      isCamera: false,
      isMicroPhone: true,
    }));
    await call.onSignal(gvo(MessageType.RTC_GROUP_SETUP, 1, JSON.stringify(users)));
    expect(state.state).toBe('ringing');
    expect(f.rings()).toBe(1);
    // user 1 (smaller id) and 3 are in the call: I offer to 3 only.
    await call.accept();
    expect(state.state).toBe('chatting');
    expect(f.rings()).toBe(0);
    const offers = f.posts.filter((p) => p.action === 'offer');
    expect(offers.map((p) => (p.body as { userId: number }).userId)).toEqual([3]);
    // user 1's candidate comes before its offer: held, then applied after the remote description.
    await call.onSignal(gvo(MessageType.RTC_GROUP_CANDIDATE, 1, JSON.stringify({ candidate: 'c' })));
    await call.onSignal(gvo(MessageType.RTC_GROUP_OFFER, 1, JSON.stringify({ type: 'offer', sdp: 'o' })));
    await flush();
    const fromOne = f.peers.find((p) => p.remote?.sdp === 'o')!;
    expect(fromOne.candidates).toEqual([{ candidate: 'c' }]);
    expect(
      f.posts.filter((p) => p.action === 'answer').map((p) => (p.body as { userId: number }).userId),
    ).toEqual([1]);
    // someone quits: their connection closes
    await call.onSignal(gvo(MessageType.RTC_GROUP_QUIT, 1));
    expect(fromOne.closed).toBe(true);
    expect(state.users.map((u) => u.id)).toEqual([2, 3]);
  });

  it('leaves when the server quits me (removed from the group) or cancels the call (dissolved)', async () => {
    const removed = group(2);
    await removed.call.join(9);
    expect(removed.state.state).toBe('chatting');
    await removed.call.onSignal(gvo(MessageType.RTC_GROUP_QUIT, 2));
    expect(removed.state.state).toBe('close');
    expect(removed.f.peers.every((p) => p.closed)).toBe(true);

    const dissolved = group(2);
    await dissolved.call.join(9);
    await dissolved.call.onSignal(gvo(MessageType.RTC_GROUP_CANCEL, 1));
    expect(dissolved.state.state).toBe('close');
    expect(dissolved.f.notices).toEqual(['canceled']);
  });
});
