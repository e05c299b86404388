import type { Lang } from '../errors';

/**
 * The language of user-facing messages, from `Accept-Language`: English when the client
 * prefers English over Chinese, Chinese otherwise (box-im's clients are Chinese).
 */
export function pickLanguage(header: string | undefined): Lang {
  if (!header) return 'zh';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((r) => r.trim()).find((r) => r.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh';
}

/** Success message of the envelope, as box-im sends it. */
export const SUCCESS_MESSAGE = '成功';
