import {
  MessageStatus,
  isUserMessageType,
  type GroupMessageVO,
  type PrivateMessageVO,
  type QuoteMessageVO,
} from '@box-im/im-common';
import type { GroupMessageRow, PrivateMessageRow } from '../db';
import { AppError, MessageErrors } from '../errors';
import type { HistoryBounds } from '../repositories/group-message.repository';
import { visibleInGroup } from './message-access';
import type { ServiceDeps } from './deps';

export type QuoteReaderDeps = Pick<ServiceDeps, 'privateMessages' | 'groupMessages' | 'users'>;

/** The quote of a message: a recalled original keeps its sender and type, not its content. */
export function toQuote(
  row: { id: number; send_id: number; type: number; content: string | null; status: number },
  sendNickName: string,
): QuoteMessageVO {
  const recalled = row.status === MessageStatus.RECALL;
  return {
    id: row.id,
    sendId: row.send_id,
    sendNickName,
    type: row.type,
    content: recalled ? '' : (row.content ?? ''),
    status: recalled ? MessageStatus.RECALL : row.status,
  };
}

/** A message may be quoted when a user sent it and it was not recalled. */
function checkQuotable(row: { type: number; status: number }): void {
  if (!isUserMessageType(row.type)) throw new AppError(MessageErrors.QUOTE_TYPE);
  if (row.status === MessageStatus.RECALL) throw new AppError(MessageErrors.QUOTE_RECALLED);
}

/**
 * Replies: checks that a quoted message belongs to the caller's conversation, and fills the
 * `quoteMessage` of messages read back (history, offline pulls) from the originals as they
 * are now, so that a recalled original shows as recalled in every reply.
 */
export class QuoteReader {
  constructor(private readonly deps: QuoteReaderDeps) {}

  /** The quote of private message `id`, which must be between `me` and `peer`. */
  async privateQuote(me: number, peer: number, id: number): Promise<QuoteMessageVO> {
    const row = await this.deps.privateMessages.findById(id);
    const between =
      row && ((row.send_id === me && row.recv_id === peer) || (row.send_id === peer && row.recv_id === me));
    if (!row || !between) throw new AppError(MessageErrors.QUOTE_NOT_FOUND);
    checkQuotable(row);
    const [user] = await this.deps.users.findByIds([row.send_id]);
    return toQuote(row, user?.nick_name ?? '');
  }

  /** The quote of group message `id`, which must be of `groupId` and visible to the member. */
  async groupQuote(
    groupId: number,
    userId: number,
    bounds: HistoryBounds,
    id: number,
  ): Promise<QuoteMessageVO> {
    const row = await this.deps.groupMessages.findById(id);
    if (!row || row.group_id !== groupId || !visibleInGroup(row, userId, bounds))
      throw new AppError(MessageErrors.QUOTE_NOT_FOUND);
    checkQuotable(row);
    return toQuote(row, row.send_nick_name ?? '');
  }

  /** Fill `quoteMessage` of the VOs whose rows (same order) quote a message. */
  async attachPrivate(rows: readonly PrivateMessageRow[], vos: PrivateMessageVO[]): Promise<void> {
    const ids = quotedIds(rows);
    if (ids.length === 0) return;
    const originals = await this.deps.privateMessages.findByIds(ids);
    const users = await this.deps.users.findByIds([...new Set(originals.map((o) => o.send_id))]);
    const names = new Map(users.map((u) => [u.id, u.nick_name]));
    const quotes = new Map(originals.map((o) => [o.id, toQuote(o, names.get(o.send_id) ?? '')]));
    attach(rows, vos, quotes);
  }

  async attachGroup(rows: readonly GroupMessageRow[], vos: GroupMessageVO[]): Promise<void> {
    const ids = quotedIds(rows);
    if (ids.length === 0) return;
    const originals = await this.deps.groupMessages.findByIds(ids);
    const quotes = new Map(originals.map((o) => [o.id, toQuote(o, o.send_nick_name ?? '')]));
    attach(rows, vos, quotes);
  }
}

function quotedIds(rows: readonly { quote_message_id?: number | null }[]): number[] {
  const ids = new Set<number>();
  for (const r of rows) if (r.quote_message_id) ids.add(Number(r.quote_message_id));
  return [...ids];
}

function attach(
  rows: readonly { quote_message_id?: number | null }[],
  vos: { quoteMessage?: QuoteMessageVO }[],
  quotes: Map<number, QuoteMessageVO>,
): void {
  rows.forEach((row, i) => {
    const quote = row.quote_message_id ? quotes.get(Number(row.quote_message_id)) : undefined;
    if (quote && vos[i]) vos[i].quoteMessage = quote;
  });
}
