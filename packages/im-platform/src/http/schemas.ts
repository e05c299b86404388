import { Type } from 'typebox';

/**
 * Ids of users, groups and messages: positive and within what a JavaScript number holds
 * exactly (PostgreSQL refuses `1e300` as a bigint; past 2^53 ids would no longer compare).
 */
export const Id = (description?: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...(description ? { description } : {}) });

/** A message id bound of an offline pull, within the same safe range. */
export const MinId = (minimum = -Number.MAX_SAFE_INTEGER) =>
  Type.Integer({ minimum, maximum: Number.MAX_SAFE_INTEGER });
