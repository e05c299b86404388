import { pushJson } from '@box-im/im-bus';
import { RedisKey } from '@box-im/im-common';
import type { AppContext } from '../src/context';

/**
 * What box-im's admin console does (it shares the database and Redis with the platform):
 * set the flag in the database, then put an order on the bus for the platform to announce.
 */
export function adminConsole(ctx: Pick<AppContext, 'db' | 'bus'>) {
  const db = ctx.db.db;
  return {
    async banUser(userId: number, reason: string): Promise<void> {
      await db.updateTable('im_user').set({ is_banned: 1, reason }).where('id', '=', userId).execute();
      await pushJson(ctx.bus, RedisKey.USER_BANNED_QUEUE, [{ id: userId, reason }]);
    },
    async banGroup(groupId: number, reason: string): Promise<void> {
      await db.updateTable('im_group').set({ is_banned: 1, reason }).where('id', '=', groupId).execute();
      await pushJson(ctx.bus, RedisKey.GROUP_BANNED_QUEUE, [{ id: groupId, reason }]);
    },
    async unbanGroup(groupId: number): Promise<void> {
      await db.updateTable('im_group').set({ is_banned: 0, reason: '' }).where('id', '=', groupId).execute();
      await pushJson(ctx.bus, RedisKey.GROUP_UNBAN_QUEUE, [{ id: groupId }]);
    },
  };
}
export type AdminConsole = ReturnType<typeof adminConsole>;
