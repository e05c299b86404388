/**
 * Friend requests and group invitations waiting for an answer (issue 15, FRIEND_REQUEST=on):
 * the lists both clients show, loaded from the server and kept current by the push frames.
 * The state is the host's (reactive in Vue); this class only changes it.
 */
import { AddPolicy, type FriendRequestVO, type GroupInviteVO, type GroupVO } from '@box-im/im-common';
import type { socialApi } from '../http/social-api';

/** Request status: 0 pending, 1 accepted, 2 declined. */
export const RequestStatus = { PENDING: 0, ACCEPTED: 1, DECLINED: 2 } as const;

export interface SocialState {
  /** Pending requests to me, newest first. */
  incoming: FriendRequestVO[];
  /** Pending requests from me, newest first. */
  outgoing: FriendRequestVO[];
  /** Group invitations waiting for my consent, newest first. */
  invites: GroupInviteVO[];
}

export const createSocialState = (): SocialState => ({ incoming: [], outgoing: [], invites: [] });

export type SocialApi = Pick<
  ReturnType<typeof socialApi>,
  | 'friendRequests'
  | 'groupInvites'
  | 'friendRequest'
  | 'acceptFriendRequest'
  | 'declineFriendRequest'
  | 'acceptGroupInvite'
  | 'declineGroupInvite'
>;

/** How a found user may be added: at once (box-im's way), by a request, or not at all. */
export type AddMode = 'add' | 'request' | 'none';

export function addMode(requestsOn: boolean, addPolicy: number | undefined): AddMode {
  if (!requestsOn || addPolicy === AddPolicy.ANYONE) return 'add';
  return addPolicy === AddPolicy.NOBODY ? 'none' : 'request';
}

const byNewest = (a: { createdTime: number; id: number }, b: { createdTime: number; id: number }) =>
  b.createdTime - a.createdTime || b.id - a.id;

/** The same pair of users (either direction): one row per pair on the server. */
const samePair = (a: FriendRequestVO, b: FriendRequestVO) =>
  (a.sendId === b.sendId && a.recvId === b.recvId) || (a.sendId === b.recvId && a.recvId === b.sendId);

export class SocialBook {
  constructor(
    readonly state: SocialState,
    private readonly api: SocialApi,
    private readonly me: () => number,
  ) {}

  /** What waits for my answer (the badge on the contacts entry). */
  waiting(): number {
    return this.state.incoming.length + this.state.invites.length;
  }

  /** I asked this user and they have not answered yet. */
  pendingTo(userId: number): boolean {
    return this.state.outgoing.some((r) => r.recvId === userId);
  }

  /** Both lists from the server; a server without these endpoints leaves them empty. */
  async load(): Promise<void> {
    try {
      const [requests, invites] = await Promise.all([this.api.friendRequests(), this.api.groupInvites()]);
      this.state.incoming = requests.incoming.slice().sort(byNewest);
      this.state.outgoing = requests.outgoing.slice().sort(byNewest);
      this.state.invites = invites.filter((i) => i.status === RequestStatus.PENDING).sort(byNewest);
    } catch {
      /* optional: box-im's server has no requests */
    }
  }

  /**
   * A request made or settled (a FRIEND_REQUEST frame or an answer of mine): a pending one is
   * listed on my side of it, a settled one leaves both lists.
   */
  applyRequest(vo: FriendRequestVO): void {
    const me = this.me();
    const keep = (r: FriendRequestVO) => r.id !== vo.id && !samePair(r, vo);
    const incoming = this.state.incoming.filter(keep);
    const outgoing = this.state.outgoing.filter(keep);
    if (vo.status === RequestStatus.PENDING) {
      if (vo.recvId === me) incoming.unshift(vo);
      else if (vo.sendId === me) outgoing.unshift(vo);
    }
    this.state.incoming = incoming.sort(byNewest);
    this.state.outgoing = outgoing.sort(byNewest);
  }

  /** A group invitation (a GROUP_INVITE frame): pending ones wait, others leave the list. */
  applyInvite(vo: GroupInviteVO): void {
    const rest = this.state.invites.filter((i) => i.id !== vo.id);
    if (vo.status === RequestStatus.PENDING) rest.unshift(vo);
    this.state.invites = rest.sort(byNewest);
  }

  async request(friendId: number, message: string): Promise<FriendRequestVO> {
    const vo = await this.api.friendRequest(friendId, message);
    this.applyRequest(vo);
    return vo;
  }

  async accept(id: number): Promise<FriendRequestVO> {
    const vo = await this.api.acceptFriendRequest(id);
    this.applyRequest(vo);
    return vo;
  }

  async decline(id: number): Promise<FriendRequestVO> {
    const vo = await this.api.declineFriendRequest(id);
    this.applyRequest(vo);
    return vo;
  }

  /** Join the group: its `GroupVO` for the group list. */
  async acceptInvite(id: number): Promise<GroupVO> {
    const group = await this.api.acceptGroupInvite(id);
    this.dropInvite(id);
    return group;
  }

  async declineInvite(id: number): Promise<void> {
    await this.api.declineGroupInvite(id);
    this.dropInvite(id);
  }

  clear(): void {
    this.state.incoming = [];
    this.state.outgoing = [];
    this.state.invites = [];
  }

  private dropInvite(id: number): void {
    this.state.invites = this.state.invites.filter((i) => i.id !== id);
  }
}
