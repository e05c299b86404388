export { openDatabase } from './connect';
export { migrateToLatest } from './migrate';
export type { DialectHandle, DialectName } from './dialects/dialect';
export type * from './schema';
export { insertMessagesReturningIds, insertReturningId, updatedRows } from './insert';
