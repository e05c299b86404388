/** Helpers shared by the group suites. */
import type { Frame, TestServer, TestUser } from '../../testing';

export const GROUP = 4;
export const T = {
  TEXT: 0,
  IMAGE: 1,
  RECALL: 10,
  READED: 11,
  RECEIPT: 12,
  TIP_TEXT: 21,
  GROUP_NEW: 90,
  GROUP_DEL: 91,
  GROUP_DND: 92,
};
export const S = { PENDING: 0, RECALL: 2, READED: 3 };

export interface GMsg {
  id: number;
  tmpId?: string | null;
  groupId: number;
  sendId: number;
  sendNickName: string;
  content: string;
  type: number;
  receipt: boolean;
  receiptOk: boolean;
  readedCount: number;
  atUserIds?: number[] | null;
  status: number;
  sendTime: number;
}

export interface Group {
  id: number;
  name: string;
  ownerId: number;
  notice: string;
  showGroupName: string;
  showNickName: string;
  remarkGroupName: string;
  remarkNickName: string;
  quit: boolean;
  dissolve: boolean;
  isDnd: boolean | null;
  headImage: string;
}

export const gm = (f: Frame) => f.data as GMsg;
/** A group frame of `type` (optionally of one group). */
export const isGroup = (type: number, groupId?: number) => (f: Frame) =>
  f.cmd === GROUP && gm(f).type === type && (groupId === undefined || gm(f).groupId === groupId);

/** Create a group owned by `owner` with `members` invited (each befriended by the owner first). */
export async function makeGroup(
  t: TestServer,
  owner: TestUser,
  members: TestUser[],
  name = 'team',
): Promise<Group> {
  const created = await owner.api.post<Group>('/group/create', { name });
  if (created.code !== 200) throw new Error(`create failed: ${created.message}`);
  for (const m of members) await t.befriend(owner, m);
  if (members.length > 0) {
    const res = await owner.api.post('/group/invite', {
      groupId: created.data!.id,
      friendIds: members.map((m) => m.id),
    });
    if (res.code !== 200) throw new Error(`invite failed: ${res.message}`);
  }
  return created.data!;
}

export function text(groupId: number, content: string, extra: Record<string, unknown> = {}) {
  return { groupId, content, type: T.TEXT, ...extra };
}
