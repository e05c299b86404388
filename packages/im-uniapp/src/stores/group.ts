import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { GroupMemberVO, GroupVO } from '@box-im/im-common';
import { api } from '../api';

export const useGroupStore = defineStore('group', () => {
  const all = ref<GroupVO[]>([]);
  const members = ref<Record<number, GroupMemberVO[]>>({});
  const groups = computed(() => all.value.filter((g) => !g.quit && !g.dissolve));

  const find = (id: number) => all.value.find((g) => g.id === id);

  function upsert(vo: GroupVO) {
    const g = find(vo.id);
    if (g) Object.assign(g, vo);
    else all.value.push(vo);
  }
  async function load() {
    all.value = await api.groups();
  }
  async function loadMembers(id: number) {
    const list = await api.members(id);
    members.value[id] = list;
    return list;
  }
  async function refresh(id: number) {
    const [g] = await Promise.all([api.findGroup(id), loadMembers(id)]);
    upsert(g);
    return g;
  }
  function markQuit(id: number) {
    const g = find(id);
    if (g) g.quit = true;
  }
  function setDnd(id: number, isDnd: boolean) {
    const g = find(id);
    if (g) g.isDnd = isDnd;
  }
  function clear() {
    all.value = [];
    members.value = {};
  }
  return { all, groups, members, find, upsert, load, loadMembers, refresh, markQuit, setDnd, clear };
});
