/** Friends by the first letter of their name's pinyin (A–Z, then `#`), for the index bar. */
import { pinyin } from 'pinyin-pro';

export function initialOf(name: string): string {
  const first = name.trim().charAt(0);
  if (!first) return '#';
  const py = pinyin(first, { toneType: 'none', type: 'array' })[0] ?? '';
  const c = (py || first).charAt(0).toUpperCase();
  return c >= 'A' && c <= 'Z' ? c : '#';
}

export interface IndexGroup<T> {
  key: string;
  items: T[];
}

export function groupByInitial<T>(items: readonly T[], nameOf: (x: T) => string): IndexGroup<T>[] {
  const map = new Map<string, T[]>();
  for (const it of items) {
    const k = initialOf(nameOf(it));
    const arr = map.get(k) ?? [];
    arr.push(it);
    map.set(k, arr);
  }
  return [...map.keys()]
    .sort((a, b) => (a === '#' ? 1 : b === '#' ? -1 : a.localeCompare(b)))
    .map((key) => ({ key, items: map.get(key)!.sort((a, b) => nameOf(a).localeCompare(nameOf(b))) }));
}
