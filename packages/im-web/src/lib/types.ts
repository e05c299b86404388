/** Client-side shapes: a chat and a message as the UI keeps them. */
export type ChatType = 'PRIVATE' | 'GROUP';

export interface ChatMessage {
  id?: number;
  tmpId?: string;
  sendId: number;
  recvId?: number;
  groupId?: number;
  sendNickName?: string;
  content: string;
  type: number;
  status: number;
  sendTime: number;
  selfSend: boolean;
  receipt?: boolean;
  receiptOk?: boolean;
  readedCount?: number;
  atUserIds?: number[];
  /** The last send attempt failed on the network (not refused by the server): retried on reconnect. */
  netFail?: boolean;
  /** Local blob preview while an upload is in flight. */
  localUrl?: string;
}

export interface Chat {
  type: ChatType;
  targetId: number;
  showName: string;
  headImage: string;
  isDnd: boolean;
  lastContent: string;
  lastSendTime: number;
  sendNickName: string;
  unreadCount: number;
  atMe: boolean;
  atAll: boolean;
  pinned: boolean;
  messages: ChatMessage[];
}

export function chatKey(type: ChatType, targetId: number): string {
  return `${type}-${targetId}`;
}
