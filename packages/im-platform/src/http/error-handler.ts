import type { Api } from './api';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, CommonErrors, type ErrorDef } from '../errors';
import { pickLanguage } from './i18n';
import { describeSchemaError, type SchemaError } from './validation';

/** Send a declared error as box-im does: HTTP 200, `{code, message, data: null}`. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const lang = pickLanguage(request);
  return reply
    .status(200)
    .header('x-error-key', error.def.key)
    .send({ code: error.code, message: error.message_in(lang), data: null });
}

/** Map framework errors (validation, parsing, limits) to declared errors. */
function toAppError(error: FastifyError, request: FastifyRequest): AppError | null {
  if (error instanceof AppError) return error;
  if (error.validation && error.validation.length > 0) {
    const lang = pickLanguage(request);
    const first = error.validation[0] as unknown as SchemaError;
    return new AppError(CommonErrors.VALIDATION, { detail: describeSchemaError(first, lang) });
  }
  const byCode: Record<string, ErrorDef> = {
    FST_ERR_CTP_BODY_TOO_LARGE: CommonErrors.BODY_TOO_LARGE,
    FST_ERR_CTP_INVALID_MEDIA_TYPE: CommonErrors.UNSUPPORTED_MEDIA_TYPE,
    FST_ERR_CTP_EMPTY_JSON_BODY: CommonErrors.BAD_JSON,
    FST_ERR_CTP_INVALID_JSON_BODY: CommonErrors.BAD_JSON,
  };
  const def = error.code ? byCode[error.code] : undefined;
  if (def) return new AppError(def, { type: String(request.headers['content-type'] ?? '') });
  if (error instanceof SyntaxError) return new AppError(CommonErrors.BAD_JSON);
  return fromDatabase(error);
}

/**
 * Text a database refuses to store (a MySQL table not in utf8mb4 meeting an emoji, a value
 * longer than its column): the user's input, not a failure of ours. Validation should catch
 * these first; this is the net behind it.
 */
function fromDatabase(error: { code?: unknown }): AppError | null {
  const unstorable = ['ER_TRUNCATED_WRONG_VALUE_FOR_FIELD', 'ER_TRUNCATED_WRONG_VALUE', '22021', '22P05'];
  const tooLong = ['ER_DATA_TOO_LONG', '22001'];
  if (typeof error.code !== 'string') return null;
  if (unstorable.includes(error.code)) return new AppError(CommonErrors.UNSTORABLE_TEXT);
  if (tooLong.includes(error.code)) return new AppError(CommonErrors.TEXT_TOO_LONG);
  return null;
}

export function installErrorHandling(app: Api): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = toAppError(error, request);
    if (known?.def === CommonErrors.UNSTORABLE_TEXT || known?.def === CommonErrors.TEXT_TOO_LONG) {
      // validation let it through: the schema and the checks disagree, worth an operator's look
      request.log.warn({ err: error }, 'the database refused a text');
      return sendError(request, reply, known);
    }
    if (known) {
      request.log.debug({ err: { key: known.def.key, message: known.message } }, 'request refused');
      return sendError(request, reply, known);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, new AppError(CommonErrors.INTERNAL));
  });
}
