import type { Bus, RevocationCache } from '@box-im/im-bus';
import type { IMClient } from '@box-im/im-client';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { KeyedSerialQueue } from '../concurrency/keyed-serial-queue';
import type { PlatformConfig } from '../config';
import type { Repositories } from '../repositories';
import type { TokenService } from '../security/tokens';
import type { ObjectStorage } from '../storage/storage';
import type { GroupMessageWriter } from './group-message-writer';
import type { GroupReadService } from './group-read.service';
import type { GroupAccess, GroupPush } from './group-support';
import type { PrivateMessageWriter } from './private-message-writer';
import type { QuoteReader } from './quotes';
import type { SensitiveWordFilter } from './sensitive-words';
import type { AuthUserCache } from './auth-user-cache';
import type { FriendshipCache } from './friendship-cache';
import type { CallStore } from './webrtc-call-store';
import type { GroupCallStore } from './webrtc-group-store';
import type { GroupCallRoster } from './webrtc-group-roster';
import type { PasswordHasher } from '../security/passwords';

/**
 * Everything services are built from: the process's stores and clients, the repositories,
 * and the parts services share (the writers, the group access checks and pushes). Every
 * service takes one deps object naming the part it uses (`Pick<ServiceDeps, …>`), and the
 * composition (`createServices`) hands each the same object.
 */
export interface ServiceDeps extends Repositories {
  config: PlatformConfig;
  log: Logger;
  clock: Clock;
  bus: Bus;
  im: IMClient;
  storage: ObjectStorage;
  /** Orders message writes per user and per group. */
  order: KeyedSerialQueue;
  words: SensitiveWordFilter;
  tokens: TokenService;
  /** Token revocation markers, remembered and kept current by bus notices (checked per request). */
  revocations: RevocationCache;
  /** The user facts request authentication checks, remembered; told of every change to them. */
  authUsers: AuthUserCache;
  /** Live friendships as private sends check them, remembered; told of every change. */
  friendships: FriendshipCache;
  /** PASSWORD_HASH: argon2id, or bcrypt while box-im's Java nodes share the database. */
  passwords: PasswordHasher;
  calls: CallStore;
  /** Group call sessions. */
  groupCalls: GroupCallStore;
  /** Who is in each group's call; group services tell it when members leave. */
  groupCallRoster: GroupCallRoster;
  privateWriter: PrivateMessageWriter;
  groupWriter: GroupMessageWriter;
  groupAccess: GroupAccess;
  groupPush: GroupPush;
  groupRead: GroupReadService;
  /** Replies: quote checks and the quotes of messages read back. */
  quotes: QuoteReader;
}
