import { SYS_USER_ID, Terminal, type UserSession } from '@box-im/im-common';
import type { GroupBanNotifier } from '../jobs/admin-queues';
import type { ServiceDeps } from './deps';

/** The sender box-im's admin tips carry: user 0, nickname 系统管理员, terminal PC. */
const ADMIN: UserSession = {
  userId: SYS_USER_ID,
  userName: 'admin',
  nickName: '系统管理员',
  terminal: Terminal.PC,
};

/**
 * What members see when an admin (ours or box-im's console) bans or unbans their group (it has
 * already updated `im_group`): a stored tip message pushed to every current member. A ban also
 * ends the group's running call, as dissolving the group does (a banned group cannot start or
 * join one either).
 */
export class GroupAdminService implements GroupBanNotifier {
  constructor(
    private readonly deps: Pick<ServiceDeps, 'groups' | 'groupMembers' | 'groupWriter' | 'groupCallRoster'>,
  ) {}

  async onGroupBanned(groupId: number, reason: string): Promise<void> {
    await this.deps.groupCallRoster.groupGone(groupId);
    await this.announce(groupId, `本群聊已被管理员封禁,原因:${reason}`);
  }

  onGroupUnbanned(groupId: number): Promise<void> {
    return this.announce(groupId, '已解除封禁');
  }

  private async announce(groupId: number, text: string): Promise<void> {
    if (!(await this.deps.groups.findById(groupId))) return;
    const recvIds = await this.deps.groupMembers.memberIds(groupId);
    await this.deps.groupWriter.tip({ actor: ADMIN, groupId, content: text }, { recvIds });
  }
}
