/**
 * Friend requests and group invitations waiting for an answer (issue 15, FRIEND_REQUEST=on):
 * the client core's `SocialBook` over reactive state (lists, frame merge, answers).
 */
import { defineStore } from 'pinia';
import { computed, markRaw, reactive, toRefs } from 'vue';
import { createSocialState, SocialBook } from '@box-im/im-app-core';
import { api } from '../api';
import { useUserStore } from './user';

export const useSocialStore = defineStore('social', () => {
  const state = reactive(createSocialState());
  const user = useUserStore();
  const book = markRaw(new SocialBook(state, api, () => user.id()));
  /** What waits for my answer (the badge on the friends tab). */
  const waiting = computed(() => book.waiting());

  return {
    ...toRefs(state),
    book,
    waiting,
    load: () => book.load(),
    request: (friendId: number, message: string) => book.request(friendId, message),
    accept: (id: number) => book.accept(id),
    decline: (id: number) => book.decline(id),
    acceptInvite: (id: number) => book.acceptInvite(id),
    declineInvite: (id: number) => book.declineInvite(id),
    pendingTo: (userId: number) => book.pendingTo(userId),
    clear: () => book.clear(),
  };
});
