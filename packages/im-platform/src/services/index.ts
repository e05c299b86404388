import type { Bus } from '@box-im/im-bus';
import type { IMClient } from '@box-im/im-client';
import type { Logger } from 'pino';
import type { PlatformConfig } from '../config';
import type { DialectHandle } from '../db';
import type { Repositories } from '../repositories';
import { TokenService } from '../security/tokens';
import type { ObjectStorage } from '../storage/storage';
import { AuthService } from './auth.service';
import { FileService } from './file.service';
import { FriendService } from './friend.service';
import { createGroupServices } from './group-services';
import { PrivateMessageService } from './private-message.service';
import { SensitiveWordFilter } from './sensitive-words';
import { SystemService } from './system.service';
import { UserService } from './user.service';
import { CallStore } from './webrtc-call-store';
import { WebrtcPrivateService } from './webrtc-private.service';
import { UserOrderLock } from './user-order-lock';

export interface ServiceDeps {
  config: PlatformConfig;
  log: Logger;
  db: DialectHandle;
  bus: Bus;
  im: IMClient;
  repos: Repositories;
  storage: ObjectStorage;
}

/** Build every service. Services check permissions first, hold no SQL, return VOs. */
export function createServices(deps: ServiceDeps) {
  const { config, repos, im } = deps;
  const words = new SensitiveWordFilter();
  const tokens = new TokenService({
    accessSecret: config.JWT_ACCESS_SECRET,
    refreshSecret: config.JWT_REFRESH_SECRET,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
  });
  const privateMessage = new PrivateMessageService({
    messages: repos.privateMessages,
    friends: repos.friends,
    im,
    words,
    order: new UserOrderLock(),
    log: deps.log.child({ mod: 'private-message' }),
  });
  return {
    words,
    tokens,
    auth: new AuthService(repos.users, tokens, words, im),
    user: new UserService(repos.users, im, words, repos.friends),
    privateMessage,
    friend: new FriendService(
      repos.friends,
      repos.users,
      privateMessage,
      im,
      deps.bus,
      deps.log.child({ mod: 'friend' }),
    ),
    system: new SystemService(config),
    ...createGroupServices({ repos, im, bus: deps.bus, words, log: deps.log }),
    file: new FileService(
      deps.storage,
      repos.fileInfos,
      deps.log.child({ mod: 'file' }),
      config.FILE_EXPIRE_DAYS,
      config.S3_BUCKET,
    ),
    webrtc: new WebrtcPrivateService(
      new CallStore(deps.bus),
      repos.friends,
      repos.privateMessages,
      im,
      deps.log.child({ mod: 'webrtc' }),
    ),
  };
}
export type Services = ReturnType<typeof createServices>;
