/**
 * Issue 15 endpoints (not in box-im): friend requests, group invitations waiting for consent,
 * group admins, mute and ownership transfer.
 */
import type { FriendRequestVO, GroupInviteVO, GroupVO } from '@box-im/im-common';
import type { HttpClient } from './client';

export interface FriendRequestLists {
  incoming: FriendRequestVO[];
  outgoing: FriendRequestVO[];
}

export function socialApi(http: HttpClient) {
  return {
    friendRequest: (friendId: number, message: string) =>
      http.post<FriendRequestVO>('/friend/request', { body: { friendId, message } }),
    friendRequests: () => http.get<FriendRequestLists>('/friend/request/list', { silent: true }),
    acceptFriendRequest: (id: number) => http.post<FriendRequestVO>(`/friend/request/accept/${id}`),
    declineFriendRequest: (id: number) => http.post<FriendRequestVO>(`/friend/request/decline/${id}`),
    groupInvites: () => http.get<GroupInviteVO[]>('/group/invite/list', { silent: true }),
    acceptGroupInvite: (id: number) => http.post<GroupVO>(`/group/invite/accept/${id}`),
    declineGroupInvite: (id: number) => http.post<null>(`/group/invite/decline/${id}`),
    setGroupAdmin: (groupId: number, userId: number, isAdmin: boolean) =>
      http.put<null>('/group/admin', { body: { groupId, userId, isAdmin } }),
    muteMember: (groupId: number, userId: number, minutes: number) =>
      http.put<null>('/group/mute', { body: { groupId, userId, minutes } }),
    muteAll: (groupId: number, muted: boolean) =>
      http.put<null>('/group/muteAll', { body: { groupId, muted } }),
    transferGroup: (groupId: number, userId: number) =>
      http.put<GroupVO>('/group/transfer', { body: { groupId, userId } }),
  };
}
