/**
 * Helpers shared by the messaging suites (replies, forward, search, typing, chat prefs): one
 * standalone server per engine for a suite, frame filters by message type, and the sends and
 * invitations the suites set their conversations up with.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { ENGINES, startTestServer, type Frame, type TestServer, type TestUser } from '../../testing';
import { GROUP, gm } from '../group/support';
import { PRIVATE, msg } from '../private/support';

export { GROUP, gm, makeGroup } from '../group/support';
export { PRIVATE, S, T, friends, msg, rows } from '../private/support';

/**
 * `describe.each(ENGINES)`: the suite "`title` (engine)" on every engine, with a standalone
 * server of that engine started before its tests and closed after them; `body` reaches it
 * through `server()` (inside tests and hooks, once it is started).
 */
export function describeEngines(title: string, body: (server: () => TestServer) => void): void {
  describe.each(ENGINES)(`${title} (%s)`, (engine) => {
    let t: TestServer | undefined;
    beforeAll(async () => {
      t = await startTestServer({ engine });
    });
    afterAll(async () => {
      await t?.close();
    });
    body(() => {
      if (!t) throw new Error(`the ${engine} server of "${title}" is not started`);
      return t;
    });
  });
}

/** A private-message frame of `type`. */
export const privateOfType = (type: number) => (f: Frame) => f.cmd === PRIVATE && msg(f).type === type;
/** A group-message frame of `type`. */
export const groupOfType = (type: number) => (f: Frame) => f.cmd === GROUP && gm(f).type === type;

/** `from` sends `to` a private text message (`extra`: e.g. `quoteMessageId`); the API's answer. */
export const sayTo = (from: TestUser, to: TestUser, content: string, extra: Record<string, unknown> = {}) =>
  from.api.post('/message/private/send', { recvId: to.id, content, type: 0, ...extra });

/** `from` sends a text message to group `groupId` (`extra`: e.g. `quoteMessageId`); the API's answer. */
export const postTo = (
  from: TestUser,
  groupId: number,
  content: string,
  extra: Record<string, unknown> = {},
) => from.api.post('/message/group/send', { groupId, content, type: 0, ...extra });

/** `owner` befriends `user` and invites them into group `groupId` (a member who joins later). */
export async function joinLater(t: TestServer, owner: TestUser, groupId: number, user: TestUser) {
  await t.befriend(owner, user);
  return owner.api.post('/group/invite', { groupId, friendIds: [user.id] });
}
