import { BusLock } from '@box-im/im-bus';
import {
  ALL_TERMINALS,
  AddPolicy,
  MessageType,
  Terminal,
  type FriendOnlineVO,
  type FriendVO,
  type IMUserInfo,
  type UserSession,
} from '@box-im/im-common';
import { PlatformKey } from '../bus-keys';
import { RequestStatus } from '../repositories/friend-request.repository';
import type { FriendRow, UserRow } from '../db';
import { AppError, CommonErrors, FriendErrors } from '../errors';
import { pushBestEffort, withoutNulls } from './pushes';
import type { ServiceDeps } from './deps';

/** Tip texts stored as TIP_TEXT messages, exactly as box-im writes them. */
export const FriendTips = {
  ADDED: '你们已成为好友，现在可以开始聊天了',
  DELETED: '你们的好友关系已被解除',
} as const;

export function toFriendVO(row: FriendRow): FriendVO {
  return {
    id: row.friend_id,
    nickName: row.friend_nick_name,
    headImage: row.friend_head_image ?? '',
    isDnd: row.is_dnd === null ? null : Boolean(row.is_dnd),
    deleted: Boolean(row.deleted),
  };
}

/** A friend with the online flags of its terminals (none: offline). */
function withOnline(vo: FriendVO, terminals: readonly number[] | undefined): FriendOnlineVO {
  const on = terminals ?? [];
  return {
    ...vo,
    online: on.length > 0,
    onlineWeb: on.includes(Terminal.WEB),
    onlineApp: on.includes(Terminal.APP),
  };
}

export type FriendServiceDeps = Pick<
  ServiceDeps,
  | 'friends'
  | 'friendships'
  | 'friendRequests'
  | 'users'
  | 'privateWriter'
  | 'im'
  | 'bus'
  | 'clock'
  | 'log'
  | 'config'
>;

/**
 * Friends: both directions are bound at once (box-im); with FRIEND_REQUEST=on, only users who
 * let anyone add them are added at once (see FriendRequestService). Each change is
 * pushed to the terminals that must show it; adds and deletes also leave a stored tip in
 * the conversation.
 */
export class FriendService {
  constructor(private readonly deps: FriendServiceDeps) {}

  /**
   * Adds and deletes of one pair of users run one at a time across every platform process
   * (a lease on the bus); a concurrent second request is refused as a repeat, so a double
   * click never stores two tips.
   */
  exclusive<T>(a: number, b: number, fn: () => Promise<T>): Promise<T> {
    const key = PlatformKey.lock(`friend:${Math.min(a, b)}:${Math.max(a, b)}`);
    return new BusLock(this.deps.bus, key, 30_000).runExclusive(fn, {
      onBusy: () => {
        throw new AppError(CommonErrors.REPEAT_SUBMIT);
      },
    });
  }

  /**
   * My friends, deleted ones included (`deleted: true`) so old chats still render, with
   * their online flags (one bus read for all; deleted friends read as offline).
   */
  async list(session: UserSession): Promise<FriendOnlineVO[]> {
    const rows = await this.deps.friends.listByUser(session.userId);
    const online = await this.deps.im.getOnlineTerminals(
      rows.filter((r) => !r.deleted).map((r) => r.friend_id),
    );
    return rows.map((row) =>
      withOnline(toFriendVO(row), row.deleted ? undefined : online.get(row.friend_id)),
    );
  }

  /** My row for `friendId`, also when the friendship was deleted. */
  async find(session: UserSession, friendId: number): Promise<FriendOnlineVO> {
    const row = await this.deps.friends.find(session.userId, friendId);
    if (!row) throw new AppError(FriendErrors.NOT_FRIEND);
    const online = row.deleted
      ? undefined
      : (await this.deps.im.getOnlineTerminals([friendId])).get(friendId);
    return withOnline(toFriendVO(row), online);
  }

  /** Befriend `friendId` both ways; both users' terminals get FRIEND_NEW and the tip. */
  async add(session: UserSession, friendId: number): Promise<void> {
    const me = session.userId;
    if (friendId === me) throw new AppError(FriendErrors.ADD_SELF);
    const [self, friend] = await Promise.all([
      this.deps.users.findById(me),
      this.deps.users.findById(friendId),
    ]);
    if (!friend) throw new AppError(FriendErrors.FRIEND_USER_NOT_FOUND, { id: friendId });
    if (!self) throw new AppError(FriendErrors.FRIEND_USER_NOT_FOUND, { id: me });
    if (this.deps.config.FRIEND_REQUEST && friend.add_policy !== AddPolicy.ANYONE) {
      if (await this.deps.friends.isFriend(me, friendId)) throw new AppError(FriendErrors.ALREADY_FRIEND);
      throw new AppError(
        friend.add_policy === AddPolicy.NOBODY ? FriendErrors.ADD_REFUSED : FriendErrors.REQUEST_NEEDED,
      );
    }
    await this.exclusive(me, friendId, async () => {
      if (await this.deps.friends.isFriend(me, friendId)) throw new AppError(FriendErrors.ALREADY_FRIEND);
      await this.bindBoth(session, self, friend);
    });
  }

