/** Tiny i18n: two locales, chosen from the browser, switchable, remembered. */
import { ref } from 'vue';
import { zh, type MessageKey } from './zh';
import { en } from './en';

export type Locale = 'zh' | 'en';
const TABLES: Record<Locale, Record<MessageKey, string>> = { zh, en };
const STORAGE_KEY = 'im-locale';

/** Pick a locale: a saved choice wins, then the first browser language we support; default zh. */
export function pickLocale(languages: readonly string[], saved?: string | null): Locale {
  if (saved === 'zh' || saved === 'en') return saved;
  for (const lang of languages) {
    const l = lang.toLowerCase();
    if (l.startsWith('zh')) return 'zh';
    if (l.startsWith('en')) return 'en';
  }
  return 'zh';
}

function initial(): Locale {
  if (typeof navigator === 'undefined') return 'zh';
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  return pickLocale(langs, globalThis.localStorage?.getItem(STORAGE_KEY));
}

export const locale = ref<Locale>(initial());

export function setLocale(l: Locale): void {
  locale.value = l;
  localStorage.setItem(STORAGE_KEY, l);
  document.documentElement.lang = l;
}

export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return format(TABLES[locale.value][key], params);
}

export type { MessageKey };
