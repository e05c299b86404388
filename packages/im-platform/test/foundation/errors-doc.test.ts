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
