import type { SystemConfigVO } from '@box-im/im-common';
import type { ServiceDeps } from './deps';

/** What clients need to know about the deployment. */
export class SystemService {
  constructor(private readonly deps: Pick<ServiceDeps, 'config'>) {}

  clientConfig(): SystemConfigVO {
    return {
      webrtc: {
        maxChannel: this.deps.config.WEBRTC_MAX_CHANNEL,
        iceServers: this.deps.config.WEBRTC_ICE_SERVERS.map((s) => ({
          urls: s.urls,
          username: s.username,
          credential: s.credential,
        })),
      },
      friendRequest: this.deps.config.FRIEND_REQUEST,
    };
  }
}
