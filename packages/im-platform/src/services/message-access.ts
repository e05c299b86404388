import type { GroupMessageRow } from '../db';
import type { HistoryBounds } from '../repositories/group-message.repository';
import { parseIds } from './group-support';

/** Whether a private message is one of the user's (sent or received). */
export function ownPrivate(row: { send_id: number; recv_id: number }, userId: number): boolean {
  return row.send_id === userId || row.recv_id === userId;
}

/** Whether a member with these bounds sees the group message (as history shows it). */
export function visibleInGroup(row: GroupMessageRow, userId: number, bounds: HistoryBounds): boolean {
  if (row.id <= bounds.after) return false;
  if (bounds.upTo !== null && row.id > bounds.upTo) return false;
  if (bounds.since !== null && row.send_time < bounds.since) return false;
  if (bounds.until !== null && row.send_time > bounds.until) return false;
  return !row.recv_ids || parseIds(row.recv_ids).includes(userId);
}
