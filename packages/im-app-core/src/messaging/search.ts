/**
 * Message search (GET /message/search): paging through the hits as the server pages them, the
 * chat each hit belongs to, and the keyword marked in a hit's text.
 */
import type { GroupMessageVO, PrivateMessageVO } from '@box-im/im-common';
import type { ImApi, SearchQuery } from '../http/api';
import { fromGroup, fromPrivate, privatePeer } from '../model/convert';
import type { ChatMessage, ChatType } from '../model/types';

export type SearchHit = PrivateMessageVO | GroupMessageVO;

/** The server answers at most 50 per page and only the newest 1 000 matches. */
export const SEARCH_PAGE_MAX = 50;
export const SEARCH_REACHABLE = 1000;

export const isGroupHit = (hit: SearchHit): hit is GroupMessageVO =>
  'groupId' in hit && hit.groupId !== undefined && hit.groupId !== null;

/** The chat a hit is in, from my point of view. */
export function hitChat(hit: SearchHit, me: number): { type: ChatType; targetId: number } {
  return isGroupHit(hit)
    ? { type: 'GROUP', targetId: hit.groupId }
    : { type: 'PRIVATE', targetId: privatePeer(hit, me) };
}

export function hitMessage(hit: SearchHit, me: number): ChatMessage {
  return isGroupHit(hit) ? fromGroup(hit, me) : fromPrivate(hit, me);
}

/** A stable key of a hit (a private and a group message may share an id). */
export const hitKey = (hit: SearchHit): string => `${isGroupHit(hit) ? 'g' : 'p'}${hit.id}`;

export interface TextPart {
  text: string;
  /** This part is the keyword. */
  hit: boolean;
}

/**
 * Split `text` around every occurrence of `keyword` as the server matches it: a substring,
 * Latin letters case-insensitive. Rendered as text parts (never HTML).
 */
export function highlight(text: string, keyword: string): TextPart[] {
  const k = keyword.trim();
  if (!k) return [{ text, hit: false }];
  const hay = text.toLowerCase();
  const needle = k.toLowerCase();
  const parts: TextPart[] = [];
  let from = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) {
    if (i > from) parts.push({ text: text.slice(from, i), hit: false });
    parts.push({ text: text.slice(i, i + needle.length), hit: true });
    from = i + needle.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), hit: false });
  return parts;
}

/** Pages through one search: `more()` fetches the next page until the server has no more. */
export class SearchPager {
  readonly hits: SearchHit[] = [];
  private page = 0;
  private finished = false;
  private running: Promise<SearchHit[]> | null = null;

  constructor(
    private readonly api: Pick<ImApi, 'searchMessages'>,
    private readonly query: Omit<SearchQuery, 'page' | 'size'>,
    private readonly size = 20,
  ) {
    if (!query.keyword.trim()) this.finished = true;
  }

  /** No more pages (a short page, or the reachable matches are all in). */
  get done(): boolean {
    return this.finished;
  }

  /** The next page's hits (empty when done); concurrent calls share one request. */
  more(): Promise<SearchHit[]> {
    if (this.finished) return Promise.resolve([]);
    this.running ??= this.fetch().finally(() => (this.running = null));
    return this.running;
  }

  private async fetch(): Promise<SearchHit[]> {
    const size = Math.min(this.size, SEARCH_PAGE_MAX);
    const page = this.page + 1;
    const list = await this.api.searchMessages({
      ...this.query,
      keyword: this.query.keyword.trim(),
      page,
      size,
    });
    this.page = page;
    // The server answers newest first; a page may overlap the previous one if new hits came in.
    const seen = new Set(this.hits.map(hitKey));
    const fresh = list.filter((h) => !seen.has(hitKey(h)));
    this.hits.push(...fresh);
    if (list.length < size || page * size >= SEARCH_REACHABLE) this.finished = true;
    return fresh;
  }
}
