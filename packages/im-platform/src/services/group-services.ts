import type { Bus } from '@box-im/im-bus';
import type { IMClient } from '@box-im/im-client';
import type { Logger } from 'pino';
import type { Repositories } from '../repositories';
import { GroupAdminService } from './group-admin.service';
import { GroupMemberService } from './group-member.service';
import { GroupMessageService } from './group-message.service';
import { GroupReadService } from './group-read.service';
import { GroupAccess, GroupPush, GroupTips } from './group-support';
import { GroupService } from './group.service';
import type { SensitiveWordFilter } from './sensitive-words';
import { UserOrderLock } from './user-order-lock';

/** The group services, sharing one access checker, tip writer and pusher. */
export function createGroupServices(deps: {
  repos: Repositories;
  im: IMClient;
  bus: Bus;
  words: SensitiveWordFilter;
  log: Logger;
}) {
  const { repos, im } = deps;
  const access = new GroupAccess(repos.groups, repos.groupMembers);
  const push = new GroupPush(im, deps.log.child({ mod: 'group' }));
  const tips = new GroupTips(repos.groupMessages);
  const groupRead = new GroupReadService(access, repos.groupMembers, repos.groupMessages, push);
  return {
    groupAdmin: new GroupAdminService(repos.groups, repos.groupMembers, tips, push),
    group: new GroupService(access, repos.groups, repos.groupMembers, repos.users, tips, push, im),
    groupMember: new GroupMemberService(
      access,
      repos.groupMembers,
      repos.groupMessages,
      tips,
      push,
      deps.bus,
    ),
    groupRead,
    groupMessage: new GroupMessageService(
      access,
      repos.groupMembers,
      repos.groupMessages,
      groupRead,
      push,
      deps.words,
      new UserOrderLock(),
    ),
  };
}
