import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { SystemConfigVO } from '@box-im/im-common';
import { api } from '../api';

const PREFS = 'im-prefs';
interface Prefs {
  sound: boolean;
  notify: boolean;
}

export const useConfigStore = defineStore('config', () => {
  const webrtc = ref<SystemConfigVO['webrtc']>({ maxChannel: 9, iceServers: [] });
  /** Friends are added by request (the server's FRIEND_REQUEST). */
  const friendRequest = ref(false);
  const saved = JSON.parse(localStorage.getItem(PREFS) ?? '{}') as Partial<Prefs>;
  const sound = ref(saved.sound ?? true);
  const notify = ref(saved.notify ?? true);
  watch([sound, notify], () =>
    localStorage.setItem(PREFS, JSON.stringify({ sound: sound.value, notify: notify.value })),
  );

  async function load() {
    try {
      const cfg = await api.systemConfig();
      if (cfg?.webrtc) webrtc.value = cfg.webrtc;
      friendRequest.value = cfg?.friendRequest === true;
    } catch {
      /* optional */
    }
  }
  return { webrtc, friendRequest, sound, notify, load };
});
