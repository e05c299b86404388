/**
 * Calls on the mobile client: the client core's `PrivateCall` and `GroupCall` with Vue state,
 * the browser's media (H5; the native app opens the same pages in a webview, see README) and
 * uni's toasts. A call arriving opens its page; the page closes itself when the call ends.
 */
import { reactive, shallowRef, watch } from 'vue';
import { GroupCall, groupCallState, PrivateCall, privateCallState, type RtcHost } from '@box-im/im-app-core';
import { browserRtcMedia } from '@box-im/im-app-core/browser';
import type { GroupMessageVO, PrivateMessageVO } from '@box-im/im-common';
import { api } from './api';
import { t } from './i18n';
import { uniClock } from './platform';
import { useConfigStore } from './stores/config';
import { useFriendStore } from './stores/friend';
import { useUserStore } from './stores/user';

const toast = (title: string) => uni.showToast({ title, icon: 'none' });

/** ICE servers from `/system/config`, fetched once per app start (before the first call). */
export async function loadRtcConfig(): Promise<void> {
  await useConfigStore().load();
}

const media = browserRtcMedia((e) => toast(String(e)));
const host: RtcHost = {
  me: () => useUserStore().id(),
  myCard: () => {
    const u = useUserStore();
    return { nickName: u.user?.nickName ?? String(u.id()), headImage: u.user?.headImageThumb ?? '' };
  },
  iceServers: () => useConfigStore().webrtc.iceServers,
  notify: (text) => toast(typeof text === 'string' ? t(`rtc.${text}`) : text.raw),
  clock: uniClock,
};

export const call = reactive(privateCallState());
export const callLocal = shallowRef<MediaStream | null>(null);
export const callRemote = shallowRef<MediaStream | null>(null);
export const privateCall = new PrivateCall<MediaStream>({
  api,
  media,
  host,
  state: call,
  card: (id) => useFriendStore().find(id),
  onStreams: () => {
    callLocal.value = privateCall.local;
    callRemote.value = privateCall.remote;
  },
});

export const gcall = reactive(groupCallState());
export const gcallLocal = shallowRef<MediaStream | null>(null);
export const gcallStreams = shallowRef(new Map<number, MediaStream>());
export const groupCall = new GroupCall<MediaStream>({
  api,
  media,
  host,
  state: gcall,
  onStreams: () => {
    gcallLocal.value = groupCall.local;
    gcallStreams.value = new Map(groupCall.streams);
  },
});

const PRIVATE_PAGE = '/pages/rtc/rtc-private';
const GROUP_PAGE = '/pages/rtc/rtc-group';

/** Open a call page unless it is the page on top already. */
export function openCallPage(url: string): void {
  const pages = getCurrentPages();
  const top = pages[pages.length - 1] as { route?: string } | undefined;
  if (top?.route && url.endsWith(top.route)) return;
  uni.navigateTo({ url });
}

export async function startPrivateCall(friendId: number, mode: 'voice' | 'video'): Promise<void> {
  await loadRtcConfig();
  await privateCall.start(friendId, mode);
}

export async function startGroupCall(...args: Parameters<GroupCall<MediaStream>['start']>): Promise<void> {
  await loadRtcConfig();
  await groupCall.start(...args);
}

export async function joinGroupCall(groupId: number): Promise<void> {
  await loadRtcConfig();
  await groupCall.join(groupId);
}

export function onPrivateSignal(vo: PrivateMessageVO): void {
  void loadRtcConfig().then(() => privateCall.onSignal(vo));
}

export function onGroupSignal(vo: GroupMessageVO): void {
  void loadRtcConfig().then(() => groupCall.onSignal(vo));
}

// A call starting (placed, joined or ringing here) opens its page; the page goes back when it ends.
watch(
  () => call.state,
  (s, old) => {
    if (old === 'close' && s !== 'close') openCallPage(PRIVATE_PAGE);
  },
);
watch(
  () => gcall.state,
  (s, old) => {
    if (old === 'close' && s !== 'close') openCallPage(GROUP_PAGE);
  },
);
