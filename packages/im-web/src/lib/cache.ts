/**
 * The chat cache's storage in the browser: IndexedDB (database `box-im`, object store `kv`),
 * or memory where IndexedDB is missing (e.g. unit tests).
 */
import { memoryStore, type KvStore } from '@box-im/im-app-core';

function wrap<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB error'));
  });
}

export function indexedDbStore(name = 'box-im'): KvStore {
  const dbp = new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('kv');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
  });
  const tx = async (mode: IDBTransactionMode) => (await dbp).transaction('kv', mode).objectStore('kv');
  return {
    get: async <T>(k: string) => (await wrap((await tx('readonly')).get(k))) as T | undefined,
    set: async (k, v) => {
      await wrap((await tx('readwrite')).put(v, k));
    },
    del: async (k) => {
      await wrap((await tx('readwrite')).delete(k));
    },
  };
}

export function defaultStore(): KvStore {
  try {
    if (typeof indexedDB !== 'undefined' && indexedDB) return indexedDbStore();
  } catch {
    /* fall through */
  }
  return memoryStore();
}
