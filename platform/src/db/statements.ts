import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/** A parameter of a statement; `?` marks its place in the SQL, whatever the dialect. */
export type SqlValue = string | number | boolean | Date | Buffer | null;

/**
 * Fixed SQL for the hot paths, through sequelize's public `query` with bind parameters: on its
 * pool outside a transaction, on the transaction's connection inside one. Sequelize stays the way
 * to connect, migrate and run transactions; only the model layer's per-query work (building the
 * SQL, escaping every value into it, mapping rows to models) is skipped where a path runs
 * thousands of times a second. The same split as eShop's ordering service: the ORM for the model,
 * plain SQL where a query is hot.
 *
 * Bound values travel apart from the SQL: on MySQL sequelize runs them as mysql2 prepared
 * statements (`execute`, prepared once per connection and kept), on PostgreSQL as pg's
 * parameterised queries. Errors are sequelize's: a duplicate key is a `UniqueConstraintError`,
 * anything else a `DatabaseError` whose `parent` is the driver's error (with its errno or code).
 */
export class Statements {
  private readonly postgres: boolean;

  constructor(private readonly sequelize: Sequelize) {
    this.postgres = sequelize.getDialect() === 'postgres';
  }

  /** Rows of a SELECT (or of a statement with RETURNING on PostgreSQL). */
  rows<Row extends object>(sql: string, params: readonly SqlValue[], transaction?: Transaction): Promise<Row[]> {
    return this.sequelize.query<Row>(bindable(sql), { bind: params as SqlValue[], transaction, type: QueryTypes.SELECT, raw: true });
  }

  /**
   * The rows whose key is one of `keys`, by key (a key names at most one row). `select` puts the
   * `IN` list's placeholders into its SQL; the list is padded (see inList).
   */
  async rowsByKey<Row extends object>(
    keys: readonly string[],
    select: (inPlaceholders: string) => string,
    keyOf: (row: Row) => string,
    transaction?: Transaction,
  ): Promise<Map<string, Row>> {
    const list = inList(keys);
    const rows = await this.rows<Row>(select(list.sql), list.params, transaction);
    return new Map(rows.map((row) => [keyOf(row), row]));
  }

  /** How many rows an INSERT, UPDATE or DELETE changed. */
  async execute(sql: string, params: readonly SqlValue[], transaction?: Transaction): Promise<number> {
    // BULKUPDATE: the statement type for which both dialects answer with the count of rows changed.
    const changed: unknown = await this.sequelize.query(bindable(sql), { bind: params as SqlValue[], transaction, type: QueryTypes.BULKUPDATE });
    return Number(changed);
  }

  /**
   * Deletes at most `chunk` rows of `table` that match `where`; how many it deleted. Retention
   * deletes in chunks (see deleteInChunks), so a large backlog never becomes one long-locking
   * statement. MySQL's DELETE takes a LIMIT; PostgreSQL's does not, so there the chunk is chosen
   * by `key` in a subquery.
   */
  deleteChunk(table: string, key: readonly string[], where: string, params: readonly SqlValue[], chunk: number, transaction?: Transaction): Promise<number> {
    const limit = Math.max(1, Math.trunc(chunk));
    const columns = key.join(', ');
    const sql = this.postgres
      ? `DELETE FROM ${table} WHERE (${columns}) IN (SELECT ${columns} FROM ${table} WHERE ${where} LIMIT ${limit})`
      : `DELETE FROM ${table} WHERE ${where} LIMIT ${limit}`;
    return this.execute(sql, params, transaction);
  }
}

const bindableSql = new Map<string, string>();

/**
 * The statement with its `?` placeholders numbered ($1, $2, …), as sequelize's `bind` wants them
 * (the fixed SQL here never has a `?` or a `$` of its own); remembered, as each runs on every call.
 */
function bindable(sql: string): string {
  let numbered = bindableSql.get(sql);
  if (numbered === undefined) {
    let index = 0;
    bindableSql.set(sql, (numbered = sql.replace(/\?/g, () => `$${++index}`)));
  }
  return numbered;
}

const placeholderLists: string[] = [];

/** "?, ?, ?" for `count` values; remembered, as the statements that use it run on every call. */
export function placeholders(count: number): string {
  return (placeholderLists[count] ??= Array.from({ length: count }, () => '?').join(', '));
}

/**
 * An `IN (…)` list of `values`, padded to the next power of two by repeating its last value: lists
 * of any length then share a handful of prepared statements (1, 2, 4, … placeholders) instead of
 * needing one each, and repeating a value does not change which rows match.
 */
export function inList<Value extends SqlValue>(values: readonly Value[]): { sql: string; params: Value[] } {
  if (values.length === 0) throw new Error('an IN list needs at least one value');
  let size = 1;
  while (size < values.length) size *= 2;
  const params = [...values];
  while (params.length < size) params.push(values[values.length - 1]);
  return { sql: placeholders(size), params };
}

const rowPlaceholderLists = new Map<string, string>();

/** "(?, ?), (?, ?)" for a multi-row INSERT of `rows` rows of `columns` values each; remembered too. */
export function rowPlaceholders(rows: number, columns: number): string {
  const key = `${rows}x${columns}`;
  let list = rowPlaceholderLists.get(key);
  if (list === undefined) rowPlaceholderLists.set(key, (list = Array.from({ length: rows }, () => `(${placeholders(columns)})`).join(', ')));
  return list;
}
