import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { UserVO } from '@box-im/im-common';
import { api } from '../api';

export const useUserStore = defineStore('user', () => {
  const user = ref<UserVO | null>(null);
  const id = () => user.value?.id ?? 0;

  async function load(): Promise<UserVO> {
    user.value = await api.self();
    return user.value;
  }
  async function update(patch: Partial<UserVO>): Promise<void> {
    if (!user.value) return;
    const next = { ...user.value, ...patch };
    await api.updateUser(next);
    user.value = next;
  }
  function clear() {
    user.value = null;
  }
  return { user, id, load, update, clear };
});
