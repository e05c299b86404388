import { ALL_TERMINALS, Limits, MessageType, type ChatPrefVO, type UserSession } from '@box-im/im-common';
import type { ChatPrefRow } from '../db';
import { AppError, MessageErrors } from '../errors';
import { pushBestEffort } from './pushes';
import type { ServiceDeps } from './deps';

export type ChatType = ChatPrefVO['chatType'];
const TYPE_CODE: Record<ChatType, number> = { PRIVATE: 0, GROUP: 1 };

export interface ChatPrefInput {
  chatType: ChatType;
  chatId: number;
  /** Unchanged when absent. */
  pinned?: boolean | undefined;
  /** Unchanged when absent; at most `Limits.MESSAGE_CONTENT_MAX` characters. */
  draft?: string | undefined;
}

export type ChatPrefServiceDeps = Pick<
  ServiceDeps,
  'chatPrefs' | 'friends' | 'groupMembers' | 'im' | 'clock' | 'log'
>;

export function toChatPrefVO(row: ChatPrefRow): ChatPrefVO {
  return {
    chatType: row.chat_type === TYPE_CODE.GROUP ? 'GROUP' : 'PRIVATE',
    chatId: row.chat_id,
    pinned: row.pinned === 1,
    draft: row.draft,
    updatedTime: row.updated_time.getTime(),
  };
}

/**
 * Pinned chats and drafts, per user, synced between the user's terminals: stored here, and
 * every change is pushed (type CHAT_PREF, skipped by box-im's clients) to the caller's other
 * terminals. A user reads and writes only their own.
 */
export class ChatPrefService {
  constructor(private readonly deps: ChatPrefServiceDeps) {}

  async list(session: UserSession): Promise<ChatPrefVO[]> {
    return (await this.deps.chatPrefs.list(session.userId)).map(toChatPrefVO);
  }

  async put(session: UserSession, input: ChatPrefInput): Promise<ChatPrefVO> {
    const me = session.userId;
    // Only chats the user has or had: a friend (current or former) or a group joined once.
    const known =
      input.chatType === 'PRIVATE'
        ? input.chatId !== me && (await this.deps.friends.find(me, input.chatId)) !== undefined
        : (await this.deps.groupMembers.find(input.chatId, me)) !== undefined;
    if (!known)
      throw new AppError(MessageErrors.CHAT_PREF_NO_CHAT, { chatType: input.chatType, chatId: input.chatId });
    const key = { userId: me, chatType: TYPE_CODE[input.chatType], chatId: input.chatId };
    const old = await this.deps.chatPrefs.find(key);
    const time = this.deps.clock.now();
    const values = {
      pinned: input.pinned ?? old?.pinned === 1,
      draft: (input.draft ?? old?.draft ?? '').slice(0, Limits.MESSAGE_CONTENT_MAX),
      time,
    };
    await this.deps.chatPrefs.save(key, values);
    const vo: ChatPrefVO = {
      chatType: input.chatType,
      chatId: input.chatId,
      pinned: values.pinned,
      draft: values.draft,
      updatedTime: time.getTime(),
    };
    const others = ALL_TERMINALS.filter((t) => t !== session.terminal);
    const { im, log } = this.deps;
    await pushBestEffort(log, 'chat-pref', () =>
      im.sendPrivateMessage({
        sender: { id: me, terminal: session.terminal },
        recvId: me,
        recvTerminals: others,
        sendToSelf: false,
        sendResult: false,
        data: { type: MessageType.CHAT_PREF, sendId: me, recvId: me, content: JSON.stringify(vo) },
      }),
    );
    return vo;
  }
}
