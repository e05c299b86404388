import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformConfigSchema } from '../../src/config';

describe('README', () => {
  it('documents every configuration variable', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../../../README.md'), 'utf8');
    const missing = Object.keys(platformConfigSchema.shape).filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
