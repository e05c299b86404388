import type { CompiledQuery, Compilable, Kysely, QueryResult } from 'kysely';
import type { DialectHandle, DialectName, SqliteDirect } from './dialects/dialect';
import { dateToText, timesToDates } from './dialects/sqlite-date-plugin';
import type { Database } from './schema';

/** A placeholder of a prepared query: stands where the value named `name` is bound. */
class Slot {
  constructor(readonly name: string) {}
}

/**
 * A value to bind when the prepared query runs, typed as the column's value for the builder.
 * Only a placeholder: never compare it or compute with it in the builder.
 */
export function slot<T>(name: string): T {
  return new Slot(name) as unknown as T;
}

/**
 * A query built and compiled by kysely once per engine, then run with new parameters: for the
 * few statements every message runs (kysely's query building, plugins included, was ~10 % of
 * the standalone server's CPU per message). The builder marks the varying values with
 * `slot(name)`; constants in it stay bound as compiled. The same SQL runs on the process's
 * handle or inside a transaction (group commit). Results go through the engine's plugins as
 * usual (SQLite's `*_time` columns become Dates); Date arguments are written as SQLite's
 * date plugin writes them.
 */
export class PreparedQuery<A extends Record<string, unknown>, R> {
  /** Per engine: the same query object may serve handles of several engines (tests do). */
  private readonly compiled = new Map<DialectName, CompiledQuery<R>>();

  constructor(private readonly build: (db: Kysely<Database>) => Compilable<R>) {}

  async execute(h: DialectHandle, args: A): Promise<QueryResult<R>> {
    const compiled = this.compiledFor(h);
    const sqlite = h.name === 'sqlite';
    const parameters = compiled.parameters.map((p) => {
      if (!(p instanceof Slot)) return p;
      if (!(p.name in args)) throw new Error(`prepared query: no value for ${p.name}`);
      const value = args[p.name];
      return sqlite && value instanceof Date ? dateToText(value) : value;
    });
    if (h.direct) return runDirect<R>(h.direct, compiled.sql, parameters);
    return h.db.executeQuery<R>({ ...compiled, parameters });
  }

  /** The compiled SQL (for tests and diagnostics). */
  sql(h: DialectHandle): string {
    return this.compiledFor(h).sql;
  }

  private compiledFor(h: DialectHandle): CompiledQuery<R> {
    let compiled = this.compiled.get(h.name);
    if (!compiled) {
      compiled = this.build(h.db).compile();
      if (compiled.parameters.some((p) => p instanceof Date))
        throw new Error('prepared query: a Date constant would not be converted');
      this.compiled.set(h.name, compiled);
    }
    return compiled;
  }
}

/**
 * A statement on the SQLite connection the caller holds (a group-commit batch), without
 * kysely's executor: the result kysely's SQLite driver and the date plugin would give.
 */
function runDirect<R>(direct: SqliteDirect, sql: string, parameters: unknown[]): QueryResult<R> {
  const statement = direct.prepare(sql);
  if (statement.reader) {
    const rows = statement.all(parameters) as Record<string, unknown>[];
    timesToDates(rows);
    return { rows: rows as R[] };
  }
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

/**
 * One prepared query per engine and shape: a repository's handle is of one engine, but a
 * statement such as `id in (…)` has one shape per list length (kept up to `maxShapes`).
 */
export class PreparedShapes<K, A extends Record<string, unknown>, R> {
  private readonly shapes = new Map<K, PreparedQuery<A, R>>();

  constructor(
    private readonly build: (db: Kysely<Database>, key: K) => Compilable<R>,
    private readonly maxShapes = 32,
  ) {}

  /** The prepared query of this shape, or undefined past `maxShapes` (build it as usual then). */
  get(key: K): PreparedQuery<A, R> | undefined {
    let query = this.shapes.get(key);
    if (!query) {
      if (this.shapes.size >= this.maxShapes) return undefined;
      query = new PreparedQuery<A, R>((db) => this.build(db, key));
      this.shapes.set(key, query);
    }
    return query;
  }
}
