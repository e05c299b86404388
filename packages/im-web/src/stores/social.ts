/** Friend requests and group invitations waiting for an answer (issue 15, FRIEND_REQUEST=on). */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { FriendRequestVO, GroupInviteVO } from '@box-im/im-common';
import { api } from '../api';

export const useSocialStore = defineStore('social', () => {
  const incoming = ref<FriendRequestVO[]>([]);
  const outgoing = ref<FriendRequestVO[]>([]);
  const invites = ref<GroupInviteVO[]>([]);
  /** What waits for my answer (the badge on the friends tab). */
  const waiting = computed(() => incoming.value.length + invites.value.length);

  /** Both lists; a server without these endpoints leaves them empty. */
  async function load() {
    try {
      const [requests, groupInvites] = await Promise.all([api.friendRequests(), api.groupInvites()]);
      incoming.value = requests.incoming;
      outgoing.value = requests.outgoing;
      invites.value = groupInvites;
    } catch {
      /* optional */
    }
  }
  async function request(friendId: number, message: string) {
    const vo = await api.friendRequest(friendId, message);
    await load();
    return vo;
  }
  async function accept(id: number) {
    await api.acceptFriendRequest(id);
    await load();
  }
  async function decline(id: number) {
    await api.declineFriendRequest(id);
    await load();
  }
  async function acceptInvite(id: number) {
    const group = await api.acceptGroupInvite(id);
    await load();
    return group;
  }
  async function declineInvite(id: number) {
    await api.declineGroupInvite(id);
    await load();
  }
  const pendingTo = (userId: number) => outgoing.value.some((r) => r.recvId === userId);
  function clear() {
    incoming.value = [];
    outgoing.value = [];
    invites.value = [];
  }
  return {
    incoming,
    outgoing,
    invites,
    waiting,
    load,
    request,
    accept,
    decline,
    acceptInvite,
    declineInvite,
    pendingTo,
    clear,
  };
});
