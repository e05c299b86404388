import type { DialectHandle } from '../db';
import { commitLanes, type CommitLanes } from '../db/group-commit';
import { AdminRepository } from './admin.repository';
import { AnonymousUploadRepository } from './anonymous-upload.repository';
import { ChatPrefRepository } from './chat-pref.repository';
import { FileInfoRepository } from './file-info.repository';
import { FriendRepository } from './friend.repository';
import { FriendRequestRepository } from './friend-request.repository';
import { GroupInviteRepository } from './group-invite.repository';
import { GroupMemberRepository } from './group-member.repository';
import { GroupMessageRepository } from './group-message.repository';
import { GroupRepository } from './group.repository';
import { MessageSearchRepository } from './message-search.repository';
import { PrivateMessageRepository } from './private-message.repository';
import { SensitiveWordRepository } from './sensitive-word.repository';
import { UserRepository } from './user.repository';

/**
 * One repository per table or capability; the only place that holds SQL. Message inserts,
 * delivery and read status updates and group read positions go through group commit
 * (`commits`: one transaction per event-loop tick and lane).
 */
export function createRepositories(h: DialectHandle, commits: CommitLanes = commitLanes(h)) {
  const messageSearch = new MessageSearchRepository(h);
  return {
    commits,
    users: new UserRepository(h),
    friends: new FriendRepository(h),
    friendRequests: new FriendRequestRepository(h),
    groupInvites: new GroupInviteRepository(h),
    privateMessages: new PrivateMessageRepository(h, commits, messageSearch.stored),
    sensitiveWords: new SensitiveWordRepository(h),
    groups: new GroupRepository(h),
    groupMembers: new GroupMemberRepository(h, commits, messageSearch.stored),
    groupMessages: new GroupMessageRepository(h, commits, messageSearch.stored),
    fileInfos: new FileInfoRepository(h),
    anonymousUploads: new AnonymousUploadRepository(h),
    messageSearch,
    admin: new AdminRepository(h),
    chatPrefs: new ChatPrefRepository(h),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
