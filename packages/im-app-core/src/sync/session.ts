/**
 * The logged-in session, the same on every client:
 *
 * 1. start: cached chats of the last user first (instant screen), then the profile, the
 *    friend and group lists, then the socket;
 * 2. every login ack: live message frames are held from this moment; after a reconnect (or a
 *    start that could not load the lists) profile and lists are reloaded; then the offline pull
 *    from the highest ids seen, then the held frames in arrival order (the merge drops what
 *    the pull already brought), then the cache is written, network failures re-sent, and the
 *    peer's read position of the open chat refreshed;
 * 3. force logout (cmd 2) and ban (cmd 5, USER_BANNED) stop the socket for good and tell the
 *    host, which informs the user and calls `end()`.
 *
 * The host supplies its stores (`SessionHost`) and shows toasts from `SessionEvents`.
 */
import {
  Cmd,
  MessageType,
  type GroupMessageVO,
  type PrivateMessageVO,
  type SystemMessageVO,
} from '@box-im/im-common';
import type { ChatBook } from '../chats/book';
import type { ImApi } from '../http/api';
import type { TokenStore } from '../http/tokens';
import type { Chat } from '../model/types';
import type { Clock, Random, SocketFactory } from '../platform';
import type { BackoffOptions } from '../ws/backoff';
import { WsClient, type WsFrame, type WsState } from '../ws/client';
import { FrameBuffer } from './buffer';
import type { Contacts } from './contacts';
import type { Outbox } from './outbox';
import { markChatRead } from './read';
import { FrameRouter, type RouterEvents } from './router';

export type SessionApi = Pick<
  ImApi,
  'self' | 'offlinePrivate' | 'offlineGroup' | 'readPrivate' | 'readGroup' | 'maxReadedId'
> &
  Partial<Pick<ImApi, 'chatPrefs'>>;

/** The host's stores and screen, as the session needs them. */
export interface SessionHost {
  /** My user id (0 until the profile is known). */
  me(): number;
  contacts: Contacts;
  /** Is the user looking at this chat right now (chat on screen, app in the foreground)? */
  isWatching(chat: Chat): boolean;
  /** Id of the user whose profile the device remembers, to show that user's cached chats at once. */
  cachedUserId(): number | null;
  /** `GET /user/self` into the host's user store; resolves with my id. */
  loadProfile(): Promise<number>;
  /** Friends, groups and system settings into the host's stores. */
  loadLists(): Promise<void>;
}

export interface SessionEvents extends RouterEvents {
  /** Cached chats are in the book: the chat list can show. */
  onCacheReady?: () => void;
  onWsState?: (state: WsState, previous: WsState) => void;
  /** The connection came back and everything missed is in (a toast). */
  onReconnected?: () => void;
  /** Another login replaced this one; `expected` when this app caused it (`expectLogout`). */
  onForceLogout?: (expected: boolean) => void;
  /** An administrator banned this account. */
  onBanned?: (reason: string) => void;
}

export interface SessionOptions {
  api: SessionApi;
  book: ChatBook;
  outbox: Outbox;
  tokens: Pick<TokenStore, 'accessToken'>;
  host: SessionHost;
  events?: SessionEvents;
  clock: Clock;
  random: Random;
  /** WebSocket endpoint, e.g. `wss://host/im`. */
  url: string | (() => string);
  socket: SocketFactory;
  heartbeatMs?: number;
  backoff?: BackoffOptions;
}

export class Session {
  readonly router: FrameRouter;
  private ws: WsClient | null = null;
  private readonly buffer = new FrameBuffer<WsFrame>();
  private pendingSyncs = 0;
  private syncing: Promise<void> = Promise.resolve();
  /** Lists could not be loaded at start (offline): reload them on the first login ack. */
  private listsStale = false;
  private quietUntil = 0;
  private ended = false;

  constructor(private readonly opts: SessionOptions) {
    this.router = new FrameRouter({
      book: opts.book,
      contacts: opts.host.contacts,
      api: opts.api,
      me: () => opts.host.me(),
      isWatching: (chat) => opts.host.isWatching(chat),
      events: opts.events ?? {},
    });
  }

  private get events(): SessionEvents {
    return this.opts.events ?? {};
  }

  get wsState(): WsState {
    return this.ws?.state ?? 'idle';
  }

  /** Cache first, then the network, then the socket (see the file comment). */
  async start(): Promise<void> {
    const { book, host } = this.opts;
    const cached = host.cachedUserId();
    if (cached) {
      await book.load(cached);
      this.events.onCacheReady?.();
    }
    let me = cached;
    try {
      me = await host.loadProfile();
    } catch (e) {
      // Offline at start: keep the cached session; the socket retries with backoff.
      if (!cached) throw e;
    }
    if (me && me !== cached) {
      await book.load(me);
      this.events.onCacheReady?.();
    }
    this.listsStale = !(await host.loadLists().then(
      () => true,
      () => false,
    ));
    if (this.ended) return;
    this.ws = new WsClient(
      {
        url: this.opts.url,
        token: () => this.opts.tokens.accessToken(),
        socket: this.opts.socket,
        clock: this.opts.clock,
        random: this.opts.random,
        heartbeatMs: this.opts.heartbeatMs,
        backoff: this.opts.backoff,
        // Proves the network and refreshes an expired token before the socket logs in again.
        beforeReconnect: async () => void (await this.opts.api.self(true)),
      },
      {
        onState: (state, previous) => this.events.onWsState?.(state, previous),
        onReady: (reconnect) => this.onReady(reconnect),
        onFrame: (frame) => this.onFrame(frame),
      },
    );
    this.ws.start();
  }

