import { LANGUAGE_HEADER } from '@box-im/im-common';
import type { FastifyRequest } from 'fastify';
import type { Lang } from '../errors';

const HEADER = LANGUAGE_HEADER.toLowerCase();

/**
 * The language of user-facing messages: English only when the request asks for it with
 * `X-IM-Language: en` (our clients send their UI language there), Chinese otherwise.
 * `Accept-Language` is not read: a browser sends it on its own, and box-im's Chinese-only
 * client in an English browser must still show Chinese toasts.
 */
export function pickLanguage(request: Pick<FastifyRequest, 'headers'>): Lang {
  const header = request.headers[HEADER];
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase() ?? '';
  return value === 'en' || value.startsWith('en-') ? 'en' : 'zh';
}

/** Success message of the envelope, as box-im sends it. */
export const SUCCESS_MESSAGE = '成功';
