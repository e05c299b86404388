/** What the server tells clients (`/system/config`): friend requests on, call limits, ICE servers. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SystemConfigVO } from '@box-im/im-common';
import { api } from '../api';

export const useConfigStore = defineStore('config', () => {
  /** Friends are added by request (the server's FRIEND_REQUEST). */
  const friendRequest = ref(false);
  const webrtc = ref<SystemConfigVO['webrtc']>({ maxChannel: 9, iceServers: [] });
  let loading: Promise<boolean> | null = null;

  /** Fetched once (again with `force`, e.g. at login); resolves false when the server did not answer. */
  function load(force = false): Promise<boolean> {
    if (loading && !force) return loading;
    loading = api.systemConfig().then(
      (cfg) => {
        if (!cfg) {
          loading = null;
          return false;
        }
        friendRequest.value = cfg.friendRequest === true;
        if (cfg.webrtc) webrtc.value = cfg.webrtc;
        return true;
      },
      () => {
        loading = null;
        return false;
      },
    );
    return loading;
  }
  return { friendRequest, webrtc, load };
});
