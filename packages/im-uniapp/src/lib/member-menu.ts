/**
 * A group member's menu on the phone: the profile, then what the client core allows me
 * (admin, mute for a chosen time, unmute, transfer). Each change is the server's: the page
 * reloads the members afterwards (`done`).
 */
import { memberActions, MUTE_CHOICES, type MemberAction } from '@box-im/im-app-core';
import type { GroupMemberVO, GroupVO } from '@box-im/im-common';
import { api } from '../api';
import { t, type MessageKey } from '../i18n';
import { actionSheet, confirmBox } from './ui';

const MUTE_LABELS: Record<(typeof MUTE_CHOICES)[number], MessageKey> = {
  10: 'group.mute10m',
  60: 'group.mute1h',
  720: 'group.mute12h',
  1440: 'group.mute1d',
};
const LABELS: Record<MemberAction, MessageKey> = {
  admin: 'group.makeAdmin',
  unadmin: 'group.unmakeAdmin',
  mute: 'group.mute',
  unmute: 'group.unmute',
  transfer: 'group.transfer',
};

const toast = (title: string) => uni.showToast({ title, icon: 'none' });

async function run(group: GroupVO, m: GroupMemberVO, action: MemberAction, done: () => void) {
  switch (action) {
    case 'admin':
    case 'unadmin':
      await api.setGroupAdmin(group.id, m.userId, action === 'admin');
      break;
    case 'unmute':
      await api.muteMember(group.id, m.userId, 0);
      break;
    case 'transfer':
      if (!(await confirmBox(t('group.transferConfirm', { name: m.showNickName })))) return;
      await api.transferGroup(group.id, m.userId);
      break;
    case 'mute':
      actionSheet(
        MUTE_CHOICES.map((minutes) => ({
          label: t(MUTE_LABELS[minutes]),
          run: () =>
            void api.muteMember(group.id, m.userId, minutes).then(() => {
              toast(t('group.done'));
              done();
            }),
        })),
      );
      return;
  }
  toast(t('group.done'));
  done();
}

/** Tap on a member: straight to the profile when I may do nothing else. */
export function memberMenu(group: GroupVO, m: GroupMemberVO, me: number, done: () => void): void {
  const profile = () => uni.navigateTo({ url: `/pages/common/user-info?id=${m.userId}` });
  const actions = memberActions(group, m, me, Date.now());
  if (!actions.length) {
    profile();
    return;
  }
  actionSheet([
    { label: t('group.viewProfile'), run: profile },
    ...actions.map((a) => ({
      label: t(LABELS[a]),
      run: () => void run(group, m, a, done).catch(() => undefined),
    })),
  ]);
}
