import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { UserVO } from '@box-im/im-common';
import { api } from '../api';
import { uniStorage } from '../platform';

const CACHE = 'user';

/** My profile, remembered on the device so the cached chats show before the network answers. */
export const useUserStore = defineStore('user', () => {
  const user = ref<UserVO | null>(null);
  const id = () => user.value?.id ?? 0;

  function restore(): UserVO | null {
    try {
      user.value = JSON.parse(uniStorage.getItem(CACHE) ?? 'null') as UserVO | null;
    } catch {
      user.value = null;
    }
    return user.value;
  }
  async function load(): Promise<UserVO> {
    const vo = await api.self();
    user.value = vo;
    uniStorage.setItem(CACHE, JSON.stringify(vo));
    return vo;
  }
  async function update(patch: Partial<UserVO>): Promise<void> {
    if (!user.value) return;
    const next = { ...user.value, ...patch };
    await api.updateUser(next);
    user.value = next;
    uniStorage.setItem(CACHE, JSON.stringify(next));
  }
  function clear() {
    user.value = null;
    uniStorage.removeItem(CACHE);
  }
  return { user, id, restore, load, update, clear };
});
