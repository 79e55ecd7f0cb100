import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { ExponentialBackoff, handleAll, handleWhen, retry } from 'cockatiel';
import { Sequelize, Transaction, type TransactionOptions } from 'sequelize';
import type { Logger } from '../logger';
import { Driver } from './driver';
import { DriverTransaction } from './driver-transaction';

export interface DatabaseOptions {
  url: URL;
  poolMax: number;
  /** How long start-up keeps retrying a database that does not answer yet. */
  connectTimeoutMs: number;
}

export type Dialect = 'mysql' | 'postgres';

interface Credentials {
  host: string;
  port: number;
  user: string;
  password: string;
}

/**
 * Connects to the service's own database (MariaDB/MySQL or PostgreSQL, by the URL's scheme),
 * creating the database first when it is missing, and retrying while the server is still
 * starting.
 */
export async function connectDatabase(options: DatabaseOptions, logger: Logger): Promise<Sequelize> {
  const { url } = options;
  const dialect: Dialect = url.protocol.startsWith('postgres') ? 'postgres' : 'mysql';
  const database = decodeURIComponent(url.pathname.slice(1));
  const credentials: Credentials = {
    host: url.hostname,
    port: Number(url.port || (dialect === 'postgres' ? 5432 : 3306)),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
  // A database that is still starting (beside us in `npm start`, or as the pod next door) is
  // waited for with a capped exponential backoff, until connectTimeoutMs has passed.
  const untilReachable = retry(handleAll, { maxAttempts: Infinity, backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 4_000 }) });
  untilReachable.onRetry(({ delay, ...outcome }) =>
    logger.warn({ err: 'error' in outcome ? (outcome.error as Error).message : undefined, retryInMs: Math.round(delay) }, 'database not reachable yet'),
  );
  await untilReachable.execute(() => createDatabaseIfMissing(dialect, credentials, database), AbortSignal.timeout(options.connectTimeoutMs));

  const sequelize = new Sequelize(database, credentials.user, credentials.password, {
    host: credentials.host,
    port: credentials.port,
    dialect,
    logging: false,
    timezone: '+00:00',
    pool: { max: options.poolMax, min: 0, acquire: 10_000, idle: 30_000, evict: 10_000 },
    // typeCast true: mysql2 converts values itself (dates in the connection's +00:00, as sequelize
    // would). Sequelize's own hook re-parses every date from a string and makes mysql2 wrap every
    // field of every row for it; it only adds DATEONLY and GEOMETRY handling, which no table uses.
    dialectOptions:
      dialect === 'mysql' ? { connectTimeout: 5_000, supportBigNumbers: true, bigNumberStrings: false, typeCast: true } : { connectionTimeoutMillis: 5_000 },
    define: { underscored: true, timestamps: false, freezeTableName: true },
  });
  await sequelize.authenticate();
  logger.info({ host: credentials.host, port: credentials.port, database }, 'database connected');
  return sequelize;
}

async function createDatabaseIfMissing(dialect: Dialect, credentials: Credentials, database: string): Promise<void> {
  if (dialect === 'mysql') {
    const connection = await createConnection({ ...credentials, connectTimeout: 3_000 });
    try {
      await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database.replace(/`/g, '``')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    } finally {
      await connection.end();
    }
    return;
  }
  // PostgreSQL has no CREATE DATABASE IF NOT EXISTS: ask the catalog first (a concurrent
  // creator makes ours fail with 42P04, which means the same thing).
  const client = new Client({ ...credentials, database: 'postgres', connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}" ENCODING 'UTF8'`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

/** For `inTransaction`: a transaction that takes no gap locks and sees what committed before each statement. */
export const READ_COMMITTED = { isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED };

/** A deadlock's victim, as MySQL/MariaDB (errno 1213) and PostgreSQL (SQLSTATE 40P01) report it. */
function isDeadlock(error: unknown): boolean {
  const cause = (error as { parent?: { errno?: number; code?: string } }).parent;
  return cause?.errno === 1213 || cause?.code === '40P01';
}

/**
 * Deadlocks are retried up to four times after a short random pause (decorrelated jitter), so
 * the transactions that collided do not collide again in lockstep; the database already rolled
 * back the victim. Never once the caller's deadline has passed (the signal given to `execute`).
 */
const deadlockRetry = retry(handleWhen(isDeadlock), { maxAttempts: 4, backoff: new ExponentialBackoff({ initialDelay: 10, maxDelay: 100 }) });

/**
 * Runs `work` in one transaction (a DriverTransaction: sequelize's, begun and ended by the
 * driver), retrying deadlocks (deadlockRetry). The transaction is rolled back instead of
 * committed when `work` fails or the caller's deadline has passed. The one way the services and
 * the platform run a transaction.
 */
export function inTransaction<T>(
  sequelize: Sequelize,
  signal: AbortSignal | undefined,
  work: (transaction: Transaction) => Promise<T>,
  isolation?: { isolationLevel: TransactionOptions['isolationLevel'] },
): Promise<T> {
  const once = async () => {
    const transaction = await DriverTransaction.begin(new Driver(sequelize), isolation?.isolationLevel);
    let result: T;
    try {
      result = await work(transaction);
      // Nobody waits for the answer any more: roll back rather than commit behind their back.
      signal?.throwIfAborted();
    } catch (error) {
      // The work's failure is the one to report; a rollback that fails closes the connection.
      await transaction.rollback().catch(() => undefined);
      throw error;
    }
    await transaction.commit();
    return result;
  };
  return signal ? deadlockRetry.execute(once, signal) : deadlockRetry.execute(once);
}
