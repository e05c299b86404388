import { Type } from 'typebox';

/**
 * Bounds of the numbers routes accept (issue 9): every integer in a query, path or body has
 * a maximum, so `page=1e300` is refused by the schema with a message naming the field instead
 * of reaching SQL as a number no engine takes.
 */

/** Largest id: beyond 2^53 JavaScript loses digits (box-im's BIGINT ids stay far below). */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

/** A database id (user, group, message, friend). */
export const IdSchema = (description?: string) =>
  Type.Integer({ minimum: 1, maximum: MAX_ID, ...(description ? { description } : {}) });

/** A message id used as a cursor (`minId`): anything up to the largest id; below 1 means "from the start". */
export const CursorSchema = (minimum = -MAX_ID) => Type.Integer({ minimum, maximum: MAX_ID });

/** A small enumerated code (message `type`): a 32-bit integer; the service checks its value. */
export const CodeSchema = () => Type.Integer({ minimum: -2147483648, maximum: 2147483647 });

/** History page: from 1 (0 and below read as 1, as box-im does), at most 1 000 000. */
export const PageSchema = () =>
  Type.Integer({ minimum: -1_000_000, maximum: 1_000_000, description: '1-based; <= 0 reads as 1' });

/** History page size within a million; the service returns at most HISTORY_PAGE_MAX rows, <= 0 reads as 10. */
export const PageSizeSchema = () =>
  Type.Integer({
    minimum: -1_000_000,
    maximum: 1_000_000,
    description: 'rows per page (at most 100 are returned); <= 0 reads as 10',
  });
