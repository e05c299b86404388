/** Chat records (type 60, a merged forward): parsing, the title and the items as messages. */
import type { ChatRecordContent, ChatRecordItem } from '@box-im/im-common';
import { parseJson } from '../model/kinds';
import { ClientStatus } from '../model/status';
import type { ChatMessage } from '../model/types';

/** The record, or null when the content is not one (a box-im client never sends type 60). */
export function parseRecord(content: string): ChatRecordContent | null {
  const r = parseJson<ChatRecordContent>(content);
  if (!r || typeof r !== 'object' || !Array.isArray(r.items) || !Array.isArray(r.names)) return null;
  return r;
}

/**
 * What the title names: a group record names the group, a private one its two users joined
 * by `sep`. `group` tells the host which wording to use ("群聊的聊天记录" / "A和B的聊天记录").
 */
export function recordTitle(r: ChatRecordContent, sep = '、'): { group: boolean; names: string } {
  const group = r.chatType === 'GROUP';
  return { group, names: r.names.join(group ? '' : sep) };
}

/** An item as a (read-only) message, so hosts render it as in a chat. */
export function recordItemMessage(item: ChatRecordItem): ChatMessage {
  return {
    sendId: item.sendId,
    sendNickName: item.sendNickName,
    type: item.type,
    content: item.content,
    status: ClientStatus.DELIVERED,
    sendTime: item.sendTime,
    selfSend: false,
  };
}

/** A record nested in a record (records can be forwarded again): follow item indexes. */
export function nestedRecord(r: ChatRecordContent, path: readonly number[]): ChatRecordContent | null {
  let cur: ChatRecordContent | null = r;
  for (const i of path) {
    const item: ChatRecordItem | undefined = cur?.items[i];
    cur = item ? parseRecord(item.content) : null;
    if (!cur) return null;
  }
  return cur;
}
