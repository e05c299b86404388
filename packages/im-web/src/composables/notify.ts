/** New-message sound (WebAudio, throttled) and browser notifications while the tab is hidden. */
import { useConfigStore } from '../stores/config';
import { summary } from '../lib/summary';
import type { Chat, ChatMessage } from '@box-im/im-app-core';

let lastSound = 0;
let audio: AudioContext | null = null;

function beep() {
  const now = Date.now();
  if (now - lastSound < 1000) return;
  lastSound = now;
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.25);
  } catch {
    /* autoplay policy or no audio */
  }
}

export function askNotificationPermission() {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
    void Notification.requestPermission();
  }
}

export function notifyIncoming(chat: Chat, m: ChatMessage) {
  if (chat.isDnd || m.selfSend) return;
  const config = useConfigStore();
  if (config.sound) beep();
  if (
    config.notify &&
    document.visibilityState === 'hidden' &&
    typeof Notification !== 'undefined' &&
    Notification.permission === 'granted'
  ) {
    const body = (chat.type === 'GROUP' && m.sendNickName ? `${m.sendNickName}: ` : '') + summary(m);
    const n = new Notification(chat.showName, { body, tag: `${chat.type}-${chat.targetId}` });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  }
}
