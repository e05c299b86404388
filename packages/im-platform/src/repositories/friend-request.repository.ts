import type { DialectHandle, FriendRequestRow } from '../db';
import { insertReturningId, updatedRows } from '../db';

/** Status of a friend request or a group invitation. */
export const RequestStatus = { PENDING: 0, ACCEPTED: 1, DECLINED: 2 } as const;

/** A request with both users' current names and avatars. */
export interface FriendRequestView extends FriendRequestRow {
  send_nick_name: string;
  send_head_image: string;
  recv_nick_name: string;
  recv_head_image: string;
}

/** SQL of `im_friend_request` (migration 015). */
export class FriendRequestRepository {
  constructor(private readonly h: DialectHandle) {}

  private view() {
    return this.h.db
      .selectFrom('im_friend_request as r')
      .innerJoin('im_user as s', 's.id', 'r.send_id')
      .innerJoin('im_user as v', 'v.id', 'r.recv_id')
      .selectAll('r')
      .select([
        's.nick_name as send_nick_name',
        's.head_image_thumb as send_head_image',
        'v.nick_name as recv_nick_name',
        'v.head_image_thumb as recv_head_image',
      ]);
  }

  findById(id: number): Promise<FriendRequestView | undefined> {
    return this.view().where('r.id', '=', id).executeTakeFirst();
  }

  /** The pending request from `sendId` to `recvId`, if any. */
  findPending(sendId: number, recvId: number): Promise<FriendRequestView | undefined> {
    return this.view()
      .where('r.send_id', '=', sendId)
      .where('r.recv_id', '=', recvId)
      .where('r.status', '=', RequestStatus.PENDING)
      .orderBy('r.id', 'desc')
      .executeTakeFirst();
  }

  /** Pending requests to (`incoming`) or from the user, newest first. */
  listPending(
    userId: number,
    direction: 'incoming' | 'outgoing',
    limit: number,
  ): Promise<FriendRequestView[]> {
    return this.view()
      .where(direction === 'incoming' ? 'r.recv_id' : 'r.send_id', '=', userId)
      .where('r.status', '=', RequestStatus.PENDING)
      .orderBy('r.id', 'desc')
      .limit(limit)
      .execute();
  }

  create(sendId: number, recvId: number, message: string, now: Date): Promise<number> {
    return insertReturningId(
      this.h,
      this.h.db.insertInto('im_friend_request').values({
        send_id: sendId,
        recv_id: recvId,
        message,
        status: RequestStatus.PENDING,
        created_time: now,
      }),
    );
  }

  /** A repeated request: its new message and time. */
  async refresh(id: number, message: string, now: Date): Promise<void> {
    await this.h.db
      .updateTable('im_friend_request')
      .set({ message, created_time: now })
      .where('id', '=', id)
      .execute();
  }

  /** Settle a pending request; false if it was already settled (by another terminal). */
  async settle(id: number, status: number, now: Date): Promise<boolean> {
    return (
      (await updatedRows(
        this.h.db
          .updateTable('im_friend_request')
          .set({ status, handled_time: now })
          .where('id', '=', id)
          .where('status', '=', RequestStatus.PENDING),
      )) > 0
    );
  }

  /** Settle every pending request between two users, either way (they became friends). */
  async settleBetween(a: number, b: number, status: number, now: Date): Promise<void> {
    await this.h.db
      .updateTable('im_friend_request')
      .set({ status, handled_time: now })
      .where('status', '=', RequestStatus.PENDING)
      .where((eb) =>
        eb.or([
          eb.and([eb('send_id', '=', a), eb('recv_id', '=', b)]),
          eb.and([eb('send_id', '=', b), eb('recv_id', '=', a)]),
        ]),
      )
      .execute();
  }
}
