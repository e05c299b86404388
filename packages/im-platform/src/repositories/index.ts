import type { DialectHandle } from '../db';
import { AdminRepository } from './admin.repository';
import { AnonymousUploadRepository } from './anonymous-upload.repository';
import { FileInfoRepository } from './file-info.repository';
import { FriendRepository } from './friend.repository';
import { GroupMemberRepository } from './group-member.repository';
import { GroupMessageRepository } from './group-message.repository';
import { GroupRepository } from './group.repository';
import { PrivateMessageRepository } from './private-message.repository';
import { SensitiveWordRepository } from './sensitive-word.repository';
import { UserRepository } from './user.repository';

/** One repository per table or capability; the only place that holds SQL. */
export function createRepositories(h: DialectHandle) {
  return {
    users: new UserRepository(h),
    friends: new FriendRepository(h),
    privateMessages: new PrivateMessageRepository(h),
    sensitiveWords: new SensitiveWordRepository(h),
    groups: new GroupRepository(h),
    groupMembers: new GroupMemberRepository(h),
    groupMessages: new GroupMessageRepository(h),
    fileInfos: new FileInfoRepository(h),
    anonymousUploads: new AnonymousUploadRepository(h),
    admin: new AdminRepository(h),
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
