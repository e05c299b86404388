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
  const pendingTo = (userId: number) => book.pendingTo(userId);
  return { ...toRefs(state), book, waiting, pendingTo };
});
