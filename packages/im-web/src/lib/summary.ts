/** Message previews in the UI language, and size / time formatting. */
import { summarize, type ChatMessage, type SummaryLabel } from '@box-im/im-app-core';
import { t } from '../i18n';

const label = (l: SummaryLabel, name: string) => t(`msg.${l}`, { name });

/** One-line preview of a message for the chat list and notifications. */
export function summary(m: ChatMessage): string {
  return summarize(m, label);
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Compact time: HH:mm today, "yesterday", M/D this year, Y/M/D before. */
export function formatTime(ms: number, now: number = Date.now()): string {
  if (!ms) return '';
  const d = new Date(ms);
  const n = new Date(now);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.toDateString() === n.toDateString()) return hm;
  const y = new Date(now - 86_400_000);
  if (d.toDateString() === y.toDateString()) return `${t('time.yesterday')} ${hm}`;
  if (d.getFullYear() === n.getFullYear()) return `${d.getMonth() + 1}/${d.getDate()} ${hm}`;
  return `${d.getFullYear()}/${d.getMonth() + 1}/${d.getDate()}`;
}
