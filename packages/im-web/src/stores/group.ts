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
  async function refresh(id: number) {
    const [g, m] = await Promise.all([api.findGroup(id), api.members(id)]);
    upsert(g);
    members.value[id] = m;
    return g;
  }
  async function loadMembers(id: number) {
    members.value[id] = await api.members(id);
    return members.value[id];
  }
  async function create(name: string) {
    const g = await api.createGroup({ name });
    upsert(g);
    return g;
  }
  async function modify(vo: GroupVO) {
    const g = await api.modifyGroup(vo);
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
  async function quit(id: number) {
    await api.quitGroup(id);
    markQuit(id);
  }
  async function dissolve(id: number) {
    await api.dissolveGroup(id);
    markQuit(id);
  }
  function clear() {
    all.value = [];
    members.value = {};
  }
  return {
    all,
    groups,
    members,
    find,
    upsert,
    load,
    refresh,
    loadMembers,
    create,
    modify,
    markQuit,
    setDnd,
    quit,
    dissolve,
    clear,
  };
});
