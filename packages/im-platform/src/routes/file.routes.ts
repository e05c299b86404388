import { UploadImageVO, UploadVideoVO } from '@box-im/im-common';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../context';
import { AppError, FileErrors } from '../errors';
import type { Api } from '../http/api';
import { envelope, ok } from '../http/envelope';
import { baseUrlOf } from '../http/file-serving';
import { receiveFiles, type Intake } from '../media/upload-intake';

const tags = ['file'];
const consumes = ['multipart/form-data'];

/** Run `fn` with the received parts, removing temp files afterwards whatever happens. */
async function withIntake<T>(intake: Promise<Intake>, fn: (intake: Intake) => Promise<T>): Promise<T> {
  const received = await intake;
  try {
    return await fn(received);
  } finally {
    await received.release();
  }
}

/**
 * Uploads. Unlike box-im they need a logged-in user (box-im left them open), except images
 * and files with ANONYMOUS_UPLOADS=on, for box-im's mobile app, which sends them without its
 * token. Who uploads is settled before the body is read. Each takes a multipart body; the
 * file part is `file` (and `cover` for videos).
 */
export function fileRoutes(app: Api, { services, config }: AppContext): void {
  const imageLimit = { maxBytes: config.UPLOAD_MAX_BYTES, tooLarge: FileErrors.IMAGE_TOO_LARGE };
  /**
   * The caller of a `tokenOptional` route: its user, or an admitted anonymous IP
   * (`request.auth` is null there when no token was sent).
   */
  const uploaderOf = (request: FastifyRequest, route: string) =>
    services.anonymousUploads.admit(request.auth, request.ip, route);

  app.post(
    '/image/upload',
    {
      config: { tokenOptional: true, limit: 'upload' },
      schema: {
        tags,
        consumes,
        summary: 'Upload an image (part `file`: JPEG, PNG, GIF or WebP); returns original and thumbnail URLs',
        querystring: Type.Object({
          isPermanent: Type.Boolean({ default: true, description: 'false = deleted after FILE_EXPIRE_DAYS' }),
          thumbSize: Type.Integer({
            minimum: 1,
            maximum: 10240,
            default: 50,
            description: 'thumbnail budget in KB',
          }),
        }),
        response: { 200: envelope(UploadImageVO) },
      },
    },
    async (request) => {
      const uploader = await uploaderOf(request, 'image');
      return withIntake(
        receiveFiles(request, { file: { ...imageLimit, mode: 'memory' } }),
        async ({ files }) => {
          const file = files.get('file');
          if (!file) throw new AppError(FileErrors.FILE_MISSING, { field: 'file' });
          return ok(
            await services.file.uploadImage(
              uploader,
              file,
              { isPermanent: request.query.isPermanent, thumbSizeKb: request.query.thumbSize },
              baseUrlOf(request, config),
            ),
          );
        },
      );
    },
  );

  app.post(
    '/file/upload',
    {
      config: { tokenOptional: true, limit: 'upload' },
      schema: {
        tags,
        consumes,
        summary: 'Upload a file (part `file`, e.g. a document or a `.wav` voice message); returns its URL',
        response: { 200: envelope(Type.String()) },
      },
    },
    async (request) => {
      const uploader = await uploaderOf(request, 'file');
      return withIntake(
        receiveFiles(request, {
          file: { maxBytes: config.UPLOAD_MAX_BYTES, tooLarge: FileErrors.FILE_TOO_LARGE, mode: 'disk' },
        }),
        async ({ files }) => {
          const file = files.get('file');
          if (!file) throw new AppError(FileErrors.FILE_MISSING, { field: 'file' });
          // box-im answers this endpoint with an empty message.
          return ok(await services.file.uploadFile(uploader, file, baseUrlOf(request, config)), '');
        },
      );
    },
  );

  app.post(
    '/video/upload',
    {
      config: { limit: 'upload' },
      schema: {
        tags,
        consumes,
        summary: 'Upload a video (part `file`: MP4, MOV or WebM) with an optional cover image (part `cover`)',
        description: 'Content of the VIDEO (type 4) message: see docs/files.md.',
        querystring: Type.Object({
          isPermanent: Type.Boolean({ default: false }),
          duration: Type.Optional(
            Type.Number({ minimum: 0, maximum: 86400, description: 'seconds, if known' }),
          ),
          width: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
          height: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
        }),
        response: { 200: envelope(UploadVideoVO) },
      },
    },
    async (request) =>
      withIntake(
        receiveFiles(request, {
          file: { maxBytes: config.VIDEO_MAX_BYTES, tooLarge: FileErrors.VIDEO_TOO_LARGE, mode: 'disk' },
          cover: { ...imageLimit, mode: 'memory' },
        }),
        async ({ files }) => {
          const video = files.get('file');
          if (!video) throw new AppError(FileErrors.FILE_MISSING, { field: 'file' });
          const q = request.query;
          return ok(
            await services.file.uploadVideo(
              { userId: request.auth.userId, ip: request.ip },
              video,
              files.get('cover'),
              { isPermanent: q.isPermanent, duration: q.duration, width: q.width, height: q.height },
              baseUrlOf(request, config),
            ),
          );
        },
      ),
  );
}