  /**
   * Bind both ways, with the pushes and the tip of an add (`session` is the user acting).
   * Callers hold the pair's lock (`exclusive`).
   */
  async bindBoth(session: UserSession, self: UserRow, friend: UserRow): Promise<void> {
    const me = self.id;
    const friendId = friend.id;
    const now = this.deps.clock.now();
    await this.deps.friends.bind(
      me,
      friendId,
      { nickName: friend.nick_name, headImage: friend.head_image_thumb },
      now,
    );
    await this.deps.friends.bind(
      friendId,
      me,
      { nickName: self.nick_name, headImage: self.head_image_thumb },
      now,
    );
    await this.deps.friendships.changed(me, friendId);
    const [mine, theirs] = await Promise.all([
      this.deps.friends.find(me, friendId),
      this.deps.friends.find(friendId, me),
    ]);
    const sender = { id: me, terminal: session.terminal };
    // FRIEND_NEW first, so that clients know the friend before the tip arrives.
    await this.notify(sender, me, {
      type: MessageType.FRIEND_NEW,
      sendId: friendId,
      recvId: me,
      content: JSON.stringify(withoutNulls(toFriendVO(mine!))),
    });
    await this.notify(sender, friendId, {
      type: MessageType.FRIEND_NEW,
      sendId: me,
      recvId: friendId,
      content: JSON.stringify(withoutNulls(toFriendVO(theirs!))),
    });
    await this.tip(sender, friendId, FriendTips.ADDED);
    if (this.deps.config.FRIEND_REQUEST) {
      await this.deps.friendRequests.settleBetween(me, friendId, RequestStatus.ACCEPTED, now);
    }
  }

  /** End the friendship both ways; both users' terminals get FRIEND_DEL and the tip (once each). */
  async delete(session: UserSession, friendId: number): Promise<void> {
    const me = session.userId;
    const sender = { id: me, terminal: session.terminal };
    await this.exclusive(me, friendId, async () => {
      if (!(await this.deps.friends.isFriend(me, friendId))) throw new AppError(FriendErrors.NOT_FRIEND);
      await this.deps.friends.unbindBoth(me, friendId);
      await this.deps.friendships.changed(me, friendId);
      await this.notify(sender, me, { type: MessageType.FRIEND_DEL, sendId: friendId, recvId: me });
      await this.notify(sender, friendId, { type: MessageType.FRIEND_DEL, sendId: me, recvId: friendId });
      await this.tip(sender, friendId, FriendTips.DELETED);
    });
  }

  /** Mute or unmute a friend; my other terminals follow (FRIEND_DND). */
  async setDnd(session: UserSession, friendId: number, isDnd: boolean): Promise<void> {
    const me = session.userId;
    if (!(await this.deps.friends.find(me, friendId))) throw new AppError(FriendErrors.NOT_FRIEND);
    await this.deps.friends.setDnd(me, friendId, isDnd);
    await this.notify(
      { id: me, terminal: session.terminal },
      me,
      { type: MessageType.FRIEND_DND, sendId: me, recvId: friendId, content: isDnd ? 'true' : 'false' },
      ALL_TERMINALS.filter((t) => t !== session.terminal),
    );
  }

  /** A stored tip in the conversation, pushed to every terminal of both users. */
  private async tip(sender: IMUserInfo, recvId: number, content: string): Promise<void> {
    await this.deps.privateWriter.write(
      { sender, recvId, tmpId: null, type: MessageType.TIP_TEXT, content },
      'both-sides',
    );
  }

  /** A push-only notice (not stored) to `recvId`'s terminals; failures are logged, never thrown. */
  private notify(
    sender: IMUserInfo,
    recvId: number,
    data: { type: number; sendId: number; recvId: number; content?: string },
    recvTerminals?: readonly number[],
  ): Promise<void> {
    return pushBestEffort(this.deps.log, 'friend notice', () =>
      this.deps.im.sendPrivateMessage({
        sender,
        recvId,
        ...(recvTerminals ? { recvTerminals } : {}),
        sendToSelf: false,
        sendResult: false,
        data: withoutNulls(data),
      }),
    );
  }
}
