import { afterAll, beforeAll } from 'vitest';
import { migrateToLatest, openDatabase, type DialectHandle } from '../../src/db';
import { createTestDatabase, type Engine, type TestDatabase } from '@box-im/im-platform/testing';

/** A migrated test database: `h` is set before the tests run. */
export interface MigratedDatabase {
  h: DialectHandle;
}

/**
 * Before the tests of the enclosing file or describe: a fresh test database of `engine`,
 * opened with one connection and migrated to the latest schema; after them, closed and dropped.
 */
export function useMigratedDatabase(engine: Engine): MigratedDatabase {
  const db = {} as MigratedDatabase;
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase(engine);
    db.h = openDatabase(tdb.url, 1);
    await migrateToLatest(db.h.db as never, db.h.name);
  });
  afterAll(async () => {
    await db.h.db.destroy();
    await tdb.drop();
  });
  return db;
}
