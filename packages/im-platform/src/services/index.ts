import { RevocationCache, type Bus } from '@box-im/im-bus';
import type { IMClient } from '@box-im/im-client';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import { LocalSerialQueue, type KeyedSerialQueue } from '../concurrency/keyed-serial-queue';
import type { PlatformConfig } from '../config';
import { ImageWork } from '../media/image-work';
import type { Repositories } from '../repositories';
import { TokenService } from '../security/tokens';
import type { ObjectStorage } from '../storage/storage';
import { AdminService } from './admin.service';
import { AuthService } from './auth.service';
import { AuthUserCache } from './auth-user-cache';
import { FriendshipCache } from './friendship-cache';
import { ChatPrefService } from './chat-pref.service';
import { AnonymousUploads } from './anonymous-uploads';
import type { ServiceDeps } from './deps';
import { FileCleanupService } from './file-cleanup.service';
import { FileService } from './file.service';
import { ForwardService } from './forward.service';
import { MessageSearchService } from './message-search.service';
import { FriendService } from './friend.service';
import { FriendRequestService } from './friend-request.service';
import { GroupInviteService } from './group-invite.service';
import { GroupModerationService } from './group-moderation.service';
import { GroupAdminService } from './group-admin.service';
import { GroupMemberService } from './group-member.service';
import { GroupMessageService } from './group-message.service';
import { GroupMessageWriter } from './group-message-writer';
import { GroupReadService } from './group-read.service';
import { GroupService } from './group.service';
import { GroupAccess, GroupPush } from './group-support';
import { PrivateMessageService } from './private-message.service';
import { PrivateMessageWriter } from './private-message-writer';
import { QuoteReader } from './quotes';
import { SensitiveWordFilter } from './sensitive-words';
import { SystemService } from './system.service';
import { TypingService } from './typing.service';
import { UserService } from './user.service';
import { CallStore } from './webrtc-call-store';
import { WebrtcPrivateService } from './webrtc-private.service';
import { GroupCallStore } from './webrtc-group-store';
import { WebrtcGroupService } from './webrtc-group.service';
import { GroupCallRoster } from './webrtc-group-roster';
import { PasswordHasher } from '../security/passwords';

export type { ServiceDeps } from './deps';

export interface ServiceInputs {
  config: PlatformConfig;
  log: Logger;
  clock: Clock;
  bus: Bus;
  im: IMClient;
  repos: Repositories;
  storage: ObjectStorage;
  /** Orders message writes per user and per group. @default one LocalSerialQueue */
  order?: KeyedSerialQueue | undefined;
}

/**
 * Build every service from one deps object (see `ServiceDeps`). Services check permissions
 * first, hold no SQL and return VOs; every message is written by one of the two writers.
 */
export function createServices(inputs: ServiceInputs) {
  const { config, repos, clock } = inputs;
  const core = {
    ...inputs,
    ...repos,
    order: inputs.order ?? new LocalSerialQueue(),
    words: new SensitiveWordFilter(),
    tokens: new TokenService({
      accessSecret: config.JWT_ACCESS_SECRET,
      refreshSecret: config.JWT_REFRESH_SECRET,
      accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
      clock,
    }),
    revocations: new RevocationCache(inputs.bus),
    authUsers: new AuthUserCache({ bus: inputs.bus, users: repos.users, clock }),
    friendships: new FriendshipCache({ bus: inputs.bus, friends: repos.friends, clock }),
    calls: new CallStore(inputs.bus),
    groupCalls: new GroupCallStore(inputs.bus),
    passwords: new PasswordHasher(config.PASSWORD_HASH),
  };
  const groupAccess = new GroupAccess(core);
  const groupPush = new GroupPush(core);
  const groupWriter = new GroupMessageWriter({ ...core, groupPush });
  const shared = {
    ...core,
    groupAccess,
    groupPush,
    privateWriter: new PrivateMessageWriter(core),
    groupWriter,
    groupCallRoster: new GroupCallRoster({ ...core, groupWriter }),
  };
  const deps: ServiceDeps = {
    ...shared,
    groupRead: new GroupReadService(shared),
    quotes: new QuoteReader(core),
  };
  const friend = new FriendService(deps);
  const groupMember = new GroupMemberService(deps);
  const privateMessage = new PrivateMessageService(deps);
  const groupMessage = new GroupMessageService(deps);
  return {
    words: deps.words,
    tokens: deps.tokens,
    revocations: deps.revocations,
    authUsers: deps.authUsers,
    friendships: deps.friendships,
    auth: new AuthService(deps),
    user: new UserService(deps),
    privateMessage,
    typing: new TypingService(deps),
    chatPref: new ChatPrefService(deps),
    forward: new ForwardService({ ...deps, privateMessage, groupMessage }),
    messageSearch: new MessageSearchService(deps),
    friend,
    friendRequest: new FriendRequestService({ ...deps, friendship: friend }),
    system: new SystemService(deps),
    groupAdmin: new GroupAdminService(deps),
    group: new GroupService(deps),
    groupMember,
    groupInvite: new GroupInviteService({ ...deps, members: groupMember }),
    groupModeration: new GroupModerationService(deps),
    groupRead: deps.groupRead,
    groupMessage,
    ...createFileServices(deps),
    webrtc: new WebrtcPrivateService(deps),
    webrtcGroup: new WebrtcGroupService(deps),
    admin: new AdminService(deps),
  };
}
export type Services = ReturnType<typeof createServices>;

/** Uploads, who may make them, and the deletion of uploads nobody needs. */
function createFileServices(deps: ServiceDeps) {
  const anonymousUploads = new AnonymousUploads(deps);
  return {
    anonymousUploads,
    file: new FileService({
      ...deps,
      anonymous: anonymousUploads,
      images: new ImageWork(deps.config.IMAGE_CONCURRENCY),
    }),
    fileCleanup: new FileCleanupService(deps),
  };
}
