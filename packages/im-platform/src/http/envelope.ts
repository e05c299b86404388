import type { Result } from '@box-im/im-common';
import { Type, type TSchema } from 'typebox';
import { SUCCESS_MESSAGE } from './i18n';

/** A success envelope around `data` (box-im sends `"data": null` rather than omitting it). */
export function ok<T>(data: T, message = SUCCESS_MESSAGE): Result<T> {
  return { code: 200, message, data: data === undefined ? null : data };
}

/** The envelope's schema around a data schema, for OpenAPI. */
export function envelope(data: TSchema = Type.Null()) {
  return Type.Object({ code: Type.Integer(), message: Type.String(), data });
}
