/** What the client core's call state machines need from im-web: media, identity, ICE, toasts. */
import { ElMessage } from 'element-plus';
import type { RtcHost } from '@box-im/im-app-core';
import { browserRtcMedia } from '@box-im/im-app-core/browser';
import { browserClock } from '../platform';
import { useConfigStore } from '../stores/config';
import { useUserStore } from '../stores/user';
import { t } from '../i18n';

export const rtcMedia = browserRtcMedia((e) => void ElMessage.warning(String(e)));

export const rtcHost: RtcHost = {
  me: () => useUserStore().id(),
  myCard: () => {
    const u = useUserStore();
    return { nickName: u.user?.nickName ?? String(u.id()), headImage: u.user?.headImageThumb ?? '' };
  },
  iceServers: () => useConfigStore().webrtc.iceServers,
  notify: (text) => {
    if (typeof text !== 'string') return void ElMessage.info(text.raw);
    if (text === 'unsupported') return void ElMessage.error(t('rtc.unsupported'));
    ElMessage.info(t(`rtc.${text}`));
  },
  clock: browserClock,
};
