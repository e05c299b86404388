/** Test servers per storage driver, and multipart upload helpers. */
import sharp from 'sharp';
import {
  startTestApp,
  type ApiResult,
  type Engine,
  type TestApp,
  type TestUser,
} from '@box-im/im-platform/testing';
import { startS3rver } from '../storage/s3-server';

export type StorageKind = 'disk' | 's3rver';
export const STORAGES: StorageKind[] = ['disk', 's3rver'];

/** The platform on a port, its uploads going to `kind` (s3rver is started and stopped with it). */
export async function startFileServer(
  kind: StorageKind,
  engine: Engine = 'sqlite',
  env: Record<string, string> = {},
): Promise<TestApp> {
  if (kind === 'disk') return startTestApp({ engine, env, listen: true });
  const s3 = await startS3rver();
  const t = await startTestApp({ engine, env: { ...s3.env, ...env }, listen: true });
  const close = t.close.bind(t);
  t.close = async () => {
    await close();
    await s3.close();
  };
  return t;
}

export interface Part {
  field?: string;
  bytes: Buffer;
  name: string;
  type?: string;
}

export function form(...parts: Part[]): FormData {
  const data = new FormData();
  for (const p of parts)
    data.append(
      p.field ?? 'file',
      new Blob([new Uint8Array(p.bytes)], { type: p.type ?? 'application/octet-stream' }),
      p.name,
    );
  return data;
}

export function upload<T = unknown>(user: TestUser, path: string, ...parts: Part[]): Promise<ApiResult<T>> {
  return user.api.post<T>(path, form(...parts));
}

export interface Fetched {
  status: number;
  type: string | null;
  headers: Headers;
  bytes: Buffer;
}

/** GET a URL (following redirects, as <img> and <a> do). */
export async function fetchUrl(url: string): Promise<Fetched> {
  const res = await fetch(url);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    headers: res.headers,
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

export async function dimensions(bytes: Buffer): Promise<{ width: number; height: number; format: string }> {
  const meta = await sharp(bytes).metadata();
  return { width: meta.autoOrient.width, height: meta.autoOrient.height, format: meta.format };
}

/** The storage key of one of our `/files/<key>` URLs. */
export function keyOfUrl(url: string): string {
  return new URL(url).pathname.replace(/^\/files\//, '');
}
