import type { ChatPrefRow, DialectHandle } from '../db';
import { updatedRows } from '../db';

export interface ChatPrefKey {
  userId: number;
  chatType: number;
  chatId: number;
}

export interface ChatPrefValues {
  pinned: boolean;
  draft: string;
  time: Date;
}

/** SQL of `im_chat_pref` (migration 014). */
export class ChatPrefRepository {
  constructor(private readonly h: DialectHandle) {}

  list(userId: number): Promise<ChatPrefRow[]> {
    return this.h.db
      .selectFrom('im_chat_pref')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
  }

  find(key: ChatPrefKey): Promise<ChatPrefRow | undefined> {
    return this.h.db
      .selectFrom('im_chat_pref')
      .selectAll()
      .where('user_id', '=', key.userId)
      .where('chat_type', '=', key.chatType)
      .where('chat_id', '=', key.chatId)
      .executeTakeFirst();
  }

  /** Store the values; a pref with no pin and no draft is removed. */
  async save(key: ChatPrefKey, values: ChatPrefValues): Promise<void> {
    const { db } = this.h;
    if (!values.pinned && values.draft === '') {
      await db
        .deleteFrom('im_chat_pref')
        .where('user_id', '=', key.userId)
        .where('chat_type', '=', key.chatType)
        .where('chat_id', '=', key.chatId)
        .execute();
      return;
    }
    const set = { pinned: values.pinned ? 1 : 0, draft: values.draft, updated_time: values.time };
    const update = () =>
      updatedRows(
        db
          .updateTable('im_chat_pref')
          .set(set)
          .where('user_id', '=', key.userId)
          .where('chat_type', '=', key.chatType)
          .where('chat_id', '=', key.chatId),
      );
    if ((await update()) > 0) return;
    try {
      await db
        .insertInto('im_chat_pref')
        .values({ user_id: key.userId, chat_type: key.chatType, chat_id: key.chatId, ...set })
        .execute();
    } catch (err) {
      // Another request inserted the row first (unique key): update it instead.
      if ((await update()) === 0) throw err;
    }
  }
}