  /** Resolves when every sync started so far (pull, held frames, cache write) is done. */
  whenSynced(): Promise<void> {
    return this.syncing;
  }

  /** The next cmd 2 within `ms` is this app's own doing (e.g. a password change logs out everywhere). */
  expectLogout(ms = 10_000): void {
    this.quietUntil = this.opts.clock.now() + ms;
  }

  /** Mark the chat read on the server and here (the user opened it or came back to it). */
  markRead(chat: Chat): void {
    markChatRead(this.opts.api, this.opts.book, chat);
  }

  /** Drop the socket as a network failure would (tests, "go offline"). */
  drop(): void {
    this.ws?.drop();
  }

  /** Reconnect now instead of waiting out the backoff (network back, app in front). */
  retryNow(): void {
    this.ws?.retryNow();
  }

  /** Close the socket for good and stop syncing; the chats stay as they are. */
  stop(): void {
    this.ended = true;
    this.ws?.stop();
    this.ws = null;
    this.buffer.release();
  }

  /** Logout: `stop()`, then write and forget the chats. The host clears tokens and its stores. */
  async end(): Promise<void> {
    this.stop();
    const { book } = this.opts;
    try {
      await book.flush();
    } finally {
      book.clear();
    }
  }

  private onFrame(frame: WsFrame): void {
    const message = frame.cmd === Cmd.PRIVATE_MESSAGE || frame.cmd === Cmd.GROUP_MESSAGE;
    if (message && this.buffer.offer(frame)) return;
    this.route(frame, true);
  }

  private route(frame: WsFrame, live: boolean): void {
    switch (frame.cmd) {
      case Cmd.PRIVATE_MESSAGE:
        this.router.privateMessage(frame.data as PrivateMessageVO, live);
        return;
      case Cmd.GROUP_MESSAGE:
        this.router.groupMessage(frame.data as GroupMessageVO, live);
        return;
      case Cmd.SYSTEM_MESSAGE: {
        const vo = frame.data as SystemMessageVO;
        if (vo && vo.type === MessageType.USER_BANNED) {
          this.ws?.stop();
          this.events.onBanned?.(vo.content);
        }
        return;
      }
      case Cmd.FORCE_LOGOUT:
        // The socket already stopped itself.
        this.events.onForceLogout?.(this.opts.clock.now() < this.quietUntil);
        return;
      default:
        return;
    }
  }

  private onReady(reconnect: boolean): void {
    // Hold live messages from this very moment: none may land before the pull.
    this.buffer.hold();
    this.pendingSyncs++;
    const run = this.syncing.then(() => this.sync(reconnect));
    this.syncing = run.catch(() => undefined);
  }

  private async sync(reconnect: boolean): Promise<void> {
    const { api, book, host } = this.opts;
    try {
      if (reconnect || this.listsStale) {
        await Promise.all([host.loadProfile(), host.loadLists()]).then(
          () => (this.listsStale = false),
          () => undefined,
        );
      }
      if (this.ended) return;
      await this.pull().catch(() => undefined);
    } finally {
      if (--this.pendingSyncs === 0 && !this.ended)
        for (const frame of this.buffer.release()) this.route(frame, true);
    }
    if (this.ended) return;
    await book.flush().catch(() => undefined);
    this.opts.outbox.retryNetworkFailures(book.list());
    if (reconnect) {
      this.events.onReconnected?.();
      const active = book.active();
      if (active && active.type === 'PRIVATE') {
        // Receipts sent while we were away are not replayed: ask how far the peer has read.
        const upTo = await api.maxReadedId(active.targetId).catch(() => -1);
        if (upTo > 0) book.markPeerRead(active, upTo);
      }
    }
    const active = book.active();
    if (active && host.isWatching(active)) this.markRead(active);
  }

  private async pull(): Promise<void> {
    const { api, book } = this.opts;
    book.state.loading = true;
    try {
      const [privates, groups, prefs] = await Promise.all([
        api.offlinePrivate(book.state.privateMaxId),
        api.offlineGroup(book.state.groupMaxId),
        // Pins and drafts synced from my other terminals; without them the local ones stay.
        api.chatPrefs?.().catch(() => null) ?? null,
      ]);
      this.router.privateBatch(privates);
      this.router.groupBatch(groups);
      if (prefs) this.router.chatPrefs(prefs);
    } finally {
      book.state.loading = false;
    }
  }
}
