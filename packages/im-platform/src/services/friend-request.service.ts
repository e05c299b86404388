import { AddPolicy, MessageType, type FriendRequestVO, type UserSession } from '@box-im/im-common';
import { AppError, FriendErrors } from '../errors';
import { RequestStatus, type FriendRequestView } from '../repositories/friend-request.repository';
import type { FriendService } from './friend.service';
import { pushBestEffort } from './pushes';
import type { ServiceDeps } from './deps';

/** Most pending requests listed per direction. */
const LIST_MAX = 200;

export function toFriendRequestVO(row: FriendRequestView): FriendRequestVO {
  return {
    id: row.id,
    sendId: row.send_id,
    sendNickName: row.send_nick_name,
    sendHeadImage: row.send_head_image ?? '',
    recvId: row.recv_id,
    recvNickName: row.recv_nick_name,
    recvHeadImage: row.recv_head_image ?? '',
    message: row.message ?? '',
    status: row.status,
    createdTime: row.created_time.getTime(),
  };
}

export type FriendRequestServiceDeps = Pick<
  ServiceDeps,
  'config' | 'friends' | 'friendRequests' | 'users' | 'im' | 'clock' | 'log'
> & { friendship: FriendService };

/**
 * Friend requests (FRIEND_REQUEST=on): a request with a message, which the addressee accepts
 * (both become friends, with box-im's FRIEND_NEW pushes and tip) or declines. Every change is
 * pushed (FRIEND_REQUEST, content the request) to both users' terminals.
 */
export class FriendRequestService {
  constructor(private readonly deps: FriendRequestServiceDeps) {}

  /**
   * Ask `friendId` to become a friend. A request the other user already sent me is accepted
   * instead; a repeated request updates the pending one. Users who let anyone add them are
   * added at once (the request is stored as accepted).
   */
  async request(session: UserSession, friendId: number, message: string): Promise<FriendRequestVO> {
    if (!this.deps.config.FRIEND_REQUEST) throw new AppError(FriendErrors.REQUESTS_OFF);
    const me = session.userId;
    if (friendId === me) throw new AppError(FriendErrors.ADD_SELF);
    const friend = await this.deps.users.findById(friendId);
    if (!friend) throw new AppError(FriendErrors.FRIEND_USER_NOT_FOUND, { id: friendId });
    if (await this.deps.friends.isFriend(me, friendId)) throw new AppError(FriendErrors.ALREADY_FRIEND);
    if (friend.add_policy === AddPolicy.NOBODY) throw new AppError(FriendErrors.ADD_REFUSED);
    const theirs = await this.deps.friendRequests.findPending(friendId, me);
    if (theirs) return this.accept(session, theirs.id);

    const now = this.deps.clock.now();
    const text = message.trim();
    const mine = await this.deps.friendRequests.findPending(me, friendId);
    const id = mine?.id ?? (await this.deps.friendRequests.create(me, friendId, text, now));
    if (mine) await this.deps.friendRequests.refresh(mine.id, text, now);
    if (friend.add_policy === AddPolicy.ANYONE) return this.accept(session, id, true);
    const vo = await this.vo(id);
    await this.push(session, friendId, vo);
    return vo;
  }

  /** My pending requests: those to me and those I sent, newest first. */
  async list(session: UserSession): Promise<{ incoming: FriendRequestVO[]; outgoing: FriendRequestVO[] }> {
    const [incoming, outgoing] = await Promise.all([
      this.deps.friendRequests.listPending(session.userId, 'incoming', LIST_MAX),
      this.deps.friendRequests.listPending(session.userId, 'outgoing', LIST_MAX),
    ]);
    return { incoming: incoming.map(toFriendRequestVO), outgoing: outgoing.map(toFriendRequestVO) };
  }

  /** Accept a request made to me: we become friends (tip in the chat). */
  async accept(session: UserSession, id: number, asSender = false): Promise<FriendRequestVO> {
    const request = await this.pending(session, id, asSender ? 'send_id' : 'recv_id');
    const other = asSender ? request.recv_id : request.send_id;
    const { friendship } = this.deps;
    await friendship.exclusive(request.send_id, request.recv_id, async () => {
      if (!(await this.deps.friendRequests.settle(id, RequestStatus.ACCEPTED, this.deps.clock.now()))) {
        throw new AppError(FriendErrors.REQUEST_NOT_FOUND);
      }
      if (await this.deps.friends.isFriend(session.userId, other)) return;
      const [self, friend] = await Promise.all([
        this.deps.users.findById(session.userId),
        this.deps.users.findById(other),
      ]);
      if (!self || !friend) throw new AppError(FriendErrors.FRIEND_USER_NOT_FOUND, { id: other });
      await friendship.bindBoth(session, self, friend);
    });
    const vo = await this.vo(id);
    await this.push(session, other, vo);
    return vo;
  }

  /** Decline a request made to me; the sender's terminals are told. */
  async decline(session: UserSession, id: number): Promise<FriendRequestVO> {
    const request = await this.pending(session, id, 'recv_id');
    if (!(await this.deps.friendRequests.settle(id, RequestStatus.DECLINED, this.deps.clock.now()))) {
      throw new AppError(FriendErrors.REQUEST_NOT_FOUND);
    }
    const vo = await this.vo(id);
    await this.push(session, request.send_id, vo);
    return vo;
  }

  /** The pending request `id` in which I am `side`; else "not found" (also to strangers). */
  private async pending(
    session: UserSession,
    id: number,
    side: 'send_id' | 'recv_id',
  ): Promise<FriendRequestView> {
    const request = await this.deps.friendRequests.findById(id);
    if (!request || request[side] !== session.userId || request.status !== RequestStatus.PENDING) {
      throw new AppError(FriendErrors.REQUEST_NOT_FOUND);
    }
    return request;
  }

  private async vo(id: number): Promise<FriendRequestVO> {
    const row = await this.deps.friendRequests.findById(id);
    if (!row) throw new AppError(FriendErrors.REQUEST_NOT_FOUND);
    return toFriendRequestVO(row);
  }

  /** FRIEND_REQUEST to the other user's terminals and my other ones (push only, never stored). */
  private push(session: UserSession, other: number, vo: FriendRequestVO): Promise<void> {
    return pushBestEffort(this.deps.log, 'friend request', () =>
      this.deps.im.sendPrivateMessage({
        sender: { id: session.userId, terminal: session.terminal },
        recvId: other,
        sendToSelf: true,
        sendResult: false,
        data: {
          type: MessageType.FRIEND_REQUEST,
          sendId: session.userId,
          recvId: other,
          content: JSON.stringify(vo),
          sendTime: this.deps.clock.now().getTime(),
        },
      }),
    );
  }
}
