/** What the owner and admins may do to a member from the group side panel (issue 15). */
import type { GroupMemberVO, GroupVO } from '@box-im/im-common';
import { memberActions as allowedActions } from '@box-im/im-app-core';
import type { MenuItem } from '../common/ContextMenu.vue';
import { api } from '../../api';
import { confirm } from '../../composables/dialogs';
import { t } from '../../i18n';

/** Menu keys for the mute durations (minutes from the core's choices). */
const MUTES = { mute10m: 10, mute1h: 60, mute12h: 720, mute1d: 1440 } as const;
type MuteKey = keyof typeof MUTES;

/** The menu for `member`, as seen by user `me` (the core decides what is allowed). */
export function memberActions(group: GroupVO, member: GroupMemberVO, me: number): MenuItem[] {
  const items: MenuItem[] = [];
  for (const action of allowedActions(group, member, me, Date.now())) {
    if (action === 'mute') {
      for (const key of Object.keys(MUTES) as MuteKey[]) items.push({ key, label: t(`group.${key}`) });
    } else if (action === 'admin') items.push({ key: 'admin', label: t('group.makeAdmin') });
    else if (action === 'unadmin') items.push({ key: 'unadmin', label: t('group.unmakeAdmin') });
    else if (action === 'unmute') items.push({ key: 'unmute', label: t('group.unmute') });
    else items.push({ key: 'transfer', label: t('group.transfer'), danger: true });
  }
  return items;
}

export async function runMemberAction(groupId: number, member: GroupMemberVO, key: string): Promise<void> {
  if (key === 'admin' || key === 'unadmin') {
    await api.setGroupAdmin(groupId, member.userId, key === 'admin');
  } else if (key === 'unmute') {
    await api.muteMember(groupId, member.userId, 0);
  } else if (key in MUTES) {
    await api.muteMember(groupId, member.userId, MUTES[key as MuteKey]);
  } else if (key === 'transfer') {
    if (!(await confirm(t('group.confirmTransfer', { name: member.showNickName })))) return;
    await api.transferGroup(groupId, member.userId);
  }
}
