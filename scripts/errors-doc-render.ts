import { errorCatalog as errors } from '@box-im/im-platform';

interface ErrorDef {
  key: string;
  code: number;
  zh: string;
  en: string;
}

function isDef(value: unknown): value is ErrorDef {
  return typeof value === 'object' && value !== null && 'key' in value && 'code' in value && 'zh' in value;
}

/** docs/errors.md: every declared error, grouped by catalog. */
export function renderErrorsDoc(): string {
  const lines = [
    '# Errors',
    '',
    'Generated from `packages/im-platform/src/errors/catalog/` by `npx tsx scripts/errors-doc.ts`; a test fails when it is stale.',
    '',
    'Every error is answered with HTTP 200 and the envelope `{"code": <code>, "message": <text>, "data": null}`;',
    'the stable key is in the `X-Error-Key` response header. Clients branch on `code` (box-im: 400 → login,',
    '401 → refresh the token) and show `message` (Chinese, or English when the request sends `X-IM-Language: en`).',
    '',
  ];
  for (const [group, defs] of Object.entries(errors).sort(([a], [b]) => a.localeCompare(b))) {
    if (typeof defs !== 'object' || defs === null) continue;
    const rows = Object.values(defs as Record<string, unknown>).filter(isDef);
    if (rows.length === 0) continue;
    lines.push(`## ${group}`, '', '| key | code | message (zh) | message (en) |', '|---|---|---|---|');
    for (const d of rows)
      lines.push(
        `| \`${d.key}\` | ${d.code} | ${d.zh.replace(/\|/g, '\\|')} | ${d.en.replace(/\|/g, '\\|')} |`,
      );
    lines.push('');
  }
  return lines.join('\n');
}
