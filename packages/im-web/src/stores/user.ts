import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { UserVO } from '@box-im/im-common';
import { api } from '../api';

const CACHE = 'im-user';

export const useUserStore = defineStore('user', () => {
  const user = ref<UserVO | null>(null);
  const id = () => user.value?.id ?? 0;

  /** The profile remembered from the last session (shown before the network answers). */
  function restore(): UserVO | null {
    try {
      user.value = JSON.parse(localStorage.getItem(CACHE) ?? 'null') as UserVO | null;
    } catch {
      user.value = null;
    }
    return user.value;
  }
  async function load(): Promise<UserVO> {
    user.value = await api.self();
    localStorage.setItem(CACHE, JSON.stringify(user.value));
    return user.value;
  }
  async function update(patch: Partial<UserVO>): Promise<void> {
    if (!user.value) return;
    const next = { ...user.value, ...patch };
    await api.updateUser(next);
    user.value = next;
    localStorage.setItem(CACHE, JSON.stringify(next));
  }
  function clear() {
    user.value = null;
    localStorage.removeItem(CACHE);
  }
  return { user, id, restore, load, update, clear };
});
