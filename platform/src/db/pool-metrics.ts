import type { Sequelize } from 'sequelize';
import type { Metrics } from '../metrics';

/**
 * What sequelize's connection pool (sequelize-pool) says of itself, through its public getters.
 * Sequelize does not type `connectionManager.pool`; without read replication (we use none) it is
 * that one pool.
 */
interface PoolState {
  using: number;
  available: number;
  waiting: number;
  maxSize: number;
}

/** Gauges of the service's database pool: how many connections are busy, and who waits for one. */
export function poolGauges(sequelize: Sequelize, metrics: Metrics): void {
  const pool = () => (sequelize.connectionManager as unknown as { pool: PoolState }).pool;
  metrics.gauge(
    'funshop_db_pool_connections',
    'Open database connections, by state: in_use (lent to a statement or a transaction) or idle',
    async () => [
      { labels: { state: 'in_use' }, value: pool().using },
      { labels: { state: 'idle' }, value: pool().available },
    ],
    ['state'],
  );
  metrics.gauge('funshop_db_pool_max_connections', 'The most connections the pool opens (<SERVICE>_DATABASE_POOL_MAX)', async () => pool().maxSize);
  metrics.gauge(
    'funshop_db_pool_waiting',
    'Statements and transactions waiting for a free connection; above 0 for long, the pool is the bottleneck',
    async () => pool().waiting,
  );
}
