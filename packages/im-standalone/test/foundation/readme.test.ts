import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standaloneConfigSchema } from '../../src/config';

describe('README', () => {
  it('documents every configuration variable (the standalone process reads them all)', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../../../README.md'), 'utf8');
    const missing = Object.keys(standaloneConfigSchema.shape).filter(
      (name) => !readme.includes(`\`${name}\``),
    );
    expect(missing).toEqual([]);
  });
});
