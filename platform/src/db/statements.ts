import { createHash } from 'node:crypto';
import { DatabaseError, UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';

/** A parameter of a statement; `?` marks its place in the SQL, whatever the dialect. */
export type SqlValue = string | number | boolean | Date | Buffer | null;

/**
 * Fixed SQL for the hot paths, run as prepared statements on sequelize's own connections: the
 * pool's when outside a transaction, the transaction's inside one. Sequelize stays the way to
 * connect, migrate and run transactions; only its per-query work (building the SQL, escaping
 * every value into it, mapping rows to models) is skipped where a path runs thousands of times a
 * second. The same split as eShop's ordering service: the ORM for the model, plain SQL where a
 * query is hot.
 *
 * Why not sequelize's public `query` with `bind`: measured, the same statements cost 14 % more CPU on
 * MySQL and 32 % on PostgreSQL, and PlaceOrder lost a fifth of its throughput (see
 * docs/decisions/0001-prepared-sql-on-hot-paths.md). The price is the two reaches into sequelize
 * below (a pool connection, a transaction's connection), which test/statements.test.ts guards.
 *
 * Statements are logged through sequelize's `logging` option, like its own queries. Errors keep
 * sequelize's shape, so callers catch one kind whichever way a statement was run: a
 * duplicate key is a `UniqueConstraintError`, anything else a `DatabaseError` whose `parent` is
 * the driver's error (with its errno or code).
 */
export class Statements {
  private readonly postgres: boolean;
  private readonly options: { logging?: unknown };

  constructor(private readonly sequelize: Sequelize) {
    this.postgres = sequelize.getDialect() === 'postgres';
    this.options = (sequelize as unknown as { options: { logging?: unknown } }).options;
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
    const { logging } = this.options;
    if (typeof logging === 'function') logging(`Executing (prepared): ${sql}`, params);
    const manager = this.sequelize.connectionManager;
    const connection = transaction ? connectionOf(transaction) : await manager.getConnection({ type: 'write' });
    try {
      return this.postgres
        ? await (connection as PgConnection).query({ ...pgStatement(sql), values: params as SqlValue[] })
        : await new Promise((resolve, reject) =>
            (connection as MysqlConnection).execute(sql, params, (error, result) => (error ? reject(error) : resolve(result))),
          );
    } catch (error) {
      throw asSequelizeError(error as DriverError, sql);
    } finally {
      if (!transaction) manager.releaseConnection(connection);
    }
  }
}

interface PgResult {
  rows: unknown[];
  rowCount: number | null;
}
interface PgConnection {
  query(config: { name: string; text: string; values: SqlValue[] }): Promise<PgResult>;
}
interface MysqlConnection {
  execute(sql: string, params: readonly SqlValue[], callback: (error: Error | null, result: unknown) => void): void;
}
interface DriverError extends Error {
  code?: string;
  errno?: number;
  sql?: string;
}

/** The connection a sequelize transaction runs on (set at runtime, missing from its typings). */
function connectionOf(transaction: Transaction): object {
  const connection = (transaction as unknown as { connection?: object }).connection;
  if (!connection) throw new Error('the transaction has no connection: it has already finished');
  return connection;
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

const pgStatements = new Map<string, { name: string; text: string }>();

/**
 * The statement as pg wants it: placeholders numbered (the fixed SQL here never has a `?` of its
 * own), and a name derived from the text, under which pg prepares it once per connection.
 */
function pgStatement(sql: string): { name: string; text: string } {
  let statement = pgStatements.get(sql);
  if (!statement) {
    let index = 0;
    statement = {
      name: `funshop_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`,
      text: sql.replace(/\?/g, () => `$${++index}`),
    };
    pgStatements.set(sql, statement);
  }
  return statement;
}

function asSequelizeError(error: DriverError, sql: string): Error {
  const duplicate = error.code === 'ER_DUP_ENTRY' || error.code === '23505';
  if (duplicate) return new UniqueConstraintError({ message: error.message, parent: error, sql } as never);
  error.sql = sql;
  return new DatabaseError(error as never);
}
