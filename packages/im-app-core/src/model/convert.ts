/** Wire VO → client message. */
import type { GroupMessageVO, PrivateMessageVO } from '@box-im/im-common';
import type { ChatMessage } from './types';

export function fromPrivate(vo: PrivateMessageVO, me: number): ChatMessage {
  const m: ChatMessage = {
    id: vo.id,
    sendId: vo.sendId,
    recvId: vo.recvId,
    content: vo.content,
    type: vo.type,
    status: vo.status,
    sendTime: vo.sendTime,
    selfSend: vo.sendId === me,
  };
  if (vo.tmpId) m.tmpId = vo.tmpId;
  if (vo.quoteMessage) m.quoteMessage = vo.quoteMessage;
  return m;
}

export function fromGroup(vo: GroupMessageVO, me: number): ChatMessage {
  const m: ChatMessage = {
    id: vo.id,
    sendId: vo.sendId,
    groupId: vo.groupId,
    sendNickName: vo.sendNickName,
    content: vo.content,
    type: vo.type,
    status: vo.status,
    sendTime: vo.sendTime,
    selfSend: vo.sendId === me,
    receipt: Boolean(vo.receipt),
    receiptOk: Boolean(vo.receiptOk),
    readedCount: vo.readedCount ?? 0,
    atUserIds: (vo.atUserIds ?? []).map(Number),
  };
  if (vo.tmpId) m.tmpId = vo.tmpId;
  if (vo.quoteMessage) m.quoteMessage = vo.quoteMessage;
  return m;
}

/** The peer of a private message from my point of view. */
export function privatePeer(vo: { sendId: number; recvId: number }, me: number): number {
  return vo.sendId === me ? vo.recvId : vo.sendId;
}
