import type { Bus } from '@box-im/im-bus';
import type { IMClient } from '@box-im/im-client';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import { LocalSerialQueue, type KeyedSerialQueue } from '../concurrency/keyed-serial-queue';
import type { PlatformConfig } from '../config';
import type { Repositories } from '../repositories';
import { TokenService } from '../security/tokens';
import type { ObjectStorage } from '../storage/storage';
import { AuthService } from './auth.service';
import { FileService } from './file.service';
import { FriendService } from './friend.service';
import { GroupAdminService } from './group-admin.service';
import { GroupMemberService } from './group-member.service';
import { GroupMessageService } from './group-message.service';
import { GroupMessageWriter } from './group-message-writer';
import { GroupReadService } from './group-read.service';
import { GroupService } from './group.service';
import { GroupAccess, GroupPush } from './group-support';
import { PrivateMessageService } from './private-message.service';
import { PrivateMessageWriter } from './private-message-writer';
import { SensitiveWordFilter } from './sensitive-words';
import { SystemService } from './system.service';
import { UserService } from './user.service';
import { CallStore } from './webrtc-call-store';
import { WebrtcPrivateService } from './webrtc-private.service';

export interface ServiceDeps {
  config: PlatformConfig;
  log: Logger;
  clock: Clock;
  bus: Bus;
  im: IMClient;
  repos: Repositories;
  storage: ObjectStorage;
  /** Orders message writes per user and per group. @default one LocalSerialQueue */
  order?: KeyedSerialQueue;
}

/**
 * Build every service, each from a deps object. Services check permissions first, hold no
 * SQL and return VOs; every message is written by one of the two writers.
 */
export function createServices(deps: ServiceDeps) {
  const { config, repos, im, bus, clock, log } = deps;
  const order = deps.order ?? new LocalSerialQueue();
  const words = new SensitiveWordFilter();
  const tokens = new TokenService({
    accessSecret: config.JWT_ACCESS_SECRET,
    refreshSecret: config.JWT_REFRESH_SECRET,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    clock,
  });
  const privateWriter = new PrivateMessageWriter({
    messages: repos.privateMessages,
    im,
    order,
    clock,
    log: log.child({ mod: 'private-message' }),
  });
  const groupLog = log.child({ mod: 'group' });
  const access = new GroupAccess({ groups: repos.groups, members: repos.groupMembers });
  const push = new GroupPush({ im, log: groupLog });
  const groupWriter = new GroupMessageWriter({ messages: repos.groupMessages, push, order, clock });
  const group = { access, push, members: repos.groupMembers, messages: repos.groupMessages, clock };
  const groupRead = new GroupReadService(group);
  return {
    words,
    tokens,
    auth: new AuthService({ users: repos.users, tokens, words, im, clock }),
    user: new UserService({ users: repos.users, im, words, profileCopies: repos.friends }),
    privateMessage: new PrivateMessageService({
      messages: repos.privateMessages,
      friends: repos.friends,
      writer: privateWriter,
      im,
      words,
      clock,
      log: log.child({ mod: 'private-message' }),
    }),
    friend: new FriendService({
      friends: repos.friends,
      users: repos.users,
      writer: privateWriter,
      im,
      bus,
      clock,
      log: log.child({ mod: 'friend' }),
    }),
    system: new SystemService({ config }),
    groupAdmin: new GroupAdminService({
      groups: repos.groups,
      members: repos.groupMembers,
      writer: groupWriter,
    }),
    group: new GroupService({ ...group, groups: repos.groups, users: repos.users, writer: groupWriter, im }),
    groupMember: new GroupMemberService({ ...group, writer: groupWriter, bus }),
    groupRead,
    groupMessage: new GroupMessageService({ ...group, writer: groupWriter, reads: groupRead, words }),
    file: new FileService({
      storage: deps.storage,
      files: repos.fileInfos,
      log: log.child({ mod: 'file' }),
      clock,
      expireDays: config.FILE_EXPIRE_DAYS,
      s3Bucket: config.S3_BUCKET,
    }),
    webrtc: new WebrtcPrivateService({
      calls: new CallStore(bus),
      friends: repos.friends,
      writer: privateWriter,
      im,
      clock,
    }),
  };
}
export type Services = ReturnType<typeof createServices>;
