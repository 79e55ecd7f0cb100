import { createHash } from 'node:crypto';
import { DatabaseError, UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';

/** A parameter of a statement; `?` marks its place in the SQL, whatever the dialect. */
export type SqlValue = string | number | boolean | Date | Buffer | null;

/** A connection of sequelize's pool: a mysql2 connection or a pg client, by the dialect. */
export type DriverConnection = object;

/**
 * The driver below sequelize: its pool's connections, and SQL sent on them by mysql2 or pg
 * themselves, without sequelize's query path (building, escaping, hooks, retry, row mapping).
 * Statements run the hot paths' fixed SQL through it, and DriverTransaction begins and ends
 * transactions through it (why: docs/decisions/0001 and 0005).
 *
 * It reaches into sequelize in two places, guarded by test/statements.test.ts and
 * test/driver-transaction.test.ts: the pool (`connectionManager`'s get, release and destroy,
 * which sequelize does not document) and the connection a transaction runs on (`connection`, set
 * at runtime, missing from its typings).
 *
 * SQL sent here is logged through sequelize's `logging` option, like its own queries. Errors
 * keep sequelize's shape, so callers catch one kind whichever way a statement was run: a
 * duplicate key is a `UniqueConstraintError`, anything else a `DatabaseError` whose `parent` is
 * the driver's error (with its errno or code).
 */
export class Driver {
  readonly postgres: boolean;
  private readonly options: { logging?: unknown };

  constructor(readonly sequelize: Sequelize) {
    this.postgres = sequelize.getDialect() === 'postgres';
    this.options = (sequelize as unknown as { options: { logging?: unknown } }).options;
  }

  acquire(): Promise<DriverConnection> {
    return this.sequelize.connectionManager.getConnection({ type: 'write' });
  }

  release(connection: DriverConnection): void {
    this.sequelize.connectionManager.releaseConnection(connection);
  }

  /** Closes a connection whose state is unknown (a COMMIT or ROLLBACK that failed), instead of pooling it again. */
  async destroy(connection: DriverConnection): Promise<void> {
    const manager = this.sequelize.connectionManager as unknown as { destroyConnection(connection: DriverConnection): Promise<void> };
    await manager.destroyConnection(connection).catch(() => undefined);
  }

  /**
   * Sends `sql` on `connection`: with `params` as a prepared statement (mysql2's `execute`; pg
   * prepares it once per connection under a name derived from the text), without them as plain
   * text (START, COMMIT and the like, which need no preparing). The driver's raw result.
   */
  async send(connection: DriverConnection, sql: string, params?: readonly SqlValue[]): Promise<unknown> {
    const { logging } = this.options;
    if (typeof logging === 'function') logging(`Executing (${params ? 'prepared' : 'driver'}): ${sql}`, params);
    try {
      if (this.postgres) {
        const client = connection as PgConnection;
        return await (params ? client.query({ ...pgStatement(sql), values: params as SqlValue[] }) : client.query(sql));
      }
      const mysql = connection as MysqlConnection;
      return await new Promise((resolve, reject) => {
        const done = (error: Error | null, result: unknown) => (error ? reject(error) : resolve(result));
        if (params) mysql.execute(sql, params, done);
        else mysql.query(sql, done);
      });
    } catch (error) {
      throw asSequelizeError(error as DriverError, sql);
    }
  }
}

/** The connection a sequelize transaction runs on; refused once the transaction has ended. */
export function connectionOf(transaction: Transaction): DriverConnection {
  const { connection, finished } = transaction as unknown as { connection?: DriverConnection; finished?: string };
  if (!connection || finished) throw new Error('the transaction has no connection: it has already finished');
  return connection;
}

export interface PgResult {
  rows: unknown[];
  rowCount: number | null;
}
interface PgConnection {
  query(config: { name: string; text: string; values: SqlValue[] } | string): Promise<PgResult>;
}
type Callback = (error: Error | null, result: unknown) => void;
interface MysqlConnection {
  execute(sql: string, params: readonly SqlValue[], callback: Callback): void;
  query(sql: string, callback: Callback): void;
}
interface DriverError extends Error {
  code?: string;
  errno?: number;
  sql?: string;
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
