/** Helpers shared by the private-message suites. */
import type { Frame, TestSocket, TestUser } from '../../testing';
import type { AppContext } from '@box-im/im-platform';
import { until } from '@box-im/im-process/testing';

/** A standalone test server or a test cluster. */
type World = { running: { ctx: AppContext } } | { ctx: AppContext };
type UserFactory<U extends TestUser> = {
  newUser(prefix?: string): Promise<U>;
  befriend(a: TestUser, b: TestUser): Promise<void>;
};

export const ctxOf = (t: World): AppContext => ('running' in t ? t.running.ctx : t.ctx);

export const PRIVATE = 3;
export const T = {
  TEXT: 0,
  IMAGE: 1,
  FILE: 2,
  AUDIO: 3,
  VIDEO: 4,
  RECALL: 10,
  READED: 11,
  RECEIPT: 12,
  TIP_TEXT: 21,
};
export const S = { PENDING: 0, DELIVERED: 1, RECALL: 2, READED: 3 };

export interface Msg {
  id: number;
  tmpId?: string | null;
  sendId: number;
  recvId: number;
  content: string;
  type: number;
  status: number;
  sendTime: number;
}

export const msg = (f: Frame) => f.data as Msg;
export const isChat = (f: Frame) => f.cmd === PRIVATE && msg(f).type === T.TEXT;

/** Two new users who are friends (a added b). */
export async function friends<U extends TestUser>(
  t: UserFactory<U>,
  a = 'alice',
  b = 'bob',
): Promise<[U, U]> {
  const alice = await t.newUser(a);
  const bob = await t.newUser(b);
  await t.befriend(alice, bob);
  return [alice, bob];
}

export function text(recvId: number, content: string, tmpId?: string) {
  return { recvId, content, type: T.TEXT, ...(tmpId ? { tmpId } : {}) };
}

/** Rows of the conversation straight from the database. */
export async function rows(t: World, a: number, b: number) {
  return ctxOf(t)
    .db.db.selectFrom('im_private_message')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('send_id', '=', a), eb('recv_id', '=', b)]),
        eb.and([eb('send_id', '=', b), eb('recv_id', '=', a)]),
      ]),
    )
    .orderBy('id')
    .execute();
}

/** Wait until `check` passes (for states set asynchronously, such as DELIVERED), polling the database. */
export const eventually = (check: () => Promise<boolean>, timeoutMs = 5000) => until(check, timeoutMs, 25);

/** Collect `n` chat frames from a socket. */
export async function collect(
  socket: TestSocket,
  n: number,
  match = isChat,
  timeoutMs = 10_000,
): Promise<Msg[]> {
  const out: Msg[] = [];
  for (let i = 0; i < n; i++) out.push(msg(await socket.next(match, timeoutMs)));
  return out;
}
