/**
 * Chinese and English. A reactive locale, so pages re-render on a switch; the choice is kept
 * in storage, the default follows the system language.
 */
import { ref } from 'vue';
import { uniStorage } from '../platform';
import en from './en';
import zh, { type Messages } from './zh';

export type Locale = 'zh' | 'en';
const KEY = 'locale';
const table: Record<Locale, Messages> = { zh, en };

function initial(): Locale {
  const saved = uniStorage.getItem(KEY);
  if (saved === 'zh' || saved === 'en') return saved;
  let lang = '';
  try {
    lang = uni.getSystemInfoSync().language ?? '';
  } catch {
    /* unknown */
  }
  return lang.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

export const locale = ref<Locale>(initial());

export function setLocale(next: Locale): void {
  locale.value = next;
  uniStorage.setItem(KEY, next);
}

export type MessageKey = keyof Messages;

/** Translate `key`, filling `{name}` placeholders. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = table[locale.value][key] ?? zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : `{${k}}`));
}
