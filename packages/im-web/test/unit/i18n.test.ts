import { describe, expect, it } from 'vitest';
import { format, locale, pickLocale, setLocale, t } from '../../src/i18n';
import { zh } from '../../src/i18n/zh';
import { en } from '../../src/i18n/en';

describe('i18n', () => {
  it('picks the first supported browser language', () => {
    expect(pickLocale(['en-US', 'zh-CN'])).toBe('en');
    expect(pickLocale(['zh-TW', 'en'])).toBe('zh');
    expect(pickLocale(['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLocale(['fr-FR'])).toBe('zh');
    expect(pickLocale([])).toBe('zh');
  });
  it('a saved choice wins over the browser', () => {
    expect(pickLocale(['en-US'], 'zh')).toBe('zh');
    expect(pickLocale(['zh-CN'], 'en')).toBe('en');
    expect(pickLocale(['en-US'], 'bogus')).toBe('en');
  });
  it('switches and remembers', () => {
    setLocale('en');
    expect(locale.value).toBe('en');
    expect(t('nav.chat')).toBe('Chats');
    expect(localStorage.getItem('im-locale')).toBe('en');
    setLocale('zh');
    expect(t('nav.chat')).toBe('聊天');
  });
  it('formats parameters', () => {
    expect(format('{n} new', { n: 3 })).toBe('3 new');
    setLocale('zh');
    expect(t('box.newMessages', { n: 5 })).toBe('5条新消息');
  });
  it('both tables have the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });
});
