/**
 * Who may do what in a group (issue 15), as the server decides it: the owner appoints admins
 * and hands the group over; the owner and admins mute and remove members, but admins not the
 * owner nor other admins. Clients use this to show only the actions that will succeed.
 */
import type { GroupMemberVO, GroupVO } from '@box-im/im-common';

/** Mute durations offered to the owner and admins, in minutes (10 min, 1 h, 12 h, 1 day). */
export const MUTE_CHOICES = [10, 60, 720, 1440] as const;

export type GroupRole = 'owner' | 'admin' | 'member';

type GroupLike = Pick<GroupVO, 'ownerId'> & Partial<Pick<GroupVO, 'isAdmin' | 'muteUntil' | 'allMuted'>>;
type MemberLike = Pick<GroupMemberVO, 'userId'> & Partial<Pick<GroupMemberVO, 'isAdmin' | 'muteUntil'>>;

/** A member's role (for badges). */
export function memberRole(group: GroupLike, member: MemberLike): GroupRole {
  if (member.userId === group.ownerId) return 'owner';
  return member.isAdmin ? 'admin' : 'member';
}

/** My role, from my own `GroupVO` (`isAdmin` is the caller's). */
export function myRole(group: GroupLike, me: number): GroupRole {
  if (group.ownerId === me) return 'owner';
  return group.isAdmin ? 'admin' : 'member';
}

/** The owner or an admin. */
export const isManager = (group: GroupLike, me: number) => myRole(group, me) !== 'member';

/** A mute end time still in the future. */
export const mutedNow = (muteUntil: number | null | undefined, now: number) => (muteUntil ?? 0) > now;

/** May I mute, unmute or remove this member? (Never myself, never the owner; admins not admins.) */
export function canManageMember(group: GroupLike, member: MemberLike, me: number): boolean {
  if (member.userId === me || member.userId === group.ownerId) return false;
  const role = myRole(group, me);
  return role === 'owner' || (role === 'admin' && !member.isAdmin);
}

export type MemberAction = 'admin' | 'unadmin' | 'mute' | 'unmute' | 'transfer';

/** What I may do to `member`, in menu order (empty when nothing). */
export function memberActions(group: GroupLike, member: MemberLike, me: number, now: number): MemberAction[] {
  if (!canManageMember(group, member, me)) return [];
  const owner = group.ownerId === me;
  const out: MemberAction[] = [];
  if (owner) out.push(member.isAdmin ? 'unadmin' : 'admin');
  if (mutedNow(member.muteUntil, now)) out.push('unmute');
  out.push('mute');
  if (owner) out.push('transfer');
  return out;
}

/** Why I may not speak in this group now: muted until a time, everyone muted, or null. */
export type MuteBlock = { kind: 'member'; until: number } | { kind: 'all' } | null;

export function muteBlock(group: GroupLike, me: number, now: number): MuteBlock {
  if (isManager(group, me)) return null;
  if (mutedNow(group.muteUntil, now)) return { kind: 'member', until: group.muteUntil! };
  return group.allMuted ? { kind: 'all' } : null;
}

/** Members for a list: owner first, then admins, then the others (stable otherwise). */
export function byRole<T extends MemberLike>(group: GroupLike, members: readonly T[]): T[] {
  const rank = { owner: 0, admin: 1, member: 2 } as const;
  return members
    .map((m, i) => ({ m, i }))
    .sort((a, b) => rank[memberRole(group, a.m)] - rank[memberRole(group, b.m)] || a.i - b.i)
    .map((x) => x.m);
}
