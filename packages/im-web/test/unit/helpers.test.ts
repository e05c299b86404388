import { describe, expect, it } from 'vitest';
import { segmentText, escapeHtml, safeUrl } from '../../src/lib/text';
import { groupByInitial, initialOf } from '../../src/lib/index-group';
import { formatSize } from '../../src/lib/summary';

describe('segmentText', () => {
  it('splits links and @mentions and keeps everything else as plain text', () => {
    const s = segmentText('hi @bob see https://a.b/c?d=1 <b>x</b> #微笑;');
    expect(s).toEqual([
      { kind: 'text', value: 'hi ' },
      { kind: 'at', value: '@bob' },
      { kind: 'text', value: ' see ' },
      { kind: 'link', value: 'https://a.b/c?d=1' },
      { kind: 'text', value: ' <b>x</b> #微笑;' },
    ]);
  });
  it('safeUrl allows http(s), blob and same-origin paths only', () => {
    expect(safeUrl('https://x/y.png')).toBe('https://x/y.png');
    expect(safeUrl('blob:http://x/1')).toBe('blob:http://x/1');
    expect(safeUrl('/files/a.png')).toBe('/files/a.png');
    expect(safeUrl('//evil.com/a')).toBeUndefined();
    expect(safeUrl(' javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('data:text/html,<b>')).toBeUndefined();
    expect(safeUrl(null)).toBeUndefined();
  });
  it('escapeHtml', () => {
    expect(escapeHtml('<img src=x onerror="a">')).not.toContain('<');
  });
});

describe('pinyin index', () => {
  it('groups by pinyin initial, # last, online first', () => {
    expect(initialOf('张三')).toBe('Z');
    expect(initialOf('alice')).toBe('A');
    expect(initialOf('123')).toBe('#');
    const groups = groupByInitial(
      [
        { n: '张三', o: false },
        { n: '李四', o: true },
        { n: 'amy', o: false },
        { n: '_x', o: false },
      ],
      (x) => x.n,
      (x) => x.o,
    );
    expect(groups.map((g) => g.key)).toEqual(['*', 'A', 'L', 'Z', '#']);
    expect(groups[0]!.items.map((x) => x.n)).toEqual(['李四']);
  });
});

it('formatSize', () => {
  expect(formatSize(500)).toBe('500 B');
  expect(formatSize(2048)).toBe('2.0 KB');
  expect(formatSize(3 * 1024 * 1024)).toBe('3.0 MB');
});
