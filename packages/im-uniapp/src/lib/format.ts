/** Message previews in the UI language, sizes and times. */
import { summarize, type ChatMessage, type SummaryLabel } from '@box-im/im-app-core';
import { t } from '../i18n';

export function summary(m: ChatMessage): string {
  return summarize(m, (label: SummaryLabel, name) => t(`msg.${label}`, { name }));
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** HH:mm today, "yesterday HH:mm", M/D this year, Y/M/D before. */
export function formatTime(ms: number, now: number = Date.now()): string {
  if (!ms) return '';
  const d = new Date(ms);
  const n = new Date(now);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.toDateString() === n.toDateString()) return hm;
  if (d.toDateString() === new Date(now - 86_400_000).toDateString()) return `${t('time.yesterday')} ${hm}`;
  if (d.getFullYear() === n.getFullYear()) return `${d.getMonth() + 1}/${d.getDate()} ${hm}`;
  return `${d.getFullYear()}/${d.getMonth() + 1}/${d.getDate()}`;
}

/** Unicode emoji offered by the emoji panel (sent as text, readable by every client). */
export const EMOJI = [
  '😀',
  '😁',
  '😂',
  '🤣',
  '😊',
  '😍',
  '😘',
  '😎',
  '🤔',
  '😐',
  '😴',
  '😭',
  '😡',
  '😱',
  '🥳',
  '😅',
  '👍',
  '👎',
  '👏',
  '🙏',
  '💪',
  '🤝',
  '👌',
  '✌️',
  '❤️',
  '💔',
  '🔥',
  '🎉',
  '🌹',
  '☕',
  '🍺',
  '🎂',
];

/** A file name from a temp path (`blob:` URLs have none: a generated one with `ext`). */
export function parseFileName(path: string, ext: string): string {
  const last = path.split(/[\\/]/).pop() ?? '';
  return /\.\w{1,5}$/.test(last) ? last : `${Date.now()}.${ext}`;
}
