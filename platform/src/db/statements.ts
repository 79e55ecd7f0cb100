import type { Sequelize, Transaction } from 'sequelize';
import { connectionOf, Driver, type PgResult, type SqlValue } from './driver';

/**
 * Fixed SQL for the hot paths, run as prepared statements on sequelize's own connections: the
 * pool's when outside a transaction, the transaction's inside one. Sequelize stays the way to
 * connect, migrate and model (its Transaction is the transaction: see DriverTransaction); only its
 * per-query work (building the SQL, escaping every value into it, mapping rows to models) is
 * skipped where a path runs thousands of times a second. The same split as eShop's ordering
 * service: the ORM for the model, plain SQL where a query is hot.
 *
 * Why not sequelize's public `query` with `bind`: measured, the same statements cost 14 % more CPU on
 * MySQL and 32 % on PostgreSQL, and PlaceOrder lost a fifth of its throughput (see
 * docs/decisions/0001-prepared-sql-on-hot-paths.md). The price is the reaches into sequelize that
 * Driver keeps in one place (logging and errors as sequelize's own queries have them).
 */
export class Statements {
  private readonly driver: Driver;
  private readonly postgres: boolean;

  constructor(sequelize: Sequelize) {
    this.driver = new Driver(sequelize);
    this.postgres = this.driver.postgres;
  }

  /** Rows of a SELECT (or of a statement with RETURNING on PostgreSQL). */
  async rows<Row>(sql: string, params: readonly SqlValue[], transaction?: Transaction): Promise<Row[]> {
    const result = await this.run(sql, params, transaction);
    return (this.postgres ? (result as PgResult).rows : result) as Row[];
  }

  /**
   * The rows whose key is one of `keys`, by key (a key names at most one row). `select` puts the
   * `IN` list's placeholders into its SQL; the list is padded (see inList).
   */
  async rowsByKey<Row>(
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
    const result = await this.run(sql, params, transaction);
    return this.postgres ? ((result as PgResult).rowCount ?? 0) : (result as { affectedRows: number }).affectedRows;
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

  private async run(sql: string, params: readonly SqlValue[], transaction: Transaction | undefined): Promise<unknown> {
    const connection = transaction ? connectionOf(transaction) : await this.driver.acquire();
    try {
      return await this.driver.send(connection, sql, params);
    } finally {
      if (!transaction) this.driver.release(connection);
    }
  }
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
