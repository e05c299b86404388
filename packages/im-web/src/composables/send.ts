/**
 * Optimistic sending through one serial queue (keeps order): the message shows at once
 * as SENDING, uploads run first, then the send call; failure → FAILED with retry.
 */
import { MessageStatus, MessageType, type GroupMessageVO, type PrivateMessageVO } from '@box-im/im-common';
import { api } from '../api';
import { ApiError } from '../api/http';
import { newTmpId } from '../lib/merge';
import type { Chat, ChatMessage } from '../lib/types';
import { useChatStore } from '../stores/chat';
import { useUserStore } from '../stores/user';

let queue: Promise<unknown> = Promise.resolve();
function enqueue<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(job, job);
  queue = run.catch(() => undefined);
  return run;
}

export interface SendExtras {
  receipt?: boolean;
  atUserIds?: number[];
  localUrl?: string;
}

function optimistic(chat: Chat, type: number, content: string, extras: SendExtras): ChatMessage {
  const user = useUserStore();
  const m: ChatMessage = {
    tmpId: newTmpId(),
    sendId: user.id(),
    content,
    type,
    status: MessageStatus.SENDING,
    sendTime: Date.now(),
    selfSend: true,
    sendNickName: user.user?.nickName ?? '',
  };
  if (chat.type === 'PRIVATE') m.recvId = chat.targetId;
  else {
    m.groupId = chat.targetId;
    m.receipt = Boolean(extras.receipt);
    m.readedCount = 0;
    m.atUserIds = extras.atUserIds ?? [];
  }
  if (extras.localUrl) m.localUrl = extras.localUrl;
  useChatStore().insert(chat, [m], user.id(), false);
  return m;
}

async function deliver(chat: Chat, m: ChatMessage): Promise<void> {
  const store = useChatStore();
  const tmpId = m.tmpId!;
  try {
    let vo: PrivateMessageVO | GroupMessageVO;
    if (chat.type === 'PRIVATE') {
      vo = await api.sendPrivate({ tmpId, recvId: chat.targetId, content: m.content, type: m.type });
    } else {
      vo = await api.sendGroup({
        tmpId,
        groupId: chat.targetId,
        content: m.content,
        type: m.type,
        receipt: Boolean(m.receipt),
        atUserIds: m.atUserIds ?? [],
      });
    }
    store.patch(
      chat,
      { tmpId },
      {
        id: vo.id,
        status: vo.status,
        content: vo.content,
        sendTime: vo.sendTime ?? m.sendTime,
        netFail: false,
      },
    );
  } catch (e) {
    store.patch(chat, { tmpId }, { status: MessageStatus.FAILED, netFail: !(e instanceof ApiError) });
    throw e;
  }
}

/** Send a message whose content is ready. */
export function sendContent(chat: Chat, type: number, content: string, extras: SendExtras = {}) {
  const m = optimistic(chat, type, content, extras);
  return enqueue(() => deliver(chat, m)).catch(() => undefined);
}

/**
 * Send something that needs an upload first: the bubble shows immediately with a local
 * preview; the queue slot is taken now so order is kept.
 */
export function sendUpload(
  chat: Chat,
  type: number,
  placeholder: string,
  localUrl: string | undefined,
  produce: () => Promise<string>,
) {
  const m = optimistic(chat, type, placeholder, localUrl ? { localUrl } : {});
  const store = useChatStore();
  const uploading = produce();
  return enqueue(async () => {
    let content: string;
    try {
      content = await uploading;
    } catch (e) {
      store.patch(chat, { tmpId: m.tmpId }, { status: MessageStatus.FAILED });
      throw e;
    }
    store.patch(chat, { tmpId: m.tmpId }, { content });
    await deliver(chat, { ...m, content });
  }).catch(() => undefined);
}

/** Retry a failed message (any type whose content is already uploaded). */
export function retry(chat: Chat, m: ChatMessage) {
  if (!canRetry(m) || !m.tmpId) return;
  useChatStore().patch(chat, { tmpId: m.tmpId }, { status: MessageStatus.SENDING });
  return enqueue(() => deliver(chat, { ...m, status: MessageStatus.SENDING })).catch(() => undefined);
}

/** Text, or media whose upload finished (content holds server URLs, not a local blob preview). */
export function canRetry(m: ChatMessage): boolean {
  if (m.status !== MessageStatus.FAILED) return false;
  return m.type === MessageType.TEXT || (m.content.startsWith('{') && !m.content.includes('"blob:'));
}

/** Messages worth re-sending by themselves after a reconnect: network failures of the last 10 minutes. */
export function autoRetryable(messages: readonly ChatMessage[], now: number = Date.now()): ChatMessage[] {
  return messages.filter((m) => m.netFail && canRetry(m) && now - m.sendTime < 10 * 60_000);
}

/** Re-send network failures in every chat (called when the connection comes back). */
export function retryNetworkFailures(chats: readonly Chat[]) {
  for (const chat of chats) for (const m of autoRetryable(chat.messages)) void retry(chat, m);
}
