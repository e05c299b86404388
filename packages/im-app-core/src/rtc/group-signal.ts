/** What a group call does with each signalling frame (types 200–211). */
import { MessageType, type GroupMessageVO, type WebrtcUserInfo } from '@box-im/im-common';
import { parseJson } from '../model/kinds';
import type { GroupCall } from './group-call';
import type { RtcCandidate, RtcDescription } from './media';

export async function onGroupSignal<S>(call: GroupCall<S>, vo: GroupMessageVO): Promise<void> {
  const { state } = call;
  state.events++;
  const selfSend = vo.sendId === call.me();
  if (vo.type === MessageType.RTC_GROUP_SETUP) {
    if (selfSend || state.state !== 'close') return;
    Object.assign(state, {
      state: 'ringing',
      groupId: vo.groupId,
      hostId: vo.sendId,
      inviterId: vo.sendId,
      inviterName: vo.sendNickName,
      users: [],
      startedAt: 0,
    });
    for (const u of parseJson<WebrtcUserInfo[]>(vo.content) ?? []) call.upsert(u, u.id === vo.sendId);
    call.ring();
    return;
  }
  if (state.state === 'close' || vo.groupId !== state.groupId) return;
  const from = vo.sendId;
  const chatting = state.state === 'chatting';
  switch (vo.type) {
    case MessageType.RTC_GROUP_ACCEPT:
    case MessageType.RTC_GROUP_JOIN: {
      if (selfSend) return call.reset(); // answered on another device of mine
      const info = parseJson<WebrtcUserInfo>(vo.content);
      if (info) call.upsert(info, true);
      if (chatting) await call.mesh.connectAll();
      return;
    }
    case MessageType.RTC_GROUP_REJECT:
    case MessageType.RTC_GROUP_FAILED: {
      if (selfSend) return call.reset();
      const failed = parseJson<{ userIds: number[] }>(vo.content);
      for (const id of failed?.userIds ?? [from]) call.removeUser(id);
      return;
    }
    case MessageType.RTC_GROUP_CANCEL:
      // Ringing: the host hung up. In the call: the group was dissolved.
      call.deps.host.notify('canceled');
      return call.reset();
    case MessageType.RTC_GROUP_QUIT:
      // My own quit that I did not ask for: I left the group (or was removed from it).
      if (selfSend) return call.reset();
      return call.removeUser(from);
    case MessageType.RTC_GROUP_INVITE:
      for (const u of parseJson<WebrtcUserInfo[]>(vo.content) ?? []) call.upsert(u, false);
      return;
    case MessageType.RTC_GROUP_DEVICE: {
      const info = parseJson<WebrtcUserInfo>(vo.content);
      if (info) call.upsert(info, true);
      return;
    }
    case MessageType.RTC_GROUP_OFFER: {
      const desc = parseJson<RtcDescription>(vo.content);
      if (chatting && desc) await call.mesh.onOffer(from, desc);
      return;
    }
    case MessageType.RTC_GROUP_ANSWER: {
      const desc = parseJson<RtcDescription>(vo.content);
      if (desc) await call.mesh.onAnswer(from, desc);
      return;
    }
    case MessageType.RTC_GROUP_CANDIDATE: {
      const candidate = parseJson<RtcCandidate>(vo.content);
      if (candidate) await call.mesh.onCandidate(from, candidate);
      return;
    }
    default:
      return;
  }
}
