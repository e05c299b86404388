import { Limits, MessageType, isUserMessageType } from '@box-im/im-common';
import { AppError, MessageErrors } from '../errors';
import type { SensitiveWordFilter } from './sensitive-words';

/**
 * Validate what a user sends as a message (private or group) and return the content to
 * store. Only types 0–4 may be sent; control types (RECALL, FRIEND_DEL, RTC…) are made by
 * the server alone. Text is stored as given apart from sensitive-word masking; clients
 * render it escaped. Media contents are the JSON shapes box-im's clients produce.
 */
export function checkMessageContent(type: number, content: string, words: SensitiveWordFilter): string {
  if (!isUserMessageType(type)) throw new AppError(MessageErrors.TYPE_NOT_ALLOWED, { type });
  if (content.trim() === '') throw new AppError(MessageErrors.CONTENT_BLANK);
  if ([...content].length > Limits.MESSAGE_CONTENT_MAX) {
    throw new AppError(MessageErrors.CONTENT_TOO_LONG, { max: Limits.MESSAGE_CONTENT_MAX });
  }
  switch (type) {
    case MessageType.TEXT:
      return words.filter(content);
    case MessageType.IMAGE:
      requireJson(content, { originUrl: 'url', thumbUrl: 'url', width: 'number?', height: 'number?' });
      return content;
    case MessageType.FILE:
      requireJson(content, { name: 'string', size: 'number', url: 'url' });
      return content;
    case MessageType.AUDIO:
      requireJson(content, { duration: 'number', url: 'url' });
      return content;
    case MessageType.VIDEO:
      requireJson(content, {
        videoUrl: 'url',
        coverUrl: 'url?',
        duration: 'number?',
        width: 'number?',
        height: 'number?',
      });
      return content;
    default:
      throw new AppError(MessageErrors.TYPE_NOT_ALLOWED, { type });
  }
}

type FieldRule = 'string' | 'number' | 'url' | 'string?' | 'number?' | 'url?';

function invalid(detail: string): never {
  throw new AppError(MessageErrors.CONTENT_INVALID, { detail });
}

/** The content must be a JSON object with these fields (extra fields are kept). */
function requireJson(content: string, rules: Record<string, FieldRule>): void {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    invalid('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid('not a JSON object');
  const obj = value as Record<string, unknown>;
  for (const [field, rule] of Object.entries(rules)) {
    const optional = rule.endsWith('?');
    const kind = rule.replace('?', '');
    const v = obj[field];
    if (v === undefined || v === null) {
      if (optional) continue;
      invalid(`${field} is missing`);
    }
    if (kind === 'number' && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      // Clients sometimes send numbers as numeric strings.
      if (!(typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))))
        invalid(`${field} must be a number`);
    }
    if (kind === 'string' && typeof v !== 'string') invalid(`${field} must be a string`);
    if (kind === 'url' && !(typeof v === 'string' && isSafeUrl(v)))
      invalid(`${field} must be an http(s) URL`);
  }
}

/** http(s) absolute URLs or root-relative paths; never `javascript:` or `data:`. */
function isSafeUrl(v: string): boolean {
  if (v.startsWith('/') && !v.startsWith('//')) return true;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
