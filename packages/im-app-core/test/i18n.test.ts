import { describe, expect, it } from 'vitest';
import { sharedEn, sharedZh } from '../src';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('shared UI strings', () => {
  it('English has every Chinese key and no other', () => {
    expect(Object.keys(sharedEn).sort()).toEqual(Object.keys(sharedZh).sort());
  });
  it('each English string fills the same placeholders as its Chinese one', () => {
    for (const [key, zh] of Object.entries(sharedZh))
      expect(placeholders(sharedEn[key as keyof typeof sharedZh]), key).toEqual(placeholders(zh));
    // Not vacuous: the table does carry placeholders.
    expect(placeholders(sharedZh['forward.selected'])).toEqual(['n']);
  });
  it('holds no empty string', () => {
    for (const table of [sharedZh, sharedEn])
      for (const [key, text] of Object.entries(table)) expect(text.trim(), key).not.toBe('');
  });
});
