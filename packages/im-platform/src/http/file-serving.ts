import { realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformConfig } from '../config';
import type { AppContext } from '../context';
import { contentTypeOfKey } from '../media/content-types';
import { FILES_PATH } from '../services/file.service';
import { DiskStorage } from '../storage/disk/disk-storage';
import { isValidKey } from '../storage/object-key';

/** `https://host[:port]` of absolute file URLs: PUBLIC_URL, else the caller's view of us (X-Forwarded-* honoured). */
export function baseUrlOf(request: FastifyRequest, config: PlatformConfig): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Whether the file of a key really lies under the root (a symlink placed in the data folder
 * must not expose the rest of the disk). Missing files pass: they end as a plain 404.
 */
function insideRoot(root: string, key: string): boolean {
  try {
    const realRoot = realpathSync(root);
    return realpathSync(join(root, key)).startsWith(realRoot + sep);
  } catch {
    return true;
  }
}

/**
 * Multipart parsing for the upload routes, and `GET /files/<key>` outside the API prefix:
 * - disk storage: the file itself (ranges, ETag, immutable caching, content type from the
 *   generated extension, `attachment` + `nosniff` for anything a browser must not render;
 *   no directory listing, nothing but well-formed keys);
 * - S3: a redirect to the public URL, or to a fresh presigned GET (the bucket stays private).
 */
export async function registerFileServing(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(fastifyMultipart, {
    limits: {
      fileSize: Math.max(ctx.config.UPLOAD_MAX_BYTES, ctx.config.VIDEO_MAX_BYTES) + 1,
      files: 4,
      parts: 30,
    },
  });

  const storage = ctx.storage;
  if (storage instanceof DiskStorage) {
    await app.register(fastifyStatic, {
      root: storage.root,
      prefix: `${FILES_PATH}/`,
      decorateReply: false,
      index: false,
      list: false,
      dotfiles: 'deny',
      redirect: false,
      contentType: false,
      cacheControl: false,
      allowedPath: (pathName) => {
        const key = pathName.replace(/^\/+/, '');
        return isValidKey(key) && insideRoot(storage.root, key);
      },
      setHeaders: (res, path) => {
        const served = contentTypeOfKey(path);
        res.setHeader('content-type', served.type);
        res.setHeader('x-content-type-options', 'nosniff');
        res.setHeader('cache-control', IMMUTABLE);
        res.setHeader('content-security-policy', "default-src 'none'; sandbox");
        if (served.attachment) res.setHeader('content-disposition', 'attachment');
      },
    });
    return;
  }

  const ttl = ctx.config.S3_PRESIGN_SECONDS;
  app.get(`${FILES_PATH}/*`, { schema: { hide: true } }, async (request, reply) => {
    const key = (request.params as { '*': string })['*'];
    const target = isValidKey(key)
      ? (storage.publicUrl(key) ?? (await ctx.services.file.redirectUrl(key, ttl)))
      : null;
    if (!target) return reply.status(404).type('text/plain').send('Not Found');
    return reply
      .header('cache-control', `private, max-age=${Math.max(0, Math.floor(ttl / 2))}`)
      .redirect(target, 302);
  });
}
