/** "对方正在输入…": the peers typing to me (reactive) and my throttled signals, from the core. */
import { shallowRef } from 'vue';
import { TypingTracker } from '@box-im/im-app-core';
import { api } from '../api';
import { browserClock } from '../platform';

/** Peers whose typing indicator is showing. */
export const typingPeers = shallowRef<ReadonlySet<number>>(new Set());

export const typing = new TypingTracker({
  clock: browserClock,
  send: (peerId) => api.typing(peerId),
  onChange: (peers) => {
    typingPeers.value = peers;
  },
});
