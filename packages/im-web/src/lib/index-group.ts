/** Group names by the first letter of their pinyin (A–Z, then `#`), optional leading "online" group. */
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

export function groupByInitial<T>(
  items: readonly T[],
  nameOf: (x: T) => string,
  onlineOf?: (x: T) => boolean,
  onlineKey = '*',
): IndexGroup<T>[] {
  const map = new Map<string, T[]>();
  const online: T[] = [];
  for (const it of items) {
    if (onlineOf?.(it)) online.push(it);
    const k = initialOf(nameOf(it));
    const arr = map.get(k) ?? [];
    arr.push(it);
    map.set(k, arr);
  }
  const keys = [...map.keys()].sort((a, b) => (a === '#' ? 1 : b === '#' ? -1 : a.localeCompare(b)));
  const byName = (a: T, b: T) => nameOf(a).localeCompare(nameOf(b), 'zh');
  const out = keys.map((key) => ({ key, items: map.get(key)!.sort(byName) }));
  if (online.length) out.unshift({ key: onlineKey, items: online.sort(byName) });
  return out;
}
