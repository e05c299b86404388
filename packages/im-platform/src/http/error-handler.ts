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
  return null;
}

export function installErrorHandling(app: Api): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = toAppError(error, request);
    if (known) {
      request.log.debug({ err: { key: known.def.key, message: known.message } }, 'request refused');
      return sendError(request, reply, known);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, new AppError(CommonErrors.INTERNAL));
  });
}
