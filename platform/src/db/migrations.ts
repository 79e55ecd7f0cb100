import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { Logger } from '../logger';
import { inTransaction } from './database';

export interface Migration {
  name: string;
  up(queryInterface: QueryInterface): Promise<void>;
  down(queryInterface: QueryInterface): Promise<void>;
}

/**
 * Applies pending migrations (umzug, recorded in `schema_migrations`). A named lock (MariaDB
 * GET_LOCK, PostgreSQL advisory lock) makes replicas that start together take turns instead of
 * racing on the same DDL. Services never
 * call `sync()`: the schema is exactly what the migrations say.
 */
export async function migrate(sequelize: Sequelize, migrations: Migration[], logger: Logger): Promise<void> {
  const umzug = new Umzug({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: ({ context }: { context: QueryInterface }) => m.up(context),
      down: ({ context }: { context: QueryInterface }) => m.down(context),
    })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: {
      info: (event) => logger.info(summary(event), 'migration'),
      warn: (event) => logger.warn(summary(event), 'migration'),
      error: (event) => logger.error(summary(event), 'migration'),
      debug: () => undefined,
    },
  });
  const lockName = `${sequelize.getDatabaseName()}.migrations`;
  await inTransaction(sequelize, undefined, async (transaction) => {
    if (sequelize.getDialect() === 'postgres') {
      // Released when this transaction ends.
      await sequelize.query('SELECT pg_advisory_xact_lock(hashtext(?))', { replacements: [lockName], transaction });
    } else {
      const [[{ acquired }]] = (await sequelize.query('SELECT GET_LOCK(?, 120) AS acquired', {
        replacements: [lockName],
        transaction,
      })) as [[{ acquired: number | null }], unknown];
      if (acquired !== 1) throw new Error(`could not take the migration lock ${lockName} within 120 s`);
    }
    try {
      const applied = await umzug.up();
      logger.info({ applied: applied.map((m) => m.name) }, 'schema up to date');
    } finally {
      if (sequelize.getDialect() !== 'postgres') await sequelize.query('SELECT RELEASE_LOCK(?)', { replacements: [lockName], transaction });
    }
  });
}

/** umzug's log events carry the whole query interface; keep what an operator reads. */
function summary(event: Record<string, unknown>): Record<string, unknown> {
  const { event: what, name, durationSeconds, message } = event;
  return { event: what, name, durationSeconds, message };
}
