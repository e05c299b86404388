import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { MessageStatus, MessageType } from '@box-im/im-common';
import { notifyIncoming } from '../../src/composables/notify';
import { useConfigStore } from '../../src/stores/config';
import { newChat, type ChatMessage } from '@box-im/im-app-core';

const shown: { title: string; body: string }[] = [];
class FakeNotification {
  static permission = 'granted';
  onclick: (() => void) | null = null;
  constructor(title: string, opts: { body: string }) {
    shown.push({ title, body: opts.body });
  }
  close() {}
}
const oscillators: number[] = [];
class FakeAudio {
  currentTime = 0;
  destination = {};
  createOscillator() {
    oscillators.push(1);
    return { frequency: { value: 0 }, connect: (n: unknown) => n, start() {}, stop() {} };
  }
  createGain() {
    return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (n: unknown) => n };
  }
}

const m: ChatMessage = {
  id: 1,
  sendId: 2,
  sendNickName: 'bob',
  content: 'hello',
  type: MessageType.TEXT,
  status: MessageStatus.PENDING,
  sendTime: 0,
  selfSend: false,
};

describe('notifications', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    shown.length = 0;
    oscillators.length = 0;
    vi.stubGlobal('Notification', FakeNotification);
    vi.stubGlobal('AudioContext', FakeAudio);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('notifies only while the tab is hidden, with sender and preview', () => {
    const chat = newChat('GROUP', 9, { showName: 'team', headImage: '' });
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    notifyIncoming(chat, m);
    expect(shown).toEqual([{ title: 'team', body: 'bob: hello' }]);
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible');
    notifyIncoming(chat, { ...m, id: 2 });
    expect(shown).toHaveLength(1);
  });

  it('stays quiet for muted chats, own messages, and when turned off', () => {
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    notifyIncoming(newChat('PRIVATE', 2, { showName: 'b', headImage: '', isDnd: true }), m);
    notifyIncoming(newChat('PRIVATE', 2, { showName: 'b', headImage: '' }), { ...m, selfSend: true });
    useConfigStore().notify = false;
    useConfigStore().sound = false;
    notifyIncoming(newChat('PRIVATE', 2, { showName: 'b', headImage: '' }), m);
    expect(shown).toHaveLength(0);
    expect(oscillators).toHaveLength(0);
  });
});
