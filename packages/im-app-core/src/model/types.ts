/** Client-side shapes: a chat and a message as both clients keep them (and cache them). */
import type { QuoteMessageVO } from '@box-im/im-common';

export type ChatType = 'PRIVATE' | 'GROUP';

export interface ChatMessage {
  /** Server id; absent until the send call answers. */
  id?: number;
  /** Client temp id (see `TmpIds`), echoed by the server so every terminal can match it. */
  tmpId?: string;
  sendId: number;
  recvId?: number;
  groupId?: number;
  sendNickName?: string;
  content: string;
  type: number;
  /** A `ClientStatus`. */
  status: number;
  /** Epoch ms. */
  sendTime: number;
  selfSend: boolean;
  receipt?: boolean;
  receiptOk?: boolean;
  readedCount?: number;
  atUserIds?: number[];
  /** The message this one replies to (status RECALL, content empty once it was recalled). */
  quoteMessage?: QuoteMessageVO;
  /** The last send attempt failed on the network (not refused by the server): retried on reconnect. */
  netFail?: boolean;
  /** Why the server refused the last send (e.g. muted in the group), shown under the message. */
  failReason?: string;
  /** Local preview while an upload is in flight (never cached). */
  localUrl?: string;
}

export interface Chat {
  type: ChatType;
  targetId: number;
  showName: string;
  headImage: string;
  isDnd: boolean;
  /** One-line preview of the last shown message. */
  lastContent: string;
  lastSendTime: number;
  /** Group chats: who wrote the last message (empty for my own and for notices). */
  sendNickName: string;
  unreadCount: number;
  atMe: boolean;
  atAll: boolean;
  pinned: boolean;
  /** Unsent text, synced between my terminals (absent in chats cached before drafts existed). */
  draft?: string;
  /** Ascending server ids, then unsent messages in tmpId order. */
  messages: ChatMessage[];
}

/** What a chat shows for its peer or group. */
export interface ChatTarget {
  showName: string;
  headImage: string;
  isDnd?: boolean | null;
}

export function chatKey(type: ChatType, targetId: number): string {
  return `${type}-${targetId}`;
}

export function newChat(type: ChatType, targetId: number, info: ChatTarget): Chat {
  return {
    type,
    targetId,
    showName: info.showName,
    headImage: info.headImage,
    isDnd: Boolean(info.isDnd),
    lastContent: '',
    lastSendTime: 0,
    sendNickName: '',
    unreadCount: 0,
    atMe: false,
    atAll: false,
    pinned: false,
    messages: [],
  };
}
