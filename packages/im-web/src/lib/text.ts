/**
 * Safe rendering of user text: split into plain-text and link segments (rendered by Vue
 * as text nodes / anchors — never as HTML). Legacy box-im emoji tokens `#名字;` stay text.
 */
export interface TextSegment {
  kind: 'text' | 'link' | 'at';
  value: string;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"'，。！？、]+/gi;

export function segmentText(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const i = m.index;
    if (i > last) out.push(...segmentAt(text.slice(last, i)));
    out.push({ kind: 'link', value: m[0] });
    last = i + m[0].length;
  }
  if (last < text.length) out.push(...segmentAt(text.slice(last)));
  return out;
}

function segmentAt(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  for (const m of text.matchAll(/@[^\s@]{1,20}/g)) {
    if (m.index > last) out.push({ kind: 'text', value: text.slice(last, m.index) });
    out.push({ kind: 'at', value: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', value: text.slice(last) });
  return out;
}

/**
 * Media and file URLs come from message content, which any sender controls: allow only
 * http(s), blob: and same-origin relative URLs (no `javascript:` / `data:` links).
 */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  const u = url.trim();
  if (/^(https?:|blob:)/i.test(u)) return u;
  if (/^\/(?!\/)/.test(u)) return u;
  return undefined;
}

/** Escape for the rare places that must build HTML strings (notifications use plain text). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Unicode emoji offered by the picker (inserted as characters). */
export const EMOJI = [
  '😀',
  '😁',
  '😂',
  '🤣',
  '😊',
  '😍',
  '😘',
  '😜',
  '🤔',
  '😎',
  '😭',
  '😡',
  '😱',
  '😴',
  '🙄',
  '😏',
  '😅',
  '😇',
  '🥰',
  '🤗',
  '🤩',
  '😬',
  '🥺',
  '😤',
  '👍',
  '👎',
  '👏',
  '🙏',
  '💪',
  '👌',
  '✌️',
  '🤝',
  '❤️',
  '💔',
  '🔥',
  '🎉',
  '🌹',
  '☕',
  '🍺',
  '🎂',
  '💯',
  '✅',
  '❌',
  '❓',
  '💤',
  '👀',
  '🙈',
  '🐶',
];
