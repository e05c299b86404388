import type { GroupMessageVO, PrivateMessageVO, UserSession } from '@box-im/im-common';
import { AppError, MessageErrors } from '../errors';
import { toGroupMessageVO } from './group-support';
import { toPrivateMessageVO } from './private-message-writer';
import type { ServiceDeps } from './deps';

export interface SearchInput {
  keyword: string;
  page?: number | undefined;
  size?: number | undefined;
  /** Only private chats, or only groups; with `chatId`, only that chat. */
  chatType?: 'PRIVATE' | 'GROUP' | undefined;
  chatId?: number | undefined;
  senderId?: number | undefined;
  /** Epoch ms, inclusive. */
  from?: number | undefined;
  to?: number | undefined;
}

export type SearchItem = PrivateMessageVO | GroupMessageVO;

/** Results per page: at most 50; at most the newest 1000 matches are reachable. */
const SIZE_MAX = 50;
const DEPTH_MAX = 1000;

export type MessageSearchServiceDeps = Pick<ServiceDeps, 'messageSearch' | 'quotes'>;

/**
 * Search of the caller's own history: their private chats and the group messages they see
 * (after joining, until leaving), text messages only, recalled ones left out. Items are the
 * usual message VOs (group ones carry `groupId`), newest first.
 */
export class MessageSearchService {
  constructor(private readonly deps: MessageSearchServiceDeps) {}

  async search(session: UserSession, input: SearchInput): Promise<SearchItem[]> {
    const keyword = input.keyword.trim();
    if (!keyword) throw new AppError(MessageErrors.SEARCH_KEYWORD_BLANK);
    if (input.chatId !== undefined && input.chatType === undefined)
      throw new AppError(MessageErrors.SEARCH_CHAT_WITHOUT_TYPE);
    const page = input.page && input.page > 0 ? input.page : 1;
    const size = input.size && input.size > 0 ? Math.min(input.size, SIZE_MAX) : 10;
    const limit = page * size;
    if (limit > DEPTH_MAX) return [];
    const filter = {
      keyword,
      senderId: input.senderId,
      from: input.from !== undefined ? new Date(input.from) : undefined,
      to: input.to !== undefined ? new Date(input.to) : undefined,
      limit,
    };
    const me = session.userId;
    const { messageSearch, quotes } = this.deps;
    const [privateRows, groupRows] = await Promise.all([
      input.chatType === 'GROUP'
        ? []
        : messageSearch.privateMessages(me, { ...filter, peerId: input.chatId }),
      input.chatType === 'PRIVATE'
        ? []
        : messageSearch.groupMessages(me, { ...filter, groupId: input.chatId }),
    ]);
    const privateVos = privateRows.map(toPrivateMessageVO);
    const groupVos = groupRows.map((r) => toGroupMessageVO(r));
    await quotes.attachPrivate(privateRows, privateVos);
    await quotes.attachGroup(groupRows, groupVos);
    const all: SearchItem[] = [...privateVos, ...groupVos];
    all.sort((a, b) => b.sendTime - a.sendTime || b.id - a.id);
    return all.slice((page - 1) * size, limit);
  }
}
