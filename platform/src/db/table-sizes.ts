import { QueryTypes, type Sequelize } from 'sequelize';
import type { Metrics } from '../metrics';

interface TableSize {
  name: string;
  rows: number | string | null;
  bytes: number | string | null;
}

// The database's own statistics, not COUNT(*): a count scans the whole table on every scrape,
// which is exactly what grows. InnoDB's row count is an estimate (within tens of percent), and
// PostgreSQL's is as of the last ANALYZE (autovacuum keeps it fresh); both are fine for a trend.
const MYSQL_SIZES = `SELECT table_name AS name, table_rows AS \`rows\`, data_length + index_length AS bytes
  FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'`;
const POSTGRES_SIZES = `SELECT c.relname AS name, GREATEST(c.reltuples, 0)::bigint AS rows, pg_total_relation_size(c.oid) AS bytes
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`;

/** Row and byte gauges for every table of the service's database: what retention keeps bounded shows here. */
export function tableSizeGauges(sequelize: Sequelize, metrics: Metrics): void {
  const sql = sequelize.getDialect() === 'postgres' ? POSTGRES_SIZES : MYSQL_SIZES;
  // Both gauges are read in the same scrape: they share one query (a reading lasts a second).
  let last: { at: number; sizes: Promise<TableSize[]> } | undefined;
  const read = () => {
    if (!last || Date.now() - last.at > 1_000) last = { at: Date.now(), sizes: sequelize.query<TableSize>(sql, { type: QueryTypes.SELECT }) };
    return last.sizes;
  };
  metrics.gauge(
    'funshop_table_rows_estimate',
    "Rows per table, from the database's statistics (an estimate)",
    async () => (await read()).map((table) => ({ labels: { table: table.name }, value: Number(table.rows ?? 0) })),
    ['table'],
  );
  metrics.gauge(
    'funshop_table_bytes',
    'Bytes per table, data and indexes',
    async () => (await read()).map((table) => ({ labels: { table: table.name }, value: Number(table.bytes ?? 0) })),
    ['table'],
  );
}
