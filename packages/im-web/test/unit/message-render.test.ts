import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { MessageStatus, MessageType } from '@box-im/im-common';
import ChatMessageBody from '../../src/components/chat/ChatMessageBody.vue';
import type { ChatMessage } from '@box-im/im-app-core';

const base: ChatMessage = {
  id: 1,
  sendId: 2,
  content: '',
  type: MessageType.TEXT,
  status: MessageStatus.PENDING,
  sendTime: 0,
  selfSend: false,
};

describe('ChatMessageBody', () => {
  it('renders user text as text, never as HTML, and links as anchors', () => {
    const w = mount(ChatMessageBody, {
      props: {
        m: { ...base, content: '<img src=x onerror=alert(1)> visit https://example.com 😀' },
        uploading: false,
      },
    });
    expect(w.find('img').exists()).toBe(false);
    expect(w.text()).toContain('<img src=x onerror=alert(1)>');
    const a = w.find('a');
    expect(a.attributes('href')).toBe('https://example.com');
    expect(a.attributes('rel')).toContain('noopener');
    expect(w.text()).toContain('😀');
  });
  it('never links javascript: or data: URLs from message content', () => {
    const file = mount(ChatMessageBody, {
      props: {
        m: {
          ...base,
          type: MessageType.FILE,
          content: JSON.stringify({ name: 'x', size: 1, url: 'javascript:alert(1)' }),
        },
        uploading: false,
      },
    });
    expect(file.find('a').attributes('href')).toBeUndefined();
    const img = mount(ChatMessageBody, {
      props: {
        m: {
          ...base,
          type: MessageType.IMAGE,
          content: JSON.stringify({
            originUrl: 'data:text/html,x',
            thumbUrl: 'JavaScript:x',
            width: 1,
            height: 1,
          }),
        },
        uploading: false,
      },
    });
    expect(img.find('img').attributes('src')).toBeUndefined();
  });

  it('renders images, files and videos from their JSON content', () => {
    const img = mount(ChatMessageBody, {
      props: {
        m: {
          ...base,
          type: MessageType.IMAGE,
          content: JSON.stringify({ originUrl: '/o.png', thumbUrl: '/t.png', width: 480, height: 240 }),
        },
        uploading: false,
      },
    });
    expect(img.find('img').attributes('src')).toBe('/t.png');
    expect(img.find('img').attributes('style')).toContain('width: 240px');
    const file = mount(ChatMessageBody, {
      props: {
        m: {
          ...base,
          type: MessageType.FILE,
          content: JSON.stringify({ name: 'a.pdf', size: 2048, url: '/a.pdf' }),
        },
        uploading: false,
      },
    });
    expect(file.text()).toContain('a.pdf');
    expect(file.text()).toContain('2.0 KB');
    const video = mount(ChatMessageBody, {
      props: {
        m: {
          ...base,
          type: MessageType.VIDEO,
          content: JSON.stringify({ videoUrl: '/v.mp4', coverUrl: '/c.jpg' }),
        },
        uploading: false,
      },
    });
    expect(video.find('video').attributes('src')).toBe('/v.mp4');
    expect(video.find('video').attributes('controls')).toBeDefined();
  });
});
