import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc } from '../../../../scripts/errors-doc-render';

describe('docs/errors.md', () => {
  it('lists every declared error (regenerate with: npx tsx scripts/errors-doc.ts)', () => {
    const onDisk = readFileSync(resolve(import.meta.dirname, '../../../../docs/errors.md'), 'utf8');
    expect(onDisk).toBe(renderErrorsDoc());
  });
});

describe('error catalog', () => {
  it('gives every error a key of its own', async () => {
    const { errorCatalog } = await import('@box-im/im-platform');
    const groups: unknown[] = Object.values(errorCatalog);
    const keys = groups
      .filter((group): group is Record<string, unknown> => typeof group === 'object' && group !== null)
      .flatMap((group) => Object.values(group))
      .filter((d): d is { key: string } => typeof d === 'object' && d !== null && 'key' in d)
      .map((d) => d.key);
    const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(dupes).toEqual([]);
    expect(keys.length).toBeGreaterThan(30);
  });
});
