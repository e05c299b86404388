import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { Terminal, type FriendVO } from '@box-im/im-common';
import { api } from '../api';

export interface Friend extends FriendVO {
  online: boolean;
}

export const useFriendStore = defineStore('friend', () => {
  const all = ref<Friend[]>([]);
  const friends = computed(() => all.value.filter((f) => !f.deleted));
  let timer: ReturnType<typeof setInterval> | null = null;

  const find = (id: number) => all.value.find((f) => f.id === id);
  const isFriend = (id: number) => friends.value.some((f) => f.id === id);

  function upsert(vo: FriendVO) {
    const f = find(vo.id);
    if (f) Object.assign(f, vo, { deleted: vo.deleted ?? false });
    else all.value.push({ ...vo, deleted: vo.deleted ?? false, online: false });
  }
  async function load() {
    const list = await api.friends();
    const old = new Map(all.value.map((f) => [f.id, f.online]));
    all.value = list.map((vo) => ({ ...vo, online: old.get(vo.id) ?? false }));
    void refreshOnline();
    if (!timer) timer = setInterval(() => void refreshOnline(), 30_000);
  }
  async function refreshOnline() {
    const ids = friends.value.map((f) => f.id);
    if (!ids.length) return;
    try {
      const list = await api.online(ids);
      const map = new Map(list.map((o) => [o.userId, o.terminals]));
      for (const f of all.value) {
        const terms = map.get(f.id) ?? [];
        f.online = terms.some((x) => x === Terminal.WEB || x === Terminal.APP || x === Terminal.PC);
      }
    } catch {
      /* next poll */
    }
  }
  function markDeleted(id: number) {
    const f = find(id);
    if (f) f.deleted = true;
  }
  function setDnd(id: number, isDnd: boolean) {
    const f = find(id);
    if (f) f.isDnd = isDnd;
  }
  function clear() {
    all.value = [];
    if (timer) clearInterval(timer);
    timer = null;
  }
  return { all, friends, find, isFriend, upsert, load, refreshOnline, markDeleted, setDnd, clear };
});
