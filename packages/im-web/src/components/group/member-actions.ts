/** What the owner and admins may do to a member from the group side panel (issue 15). */
import type { GroupMemberVO, GroupVO } from '@box-im/im-common';
import type { MenuItem } from '../common/ContextMenu.vue';
import { api } from '../../api';
import { confirm } from '../../composables/dialogs';
import { t } from '../../i18n';

const MUTES: Record<string, number> = { mute10m: 10, mute1h: 60, mute1d: 1440 };

/** The menu for `member`, as seen by user `me` (owner or admin of `group`). */
export function memberActions(group: GroupVO, member: GroupMemberVO, me: number): MenuItem[] {
  const owner = group.ownerId === me;
  if (member.userId === group.ownerId || member.userId === me) return [];
  if (!owner && (!group.isAdmin || member.isAdmin)) return [];
  const items: MenuItem[] = [];
  if (owner) {
    items.push(
      member.isAdmin
        ? { key: 'unadmin', label: t('group.unmakeAdmin') }
        : { key: 'admin', label: t('group.makeAdmin') },
    );
  }
  if ((member.muteUntil ?? 0) > Date.now()) items.push({ key: 'unmute', label: t('group.unmute') });
  items.push(
    { key: 'mute10m', label: t('group.mute10m') },
    { key: 'mute1h', label: t('group.mute1h') },
    { key: 'mute1d', label: t('group.mute1d') },
  );
  if (owner) items.push({ key: 'transfer', label: t('group.transfer'), danger: true });
  return items;
}

export async function runMemberAction(groupId: number, member: GroupMemberVO, key: string): Promise<void> {
  if (key === 'admin' || key === 'unadmin') {
    await api.setGroupAdmin(groupId, member.userId, key === 'admin');
  } else if (key === 'unmute') {
    await api.muteMember(groupId, member.userId, 0);
  } else if (key in MUTES) {
    await api.muteMember(groupId, member.userId, MUTES[key]!);
  } else if (key === 'transfer') {
    if (!(await confirm(t('group.confirmTransfer', { name: member.showNickName })))) return;
    await api.transferGroup(groupId, member.userId);
  }
}
