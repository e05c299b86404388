/**
 * What a message in the chat page does: a voice message plays (one at a time; a second tap
 * stops it), a failed send is retried, and a long press opens the action sheet (copy, open a
 * file, reply, forward, select several, recall my own, delete).
 */
import { ref } from 'vue';
import {
  canForward,
  canQuote,
  canRetry,
  ClientStatus,
  type Chat,
  type ChatMessage,
} from '@box-im/im-app-core';
import { MessageType } from '@box-im/im-common';
import { api } from '../api';
import { t } from '../i18n';
import { askForward, startReply } from '../messaging';
import { outbox, stores } from '../session';

/** A message's key in the list: its id once the server gave one, its temporary id before. */
export const keyOf = (m: ChatMessage) => (m.id !== undefined ? `i${m.id}` : `t${m.tmpId}`);

function urlOf(m: ChatMessage): string | undefined {
  try {
    return (JSON.parse(m.content) as { url: string }).url;
  } catch {
    return undefined;
  }
}

function openFile(m: ChatMessage) {
  const url = urlOf(m);
  if (url === undefined) return;
  // #ifdef H5
  window.open(url, '_blank');
  // #endif
  // #ifndef H5
  uni.downloadFile({
    url,
    success: (r) => uni.openDocument({ filePath: r.tempFilePath, showMenu: true }),
  });
  // #endif
}

export function useMessageActions(opts: {
  chat: () => Chat | null;
  senderName: (m: ChatMessage) => string;
  startSelect: (m: ChatMessage) => void;
}) {
  const { chat: chatStore } = stores();
  const playingKey = ref('');
  let audio: UniApp.InnerAudioContext | null = null;

  function play(m: ChatMessage) {
    const key = keyOf(m);
    if (playingKey.value === key) {
      audio?.stop();
      playingKey.value = '';
      return;
    }
    const url = m.localUrl || urlOf(m);
    if (url === undefined) return;
    audio?.destroy();
    audio = uni.createInnerAudioContext();
    audio.src = url;
    audio.onEnded(() => (playingKey.value = ''));
    audio.onError(() => (playingKey.value = ''));
    audio.play();
    playingKey.value = key;
  }

  function retry(m: ChatMessage) {
    const c = opts.chat();
    if (c && canRetry(m)) void outbox().retry(c, m);
  }

  function menu(m: ChatMessage) {
    const c = opts.chat();
    if (!c) return;
    const items: { label: string; run: () => void }[] = [];
    if (m.type === MessageType.TEXT)
      items.push({
        label: t('chat.copy'),
        run: () =>
          uni.setClipboardData({
            data: m.content,
            success: () => uni.showToast({ title: t('chat.copied'), icon: 'none' }),
          }),
      });
    if (m.type === MessageType.FILE) items.push({ label: t('chat.open'), run: () => openFile(m) });
    if (canQuote(m))
      items.push({ label: t('reply.action'), run: () => startReply(c, m, opts.senderName(m)) });
    if (canForward(m)) {
      items.push({ label: t('forward.action'), run: () => askForward(c, [m.id!], false) });
      items.push({ label: t('forward.select'), run: () => opts.startSelect(m) });
    }
    if (m.selfSend && m.id !== undefined && m.status !== ClientStatus.RECALL)
      items.push({
        label: t('chat.recall'),
        run: () => {
          const id = m.id!;
          void (c.type === 'PRIVATE' ? api.recallPrivate(id) : api.recallGroup(id)).then(() =>
            chatStore.book.recall(c, id),
          );
        },
      });
    items.push({ label: t('chat.deleteMsg'), run: () => chatStore.book.removeMessage(c, m) });
    uni.showActionSheet({
      itemList: items.map((i) => i.label),
      success: ({ tapIndex }) => items[tapIndex]?.run(),
    });
  }

  /** Stops and frees the player (the page is closing). */
  function dispose() {
    audio?.destroy();
  }

  return { playingKey, play, retry, menu, dispose };
}
