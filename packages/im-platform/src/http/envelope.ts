import { Readable } from 'node:stream';
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

/**
 * A success envelope whose `data` array is written page by page, so a huge list (an offline
 * backlog) never sits in memory at once. The first page is read before anything is sent,
 * so an early failure still gives a normal error envelope. If the client goes away mid-way,
 * the remaining pages are not read.
 */
export async function streamedEnvelope(pages: AsyncIterable<readonly unknown[]>): Promise<Readable> {
  const iterator = pages[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* chunks(): AsyncGenerator<string> {
    let page = first;
    let written = 0;
    try {
      yield `{"code":200,"message":${JSON.stringify(SUCCESS_MESSAGE)},"data":[`;
      while (!page.done) {
        if (page.value.length > 0) {
          yield (written > 0 ? ',' : '') + page.value.map((item) => JSON.stringify(item)).join(',');
          written += page.value.length;
        }
        page = await iterator.next();
      }
      yield ']}';
    } finally {
      if (!page.done) await iterator.return?.();
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
