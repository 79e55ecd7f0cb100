import { randomUUID } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { connectDatabase } from '@funshop/platform/db/database';
import { migrate } from '@funshop/platform/db/migrations';
import { createLogger } from '@funshop/platform/logger';
import { Outbox } from '@funshop/platform/messaging/outbox';
import { ProductRow, defineModels } from '../adapters/out/models';
import { SequelizeUnitOfWork } from '../adapters/out/sequelize-unit-of-work';
import { migrations } from '../migrations';

/** The integration tests' own database on the real MariaDB, migrated like production. */
export async function openTestDatabase(): Promise<{ sequelize: Sequelize; unitOfWork: SequelizeUnitOfWork }> {
  const url = new URL(process.env.ORDER_TEST_DATABASE_URL ?? 'mysql://funshop:funshop@127.0.0.1:3306/funshop_test_order_it');
  const logger = createLogger('order-test', 'silent');
  const sequelize = await connectDatabase({ url, poolMax: 40, connectTimeoutMs: 10_000 }, logger);
  await migrate(sequelize, migrations, logger);
  defineModels(sequelize);
  return { sequelize, unitOfWork: new SequelizeUnitOfWork(sequelize, new Outbox(sequelize)) };
}

/** A product of its own for one test, so tests never share stock. */
export async function createProduct(stock: number, priceKrw = 10_000): Promise<string> {
  const productId = `it-${randomUUID().slice(0, 13)}`;
  await ProductRow.create({ productId, name: `Test product ${productId}`, priceKrw, stock });
  return productId;
}

export async function stockOf(productId: string): Promise<number> {
  return (await ProductRow.findByPk(productId))!.stock;
}
