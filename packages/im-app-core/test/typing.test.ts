import { describe, expect, it, vi } from 'vitest';
import { MessageType as T } from '@box-im/im-common';
import { FrameRouter, TypingTracker } from '../src';
import { FakeClock } from './fakes';
import { makeBook, ME, memoryContacts, pm } from './helpers';

const PEER = 2;

describe('typing indicator', () => {
  it('a TYPING frame goes to onTyping, live only, and never into a chat', () => {
    const { book } = makeBook();
    const events = { onTyping: vi.fn(), onPeerMessage: vi.fn(), onIncoming: vi.fn() };
    const api = { readPrivate: vi.fn(() => Promise.resolve(null)), readGroup: vi.fn() };
    const router = new FrameRouter({
      book,
      contacts: memoryContacts(),
      api,
      me: () => ME,
      isWatching: () => false,
      events,
    });
    router.privateMessage(pm({ id: 0, type: T.TYPING, content: '' }), true);
    router.privateMessage(pm({ id: 0, type: T.TYPING, content: '' }), false);
    router.privateBatch([pm({ id: 0, type: T.TYPING, content: '' })]);
    expect(events.onTyping).toHaveBeenCalledTimes(1);
    expect(events.onTyping).toHaveBeenCalledWith(PEER);
    expect(book.get('PRIVATE', PEER)).toBeUndefined();
    // the peer's message ends the indicator
    router.privateMessage(pm({ id: 7, content: 'done' }), true);
    expect(events.onPeerMessage).toHaveBeenCalledWith(PEER);
  });

  it('shows a peer for 5 s after the last signal; a message or clear ends it', () => {
    const clock = new FakeClock();
    const onChange = vi.fn();
    const typing = new TypingTracker({ clock, send: () => Promise.resolve(), onChange });
    typing.received(PEER);
    expect(typing.isTyping(PEER)).toBe(true);
    clock.advance(4000);
    typing.received(PEER);
    clock.advance(4000);
    expect(typing.isTyping(PEER)).toBe(true);
    clock.advance(1001);
    expect(typing.isTyping(PEER)).toBe(false);
    expect(onChange).toHaveBeenCalledTimes(2);
    typing.received(PEER);
    typing.stop(PEER);
    expect([...typing.typing()]).toEqual([]);
    typing.received(3);
    typing.clear();
    expect(typing.isTyping(3)).toBe(false);
    expect(clock.pending()).toEqual([]);
  });

  it('sends at most one signal per peer every 3 s', () => {
    const clock = new FakeClock();
    const send = vi.fn(() => Promise.reject(new Error('offline')));
    const typing = new TypingTracker({ clock, send });
    typing.typed(PEER);
    typing.typed(PEER);
    typing.typed(3);
    clock.advance(2999);
    typing.typed(PEER);
    expect(send.mock.calls).toEqual([[PEER], [3]]);
    clock.advance(1);
    typing.typed(PEER);
    expect(send).toHaveBeenCalledTimes(3);
  });
});
