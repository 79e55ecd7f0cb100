import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';

/**
 * Drops every database of one local shop (e.g. `funshop_test_`), in MariaDB and PostgreSQL, so
 * its next start runs migrations and seeds from scratch and no earlier run's rows weigh on it.
 */
export async function dropShopDatabases(prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/_/g, '\\_')}%`;
  const connection = await createConnection({ host: '127.0.0.1', port: 3306, user: 'funshop', password: 'funshop' });
  try {
    const [rows] = await connection.query('SHOW DATABASES LIKE ?', [pattern]);
    for (const row of rows as Record<string, string>[]) {
      await connection.query(`DROP DATABASE \`${Object.values(row)[0]}\``);
    }
  } finally {
    await connection.end();
  }
  const postgres = new Client({ host: '127.0.0.1', port: 5432, user: 'funshop', password: 'funshop', database: 'postgres' });
  await postgres.connect();
  try {
    const { rows } = await postgres.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [pattern]);
    for (const { datname } of rows as { datname: string }[]) await postgres.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
  } finally {
    await postgres.end();
  }
}
