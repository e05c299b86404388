import type { Bus } from '@box-im/im-bus';
import type { IMClient } from '@box-im/im-client';
import type { Logger } from 'pino';
import type { PlatformConfig } from '../config';
import type { DialectHandle } from '../db';
import type { Repositories } from '../repositories';
import { TokenService } from '../security/tokens';
import type { ObjectStorage } from '../storage/storage';
import { AuthService } from './auth.service';
import { ImageWork } from '../media/image-work';
import { AnonymousUploads } from './anonymous-uploads';
import { FileCleanupService } from './file-cleanup.service';
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
    ...createFileServices(deps),
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

/** Uploads, who may make them, and the deletion of uploads nobody needs. */
function createFileServices({ config, repos, storage, bus, log }: ServiceDeps) {
  const fileLog = log.child({ mod: 'file' });
  const anonymousUploads = new AnonymousUploads(
    {
      enabled: config.ANONYMOUS_UPLOADS,
      maxCount: config.ANONYMOUS_UPLOAD_MAX_COUNT,
      maxBytes: config.ANONYMOUS_UPLOAD_MAX_BYTES,
      claimSeconds: config.ANONYMOUS_UPLOAD_CLAIM_SECONDS,
    },
    bus,
    repos.anonymousUploads,
    fileLog,
  );
  return {
    anonymousUploads,
    file: new FileService({
      storage,
      files: repos.fileInfos,
      anonymous: anonymousUploads,
      images: new ImageWork(config.IMAGE_CONCURRENCY),
      maxImagePixels: config.IMAGE_MAX_PIXELS,
      log: fileLog,
    }),
    fileCleanup: new FileCleanupService({
      storage,
      files: repos.fileInfos,
      anonymous: repos.anonymousUploads,
      log: fileLog,
      expireDays: config.FILE_EXPIRE_DAYS,
      s3Bucket: config.S3_BUCKET,
    }),
  };
}
